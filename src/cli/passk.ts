// `frontier passk`: unbiased pass@k averaged over problems, from a JSONL file of per-problem counts.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { CountRowSchema, MetricsInputError, parseJsonLines, passAtKReport } from "../domain/metrics/index.ts";

const HELP = `Usage: frontier passk --k 1,10,100 [options] COUNTS.jsonl

Unbiased pass@k (1 − C(n−c,k)/C(n,k)) averaged over problems.
COUNTS.jsonl holds one line per problem: {"problem": "id", "n": samples, "c": correct}. Use - for stdin.

Options:
  --k LIST            comma-separated k values (default 1)
  --bootstrap N       add a percentile bootstrap interval over problems with N resamples
  --seed S            bootstrap seed (default 0; same seed, same interval)
  --confidence X      bootstrap coverage (default 0.95)
  -h, --help          this text

Prints {"pass@1": …, "pass@10": …, "problems": N, "skipped_k": [...], "min_n": …, "se": {…}[, "ci": {…}]}.
A k is averaged only when k ≤ n for every problem; other k are listed in skipped_k.
Exit codes: 0 ok, 1 bad input, 2 bad usage.`;

export async function run(argv: string[]): Promise<number> {
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        k: { type: "string", default: "1" },
        bootstrap: { type: "string" },
        seed: { type: "string" },
        confidence: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (e) {
    return usageError((e as Error).message);
  }
  const { values, positionals } = args;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) return usageError("give exactly one COUNTS.jsonl file (or - for stdin)");
  const ks = parseIntegerList(values.k!);
  if (!ks) return usageError(`--k must be a comma-separated list of positive integers (got '${values.k}')`);
  const bootstrap = values.bootstrap === undefined ? undefined : positiveInteger(values.bootstrap);
  if (bootstrap === null) return usageError(`--bootstrap must be a positive integer (got '${values.bootstrap}')`);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) return usageError(`--seed must be an integer (got '${values.seed}')`);
  const confidence = values.confidence === undefined ? 0.95 : Number(values.confidence);
  if (!(confidence > 0 && confidence < 1)) return usageError(`--confidence must be in (0, 1) (got '${values.confidence}')`);

  const file = positionals[0];
  try {
    const rows = parseJsonLines(await readInput(file), CountRowSchema);
    const report = passAtKReport(rows, ks, bootstrap ? { bootstrap: { resamples: bootstrap, seed, confidence } } : {});
    if (report.skipped_k.length === ks.length) {
      throw new MetricsInputError(`every k (${ks.join(", ")}) exceeds the smallest n (${report.min_n}); pass@k needs k ≤ n on every problem`);
    }
    if (report.skipped_k.length) {
      console.error(`frontier passk: skipped k = ${report.skipped_k.join(", ")}: above the smallest n (${report.min_n})`);
    }
    console.log(JSON.stringify(report, null, 2));
    return 0;
  } catch (e) {
    return inputError(file, e);
  }
}

async function readInput(file: string): Promise<string> {
  if (file !== "-") return readFile(file, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseIntegerList(text: string): number[] | null {
  const ks = text.split(",").map((s) => positiveInteger(s.trim()));
  return ks.length && ks.every((k) => k !== null) ? (ks as number[]) : null;
}

function positiveInteger(text: string): number | null {
  return /^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text)) ? Number(text) : null;
}

function usageError(message: string): number {
  console.error(`frontier passk: ${message}\nRun 'frontier passk --help' for usage.`);
  return 2;
}

function inputError(file: string, e: unknown): number {
  if (e instanceof MetricsInputError) {
    console.error(`frontier passk: ${file}:\n${e.issues.map((i) => `  ${i}`).join("\n")}`);
    return 1;
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === "ENOENT" || err?.code === "EISDIR" || err?.code === "EACCES") {
    console.error(`frontier passk: cannot read ${file}: ${err.message}`);
    return 1;
  }
  throw e;
}
