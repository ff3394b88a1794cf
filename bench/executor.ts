// Executor bench: `npx tsx bench/executor.ts [--quick] [--rounds N] [--per-test-only]`. Writes
// bench/out/executor.json and prints a summary. --rounds repeats the per-test measurement (fork and
// fresh python3 alternately) and reports each round and the median; --per-test-only skips 2 and 3. Every figure is a ratio against a baseline measured in the same run (see bench/RESULTS.md).
//  1. per-test overhead: a trivial Python stdin problem with 1,000 tests, fork-server vs a fresh
//     python3 per test inside the same sandbox;
//  2. heavy tests: harness wall time / solution CPU time for tests of ≥ 100 ms CPU;
//  3. throughput: the CodeContests sample (2,233 real tests) with 2 workers vs 1.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import type { ProblemInput } from "@frontier/contracts";
import { Judge, type Submission } from "../workers/executor/src/judge.ts";

// BENCH_ROOT / BENCH_CODE_CONTESTS let a bundled copy run on another machine (see bench/RESULTS.md).
const ROOT = process.env.BENCH_ROOT ?? resolve(import.meta.dirname, "..");
const CODE_CONTESTS = process.env.BENCH_CODE_CONTESTS ?? resolve(ROOT, "test/fixtures/datasets/code_contests.sample.jsonl");
const quick = process.argv.includes("--quick");
const perTestOnly = process.argv.includes("--per-test-only");
const roundsArg = process.argv.indexOf("--rounds");
const ROUNDS = roundsArg >= 0 ? Number(process.argv[roundsArg + 1]) : 1;
const TRIVIAL_TESTS = quick ? 200 : 1000;

function trivialProblem(tests: number): ProblemInput {
  return {
    id: "echo",
    kind: "stdin",
    limits: { time_ms: 2000, memory_mb: 128 },
    tiers: [{ name: "all", tests: Array.from({ length: tests }, (_, i) => ({ input: `${i}\n`, output: `${i}` })) }],
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function perTestOverhead() {
  const code = "print(input())";
  const results = {} as Record<"fork" | "spawn", { total_ms: number; startup_ms: number; per_test_ms: number }>;
  for (const mode of ["fork", "spawn"] as const) {
    const judge = new Judge({ concurrency: 1, pythonMode: mode });
    await judge.judge(trivialProblem(1), [{ language: "python", code }]); // warm caches
    // Per test = (N tests − 1 test) / (N − 1): the sandbox start-up cancels out.
    const one = await timed(() => judge.judge(trivialProblem(1), [{ language: "python", code }]));
    const many = await timed(() => judge.judge(trivialProblem(TRIVIAL_TESTS), [{ language: "python", code }]));
    if (many.value[0].verdict !== "AC") throw new Error(`${mode}: ${JSON.stringify(many.value[0])}`);
    results[mode] = { total_ms: many.ms, startup_ms: one.ms, per_test_ms: (many.ms - one.ms) / (TRIVIAL_TESTS - 1) };
  }
  return { tests: TRIVIAL_TESTS, ...results, spawn_over_fork: results.spawn.per_test_ms / results.fork.per_test_ms };
}

async function heavyTests() {
  // ~100–200 ms of CPU per test in Python on this machine (the loop size is the input).
  const n = quick ? 1_000_000 : 2_000_000;
  const problem: ProblemInput = {
    id: "heavy",
    kind: "stdin",
    limits: { time_ms: 10_000, memory_mb: 256 },
    tiers: [{ name: "all", tests: Array.from({ length: quick ? 5 : 10 }, (_, i) => ({ input: `${n + i}\n`, output: `${((n + i - 1) * (n + i)) / 2}` })) }],
  };
  const code = "n = int(input())\ntotal = 0\nfor i in range(n):\n    total += i\nprint(total)";
  const judge = new Judge({ concurrency: 1 });
  const { ms, value } = await timed(() => judge.judge(problem, [{ language: "python", code }]));
  const result = value[0];
  if (result.verdict !== "AC") throw new Error(`heavy: ${JSON.stringify(result)}`);
  const tests = result.tests_run!;
  return {
    tests,
    cpu_ms_per_test: result.cpu_ms_total! / tests,
    wall_ms: ms,
    solution_cpu_ms: result.cpu_ms_total!,
    wall_over_cpu: ms / result.cpu_ms_total!,
  };
}

interface ContestRow {
  id: string | number;
  test: string;
}

function codeContestsWorkload(): { problems: ProblemInput[]; tests: number } {
  const rows: ContestRow[] = readFileSync(CODE_CONTESTS, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
  let tests = 0;
  const problems = rows.map((row, i): ProblemInput => {
    const cases = (JSON.parse(row.test) as { input: { stdin: string }; output: { stdout: string } }[]).map((t) => ({
      input: t.input.stdin,
      output: t.output.stdout,
    }));
    tests += cases.length;
    return { id: `cc-${i}`, kind: "stdin", limits: { time_ms: 2000, memory_mb: 256 }, tiers: [{ name: "all", tests: cases }] };
  });
  return { problems, tests };
}

async function throughput() {
  // No reference solutions ship with the sample: the program reads all its input and prints its
  // size, so every test really runs (all_tests) and the checker does its work (WA).
  const { problems, tests } = codeContestsWorkload();
  const submissions: Submission[] = [{ language: "python", code: "import sys\nprint(len(sys.stdin.read()))" }];
  const results = {} as Record<"workers_1" | "workers_2", { wall_ms: number; tests_per_s: number }>;
  for (const workers of [1, 2]) {
    const judge = new Judge({ concurrency: workers });
    const { ms, value } = await timed(() => Promise.all(problems.map((p) => judge.judge(p, submissions, { allTests: true }))));
    const ran = value.flat().reduce((sum, r) => sum + (r.tests_run ?? 0), 0);
    if (ran !== tests) throw new Error(`ran ${ran} of ${tests} tests`);
    results[`workers_${workers}` as "workers_1" | "workers_2"] = { wall_ms: ms, tests_per_s: (tests * 1000) / ms };
  }
  return { problems: problems.length, tests, ...results, speedup: results.workers_2.tests_per_s / results.workers_1.tests_per_s };
}

type PerTest = Awaited<ReturnType<typeof perTestOverhead>>;

/** The per-test measurement ROUNDS times; the round with the median ratio stands for them. */
async function perTestRounds(): Promise<PerTest & { rounds: PerTest[] }> {
  const rounds: PerTest[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const result = await perTestOverhead();
    rounds.push(result);
    if (ROUNDS > 1) {
      console.error(
        `round ${round + 1}: fork ${result.fork.per_test_ms.toFixed(2)} ms, fresh python3 ${result.spawn.per_test_ms.toFixed(2)} ms → ${result.spawn_over_fork.toFixed(1)}x (load ${loadavg()[0]!.toFixed(1)})`,
      );
    }
  }
  const sorted = [...rounds].sort((a, b) => a.spawn_over_fork - b.spawn_over_fork);
  return { ...sorted[Math.floor(sorted.length / 2)]!, rounds };
}

const loadavgBefore = loadavg();
const perTest = await perTestRounds();
const heavy = perTestOnly ? null : await heavyTests();
const throughputResult = perTestOnly ? null : await throughput();
const report = {
  date: new Date().toISOString(),
  cpus: cpus().length,
  loadavg_before: loadavgBefore,
  per_test: perTest,
  heavy,
  throughput: throughputResult,
  loadavg_after: loadavg(),
};
mkdirSync(resolve(ROOT, "bench/out"), { recursive: true });
writeFileSync(resolve(ROOT, "bench/out/executor.json"), JSON.stringify(report, null, 2));
const f = (x: number, digits = 2) => x.toFixed(digits);
console.log(`cores ${report.cpus}, load ${report.loadavg_before.map((x) => f(x, 1)).join(" ")} → ${report.loadavg_after.map((x) => f(x, 1)).join(" ")}`);
console.log(
  `per test (${report.per_test.tests} trivial tests): fork ${f(report.per_test.fork.per_test_ms)} ms, fresh python3 ${f(report.per_test.spawn.per_test_ms)} ms → ${f(report.per_test.spawn_over_fork, 1)}x`,
);
if (ROUNDS > 1) {
  const fork = report.per_test.rounds.map((r) => r.fork.per_test_ms);
  const ratio = report.per_test.rounds.map((r) => r.spawn_over_fork);
  console.log(
    `per test over ${ROUNDS} rounds: fork ${f(Math.min(...fork))}–${f(Math.max(...fork))} ms, ratio ${f(Math.min(...ratio), 1)}–${f(Math.max(...ratio), 1)}x`,
  );
}
if (report.heavy && report.throughput) {
  console.log(
    `heavy (${report.heavy.tests} tests, ${f(report.heavy.cpu_ms_per_test, 0)} ms CPU each): wall ${f(report.heavy.wall_ms, 0)} ms / CPU ${f(report.heavy.solution_cpu_ms, 0)} ms = ${f(report.heavy.wall_over_cpu, 3)}`,
  );
  console.log(
    `throughput (${report.throughput.tests} CodeContests tests): 1 worker ${f(report.throughput.workers_1.tests_per_s, 1)}/s, 2 workers ${f(report.throughput.workers_2.tests_per_s, 1)}/s → ${f(report.throughput.speedup)}x`,
  );
}
