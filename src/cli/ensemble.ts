// `frontier ensemble`: ensemble pass@k at a fixed sample budget, from users' own per-member counts.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  ALLOCATIONS,
  MemberCountRowSchema,
  MetricsInputError,
  SELECTIONS,
  ensemblePassAtK,
  parseJsonLines,
  type AllocationMethod,
  type Selection,
} from "../domain/metrics/index.ts";

const HELP = `Usage: frontier ensemble --budget B [options] MEMBERS.jsonl

Ensemble pass@B: B samples per problem split across members (checkpoints), per problem
1 − Π_m C(n_m−c_m, k_m)/C(n_m, k_m) with Σ k_m = B and k_m ≤ n_m, averaged over problems.
MEMBERS.jsonl holds one line per member and problem: {"member", "problem", "n", "c"}; every member
must list every problem. Use - for stdin.

Options:
  --budget B                total samples per problem (required)
  --allocation METHOD       equal (default) | proportional | optimized
                            equal: B/M each; a remainder r goes one each to a uniformly random r-subset
                            of the members, taken in exact expectation (never by member order);
                            a member's share above its smallest n is passed on to the others.
                            proportional: by --weights (largest remainder).
                            optimized: greedy + hill-climbing on the estimate, fit as --selection says.
  --selection crossfit|in_sample
                            how the best single member (and optimized) are chosen: crossfit (default)
                            chooses on K−1 folds of problems and scores on the held-out fold; in_sample
                            chooses on the scored problems (biased, labelled so).
  --folds K                 crossfit folds (default 5)
  --resamples R             bootstrap resamples for gain_ci (default 1000, 200 for optimized; 0: none)
  --weights m1=w1,m2=w2     weights for proportional, one per member
  --holdout FRACTION        fit on the other problems, report on a seeded random FRACTION of them
  --seed S                  seed for the folds, the bootstrap and --holdout (default 0)
  -h, --help                this text

Prints {"ensemble": …, "allocation": {member: expected k}, "best_single": {"member", "value"} | null,
"gain": …, "gain_ci": [lo, hi], "se": {…}, "selection", "folds", "seed", "pooled_mixture": …,
"warnings": [...], …}. gain_ci is a paired bootstrap 95% interval over problems that repeats the
whole selection in every resample. best_single is the best member's own pass@B (needs n ≥ B on
every problem). pooled_mixture is the "random mixture" definition: B draws from all members' samples pooled.
Exit codes: 0 ok, 1 bad input, 2 bad usage.
Over evaluations in a running API: frontier ensemble --api [URL] --help`;

export async function run(argv: string[]): Promise<number> {
  // With --api the ensemble is computed by a running Frontier API over its evaluations (src/cli/api/ensemble.ts).
  if (argv.some((arg) => arg === "--api" || arg.startsWith("--api="))) return (await import("./api/ensemble.ts")).run(argv);
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        budget: { type: "string" },
        allocation: { type: "string", default: "equal" },
        weights: { type: "string" },
        holdout: { type: "string" },
        seed: { type: "string" },
        selection: { type: "string" },
        folds: { type: "string" },
        resamples: { type: "string" },
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
  if (positionals.length !== 1) return usageError("give exactly one MEMBERS.jsonl file (or - for stdin)");
  const budget = Number(values.budget);
  if (values.budget === undefined || !/^\d+$/.test(values.budget) || !Number.isSafeInteger(budget) || budget < 1) {
    return usageError(`--budget must be a positive integer (got '${values.budget ?? ""}')`);
  }
  const allocation = values.allocation as AllocationMethod;
  if (!ALLOCATIONS.includes(allocation)) return usageError(`--allocation must be one of ${ALLOCATIONS.join(", ")} (got '${values.allocation}')`);
  let weights: Record<string, number> | undefined;
  if (values.weights !== undefined) {
    weights = parseWeights(values.weights) ?? undefined;
    if (!weights) return usageError(`--weights must look like m1=1,m2=0.5 (got '${values.weights}')`);
  }
  if (allocation === "proportional" && !weights) return usageError("--allocation proportional needs --weights");
  if (allocation !== "proportional" && weights) return usageError("--weights only applies to --allocation proportional");
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!/^\d+$/.test(values.seed ?? "0") || !Number.isSafeInteger(seed)) return usageError(`--seed must be a non-negative integer (got '${values.seed}')`);
  const selection = (values.selection ?? "crossfit") as Selection;
  if (!SELECTIONS.includes(selection)) return usageError(`--selection must be one of ${SELECTIONS.join(", ")} (got '${values.selection}')`);
  const folds = values.folds === undefined ? 5 : Number(values.folds);
  if (!/^\d+$/.test(values.folds ?? "5") || folds < 2) return usageError(`--folds must be an integer ≥ 2 (got '${values.folds}')`);
  const resamples = values.resamples === undefined ? undefined : Number(values.resamples);
  if (values.resamples !== undefined && !/^\d+$/.test(values.resamples))
    return usageError(`--resamples must be a non-negative integer (got '${values.resamples}')`);
  let holdout: { fraction: number; seed: number } | undefined;
  if (values.holdout !== undefined) {
    const fraction = Number(values.holdout);
    if (!(fraction > 0 && fraction < 1)) return usageError(`--holdout must be a fraction in (0, 1) (got '${values.holdout}')`);
    holdout = { fraction, seed };
  }

  const file = positionals[0];
  try {
    const rows = parseJsonLines(await readInput(file), MemberCountRowSchema);
    const report = ensemblePassAtK(rows, { budget, allocation, weights, holdout, selection, folds, seed, resamples });
    for (const w of report.warnings) console.error(`frontier ensemble: warning: ${w}`);
    console.log(JSON.stringify(report, null, 2));
    return 0;
  } catch (e) {
    return inputError(file, e);
  }
}

function parseWeights(text: string): Record<string, number> | null {
  const out: Record<string, number> = {};
  for (const part of text.split(",")) {
    const at = part.lastIndexOf("=");
    const name = part.slice(0, at).trim();
    const w = Number(part.slice(at + 1));
    if (at <= 0 || !name || part.slice(at + 1).trim() === "" || !Number.isFinite(w)) return null;
    out[name] = w;
  }
  return out;
}

async function readInput(file: string): Promise<string> {
  if (file !== "-") return readFile(file, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function usageError(message: string): number {
  console.error(`frontier ensemble: ${message}\nRun 'frontier ensemble --help' for usage.`);
  return 2;
}

function inputError(file: string, e: unknown): number {
  if (e instanceof MetricsInputError) {
    console.error(`frontier ensemble: ${file}:\n${e.issues.map((i) => `  ${i}`).join("\n")}`);
    return 1;
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === "ENOENT" || err?.code === "EISDIR" || err?.code === "EACCES") {
    console.error(`frontier ensemble: cannot read ${file}: ${err.message}`);
    return 1;
  }
  throw e;
}
