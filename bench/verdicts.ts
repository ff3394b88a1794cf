// Verdict stability under load (issue 16): `npx tsx bench/verdicts.ts [--runs 5] [--problems a,b,…]
// [--problems-dir DIR]`. Every bundled candidate of the chosen problems is judged `runs` times on the
// machine as it is ("idle": nothing of ours running), then `runs` times while busy processes (one per
// core) keep every core busy, in one run. Reported: the agreement of every loaded judgment with the
// candidate's idle verdict (the mode of its idle judgments), the idle runs' own consistency, and the
// agreement with the recorded packs/bundled/verdicts.json. A verdict is the pair (verdict, tiers
// passed). `--problems-dir` judges other problem files (e.g. the limits before a change) against
// the same candidates. Writes bench/out/verdicts.json.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PackManifestSchema, ProblemSchema, type Problem } from "@frontier/contracts";
import { BUNDLED_DIR, loadPool, openJudge } from "../packs/generator/judging.ts";
import { readVerdicts } from "../packs/generator/verdicts.ts";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "5" }, problems: { type: "string" }, "problems-dir": { type: "string" } },
});
const runs = Number(values.runs);
const manifest = PackManifestSchema.parse(JSON.parse(readFileSync(join(BUNDLED_DIR, "manifest.json"), "utf8")));
const only = values.problems?.split(",").map((p) => p.trim());
const ids = manifest.problems.map((p) => p.id).filter((id) => !only || only.includes(id));
const problemsDir = values["problems-dir"] ? resolve(values["problems-dir"]) : join(BUNDLED_DIR, "problems");
const recorded = await readVerdicts();

type Outcome = string; // "AC@3", "TLE@2", …
const problems = new Map<string, Problem>(ids.map((id) => [id, ProblemSchema.parse(JSON.parse(readFileSync(join(problemsDir, `${id}.json`), "utf8")))]));
const pools = new Map(await Promise.all(ids.map(async (id) => [id, await loadPool(id)] as const)));
const candidates = ids.flatMap((id) => pools.get(id)!.map((c) => `${id}/${c.name}`));

async function pass(): Promise<Map<string, Outcome>> {
  const judge = await openJudge(2);
  const out = new Map<string, Outcome>();
  try {
    for (const id of ids) {
      const pool = pools.get(id)!;
      const results = await judge.judge(
        problems.get(id)!,
        pool.map((c) => ({ id: c.name, language: c.language, code: c.code })),
      );
      for (const [i, c] of pool.entries()) out.set(`${id}/${c.name}`, `${results[i]!.verdict}@${results[i]!.tiers_passed}`);
    }
  } finally {
    await judge.close();
  }
  return out;
}

function startBurners(): ChildProcess[] {
  return cpus().map(() => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
}

const mode = (xs: Outcome[]) => {
  const counts = new Map<Outcome, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
};

const load = { before: loadavg()[0] };
const idle: Map<string, Outcome>[] = [];
const loaded: Map<string, Outcome>[] = [];
const started = performance.now();
for (let r = 0; r < runs; r++) idle.push(await pass());
const idleSeconds = (performance.now() - started) / 1000;
const burners = startBurners();
let loadDuring = 0;
try {
  for (let r = 0; r < runs; r++) {
    loaded.push(await pass());
    loadDuring = Math.max(loadDuring, loadavg()[0]);
  }
} finally {
  for (const b of burners) b.kill("SIGKILL");
}
const loadedSeconds = (performance.now() - started) / 1000 - idleSeconds;

let agree = 0;
let idleAgree = 0;
let recordAgree = 0;
const flips: { candidate: string; idle: Outcome; loaded: Outcome[]; recorded: Outcome }[] = [];
for (const c of candidates) {
  const [id, name] = c.split("/") as [string, string];
  const reference = mode(idle.map((p) => p.get(c)!));
  const underLoad = loaded.map((p) => p.get(c)!);
  const record = recorded.problems[id]?.candidates[name];
  const recordedOutcome = record ? `${record.verdict}@${record.tiers_passed}` : "—";
  idleAgree += idle.filter((p) => p.get(c) === reference).length;
  agree += underLoad.filter((o) => o === reference).length;
  recordAgree += [...idle, ...loaded].filter((p) => p.get(c) === recordedOutcome).length;
  if (underLoad.some((o) => o !== reference) || idle.some((p) => p.get(c) !== reference)) {
    flips.push({ candidate: c, idle: reference, loaded: underLoad, recorded: recordedOutcome });
  }
}
const judgments = candidates.length * runs;
const report = {
  date: new Date().toISOString(),
  cores: cpus().length,
  problems: ids.length,
  candidates: candidates.length,
  runs,
  problems_dir: problemsDir,
  load_average: { before: load.before, during_loaded_max: loadDuring, after: loadavg()[0] },
  seconds: { idle: Math.round(idleSeconds), loaded: Math.round(loadedSeconds) },
  agreement_loaded_vs_idle: agree / judgments,
  idle_self_consistency: idleAgree / judgments,
  agreement_with_recorded: recordAgree / (2 * judgments),
  flip_rate: 1 - agree / judgments,
  flips,
};
mkdirSync(resolve(import.meta.dirname, "out"), { recursive: true });
writeFileSync(resolve(import.meta.dirname, "out", "verdicts.json"), `${JSON.stringify(report, null, 1)}\n`);
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
console.log(
  [
    `verdicts bench: ${candidates.length} candidates of ${ids.length} problems, ${runs} idle + ${runs} loaded judgments each (${cores()} busy processes)`,
    `load average: ${load.before.toFixed(2)} before, ≤ ${loadDuring.toFixed(2)} during the loaded runs`,
    `agreement loaded vs idle: ${pct(report.agreement_loaded_vs_idle)} (${agree}/${judgments}; target ≥ 99.5%)`,
    `idle runs' own consistency: ${pct(report.idle_self_consistency)}; agreement with verdicts.json: ${pct(report.agreement_with_recorded)}`,
    ...flips.map((f) => `  ${f.candidate}: idle ${f.idle}, loaded ${f.loaded.join(" ")}, recorded ${f.recorded}`),
  ].join("\n"),
);

function cores() {
  return cpus().length;
}
