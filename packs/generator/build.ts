// `npm run packs:build`: regenerates packs/bundled/{manifest.json,problems/*.json} from the problem
// definitions and the fixed seed (byte-identical on every run), then judges every reference solution
// (the pool's efficient.py) on every tier with the real executor. `--no-check` skips the judging.
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildManifest } from "@frontier/contracts";
import { ProblemSchema, type Problem } from "@frontier/contracts";
import { buildProblem } from "./lib.ts";
import { DEFINITIONS, PACK_NAME, PACK_SEED } from "./problems/index.ts";
import { BUNDLED_DIR, judgeReferences } from "./judging.ts";

export async function generate(): Promise<{ problems: Problem[]; files: Map<string, string> }> {
  const problems = DEFINITIONS.map((def) => ProblemSchema.parse(buildProblem(def, PACK_SEED)));
  const { manifest, files } = await buildManifest(PACK_NAME, problems, {
    description: "Competitive-programming problems written for Frontier, with nested small/medium/large tiers and candidate pools",
    source: { generator: "packs/generator", seed: PACK_SEED },
  });
  const out = new Map<string, string>([["manifest.json", `${JSON.stringify(manifest, null, 1)}\n`], ...files]);
  return { problems, files: out };
}

async function main(): Promise<number> {
  const check = !process.argv.includes("--no-check");
  const { problems, files } = await generate();
  await mkdir(join(BUNDLED_DIR, "problems"), { recursive: true });
  const wanted = new Set([...files.keys()].filter((f) => f.startsWith("problems/")).map((f) => f.slice("problems/".length)));
  for (const stale of await readdir(join(BUNDLED_DIR, "problems"))) {
    if (!wanted.has(stale)) await rm(join(BUNDLED_DIR, "problems", stale));
  }
  for (const [file, text] of files) await writeFile(join(BUNDLED_DIR, file), text);
  const bytes = [...files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  console.log(`packs:build: ${problems.length} problems, ${(bytes / 2 ** 20).toFixed(2)} MiB → ${BUNDLED_DIR}`);
  if (!check) return 0;
  const failures = await judgeReferences(problems);
  for (const f of failures) console.error(`  reference of ${f.problem}: ${f.verdict} ${f.detail}`);
  console.log(failures.length ? `packs:build: ${failures.length} reference(s) not AC` : "packs:build: every reference AC on every tier");
  return failures.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
