// `frontier import livecodebench|humaneval|codecontests FILE --out DIR`: a benchmark file → a pack directory.
import { mkdir, readFile, writeFile, readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { IMPORTERS, ImportError, packFiles } from "../../packs/importers/index.ts";
import { readMaybeGzip } from "../../packs/importers/common.ts";

const HELP = `Usage: frontier import <source> FILE --out DIR [--name NAME] [--time-ms MS] [--memory-mb MB] [--force]

Writes a problem pack: DIR/manifest.json and DIR/problems/<id>.json, one per problem.

Sources:
  livecodebench  JSONL rows, SandboxFusion shape (content, labels, test = base64 zlib pickle)
                 or release shape (question_id, public_test_cases, private_test_cases, metadata)
  humaneval      HumanEval.jsonl or HumanEval.jsonl.gz (task_id, prompt, entry_point, test) → assert problems
  codecontests   JSONL rows (SandboxFusion: id, content, labels, test; or native public/private/generated_tests)

Options:
  --out DIR        pack directory to write (required)
  --name NAME      pack name in the manifest (default: the source name)
  --time-ms MS     time limit per test (default: the source's, else livecodebench 6000, codecontests 2000, humaneval 10000)
  --memory-mb MB   memory limit (default 1024)
  --force          write into a non-empty DIR (files of the same name are replaced)
  -h, --help       this text`;

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ImportError(`${flag} must be a positive integer, got '${value}'`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        name: { type: "string" },
        "time-ms": { type: "string" },
        "memory-mb": { type: "string" },
        force: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(`frontier import: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [source, file, ...extra] = positionals;
  const importer = source ? IMPORTERS[source] : undefined;
  if (!source || !importer) {
    console.error(`frontier import: ${source ? `unknown source '${source}'` : "missing source"} (expected ${Object.keys(IMPORTERS).join(", ")})\n\n${HELP}`);
    return 2;
  }
  if (!file || extra.length) {
    console.error(`frontier import: expected exactly one input FILE\n\n${HELP}`);
    return 2;
  }
  if (!values.out) {
    console.error(`frontier import: --out DIR is required\n\n${HELP}`);
    return 2;
  }
  try {
    const options = { time_ms: positiveInt(values["time-ms"], "--time-ms"), memory_mb: positiveInt(values["memory-mb"], "--memory-mb") };
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new ImportError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const pack = await importer(await readMaybeGzip(bytes), options);
    if (values.name) pack.name = values.name;
    const files = await packFiles(pack);
    const existing = await readdir(values.out).catch(() => [] as string[]);
    if (existing.length && !values.force) throw new ImportError(`${values.out} is not empty (use --force to write into it)`);
    const lower = new Map<string, string>();
    for (const path of files.keys()) {
      // Problem ids that differ only by characters the file name drops (or by case) would overwrite each other.
      const key = path.toLowerCase();
      if (lower.has(key)) throw new ImportError(`problem files collide: ${lower.get(key)} and ${path}`);
      lower.set(key, path);
    }
    for (const [path, text] of files) {
      const target = join(values.out, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text);
    }
    const tests = pack.problems.reduce((sum, p) => sum + p.tiers.reduce((s, t) => s + t.tests.length, 0), 0);
    console.error(`frontier import: ${pack.problems.length} problems, ${tests} tests → ${values.out}`);
    return 0;
  } catch (error) {
    if (error instanceof ImportError) {
      console.error(`frontier import: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
