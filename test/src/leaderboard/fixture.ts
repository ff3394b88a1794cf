// Seed data for the leaderboard tests: a benchmark, two trained endpoints, a merge grid over α
// (interpolated, endpoint and extrapolated points) with judged samples, one ensemble, and a block of
// checkpoints with identical scores (ties). Built as plain SQL so the same rows go into D1 inside
// workerd (edge tests) and into `wrangler d1 execute --local` (browser test). Metrics are computed
// from the samples with the same code the pipeline stores them with.
import { ensemblePassAtK } from "../../../src/domain/metrics/index.ts";
import type { Verdict } from "@frontier/contracts";
import { metricsFromRows, perProblem, STANDARD_KS } from "../../../src/services/metrics.ts";

export interface SeedOptions {
  /** Prefix for every id and name, so several seeds share one database. */
  prefix: string;
  /** Samples per problem. */
  n?: number;
  /** Checkpoints with identical results, to test the order on ties. */
  ties?: number;
  /**
   * Seed a public track every evaluation conforms to (default true), and publish every evaluation on
   * it (default true): the public leaderboard and page rank published rows only.
   */
  track?: boolean;
  publish?: boolean;
}

type Counts = Partial<Record<Verdict, number>>;

interface SeedCheckpoint {
  id: string;
  run: string;
  label: string | null;
  step: number | null;
  source: "api" | "merge";
  alpha: number | null;
  parents: { checkpoint: string; coefficient: number }[] | null;
  evaluation: string;
  /** Per problem: how many samples got each verdict. */
  counts: Counts[];
}

export interface Seed {
  statements: string[];
  benchmark: { name: string; version: string; id: string };
  mergeRun: string;
  ensembleId: string;
  checkpoints: {
    id: string;
    run: string;
    label: string | null;
    alpha: number | null;
    evaluation: string;
    passAt: Record<string, number>;
    correctness: number;
    efficiency: number;
  }[];
  /** The grid's checkpoints in α order (what the frontier plot draws). */
  frontierIds: string[];
  tieIds: string[];
  /** The public track the evaluations conform to (null when seeded without one). */
  track: string | null;
}

export const ALPHAS = [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5];
const PROBLEMS = ["two-sum", "interval-merge", "shortest-path", "knapsack"];
const TIERS = ["small", "medium", "large"];

const q = (value: unknown): string => {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NULL";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `'${text.replace(/'/g, "''")}'`;
};
const insert = (table: string, row: Record<string, unknown>) =>
  `INSERT INTO ${table} (${Object.keys(row).join(", ")}) VALUES (${Object.values(row).map(q).join(", ")})`;

/**
 * Failure rates along the merge line: the low-coverage endpoint (α = 0) fails on correctness, the
 * high-coverage one (α = 1) on efficiency; extrapolating past either end trades further.
 */
function gridCounts(alpha: number, n: number): Counts[] {
  return PROBLEMS.map((_, p) => {
    const difficulty = p * 0.06;
    const wa = Math.max(0, Math.min(0.9, 0.42 - 0.3 * alpha + difficulty));
    const tle = Math.max(0, Math.min(0.9, 0.06 + 0.1 * alpha + 0.12 * alpha * alpha + difficulty / 2));
    const WA = Math.round(wa * n);
    const TLE = Math.min(n - WA, Math.round(tle * n));
    const RE = p === 3 && WA + TLE < n ? 1 : 0;
    return { AC: n - WA - TLE - RE, WA, TLE, RE };
  });
}

/** Verdict rows of a checkpoint: failures fail at a tier that depends on the sample, AC pass all. */
function verdictRows(counts: Counts[]) {
  const rows: { problem: string; verdict: Verdict; tiers_passed: number }[] = [];
  counts.forEach((byVerdict, p) => {
    let index = 0;
    for (const [verdict, count] of Object.entries(byVerdict) as [Verdict, number][]) {
      for (let i = 0; i < count; i++, index++) {
        const tiers = verdict === "AC" ? TIERS.length : verdict === "TLE" || verdict === "MLE" ? 2 : index % 2;
        rows.push({ problem: PROBLEMS[p]!, verdict, tiers_passed: tiers });
      }
    }
  });
  return rows;
}

export function buildSeed(options: SeedOptions): Seed {
  const { prefix } = options;
  const n = options.n ?? 20;
  const ties = options.ties ?? 5;
  const version = `sha256:${[...prefix]
    .map((c) => c.charCodeAt(0).toString(16))
    .join("")
    .padEnd(64, "0")
    .slice(0, 64)}`;
  const benchmark = { name: `${prefix}-bench`, version, id: `${prefix}-bench@${version}` };
  const at = (minute: number) => new Date(Date.UTC(2025, 6, 1, 12, minute)).toISOString();
  const statements: string[] = [];

  const lowRun = `${prefix}-lowcov`;
  const highRun = `${prefix}-highcov`;
  const mergeRun = `merge:${lowRun}`;
  const otherRun = `${prefix}-sweep`;
  for (const run of [lowRun, highRun, mergeRun, otherRun])
    statements.push(insert("runs", { name: run, status: "running", created_at: at(0), updated_at: at(0) }));
  statements.push(
    insert("benchmarks", {
      name: benchmark.name,
      version,
      pack: benchmark.name,
      description: "seeded for the leaderboard tests",
      problem_count: PROBLEMS.length,
      tiers: TIERS,
      registered_at: at(0),
    }),
  );
  PROBLEMS.forEach((problem, position) => {
    statements.push(
      insert("benchmark_problems", {
        benchmark: benchmark.name,
        version,
        problem_id: problem,
        position,
        kind: "stdin",
        title: problem,
        statement: "",
        starter_code: null,
        function_name: null,
        time_ms: 1000,
        memory_mb: 256,
        tiers: TIERS,
      }),
    );
  });

  const lowId = `ckpt_${prefix}_low`;
  const highId = `ckpt_${prefix}_high`;
  const checkpoints: SeedCheckpoint[] = [
    {
      id: lowId,
      run: lowRun,
      label: "low-coverage",
      step: 400,
      source: "api",
      alpha: null,
      parents: null,
      evaluation: `eval_${prefix}_low`,
      counts: gridCounts(0.05, n),
    },
    {
      id: highId,
      run: highRun,
      label: "high-coverage",
      step: 400,
      source: "api",
      alpha: null,
      parents: null,
      evaluation: `eval_${prefix}_high`,
      counts: gridCounts(0.95, n),
    },
  ];
  const mergeId = `merge_${prefix}`;
  statements.push(insert("merges", { id: mergeId, request: { a: lowId, b: highId, alphas: ALPHAS }, run: mergeRun, evaluate: null, created_at: at(1) }));
  ALPHAS.forEach((alpha, position) => {
    const id = `ckpt_${prefix}_a${position}`;
    checkpoints.push({
      id,
      run: mergeRun,
      label: null,
      step: null,
      source: "merge",
      alpha,
      parents: [
        { checkpoint: lowId, coefficient: 1 - alpha },
        { checkpoint: highId, coefficient: alpha },
      ],
      evaluation: `eval_${prefix}_a${position}`,
      counts: gridCounts(alpha, n),
    });
    statements.push(
      insert("merge_outputs", {
        merge_id: mergeId,
        position,
        checkpoint_id: id,
        alpha,
        status: "ready",
        backend_job_id: null,
        output_url: null,
        error: null,
        evaluation_id: `eval_${prefix}_a${position}`,
        updated_at: at(2),
      }),
    );
  });
  const tieIds: string[] = [];
  for (let i = 0; i < ties; i++) {
    // Ids deliberately not in insertion order, so "then by id" is visible.
    const id = `ckpt_${prefix}_tie${String.fromCharCode(101 - i)}`;
    tieIds.push(id);
    checkpoints.push({
      id,
      run: otherRun,
      label: null,
      step: 100 * (i + 1),
      source: "api",
      alpha: null,
      parents: null,
      evaluation: `eval_${prefix}_tie${i}`,
      counts: gridCounts(2.5, n),
    });
  }

  const seeded: Seed["checkpoints"] = [];
  checkpoints.forEach((c, i) => {
    const rows = verdictRows(c.counts);
    const metrics = metricsFromRows(rows, STANDARD_KS, TIERS.length);
    statements.push(
      insert("checkpoints", {
        id: c.id,
        run: c.run,
        step: c.step,
        url: `hf://acme/${c.id}`,
        label: c.label,
        status: "ready",
        source: c.source,
        parents: c.parents,
        metadata: null,
        created_at: at(3),
        updated_at: at(3),
      }),
      insert("evaluations", {
        id: c.evaluation,
        checkpoint_id: c.id,
        benchmark: benchmark.name,
        benchmark_version: version,
        language: "python",
        params: { n, temperature: 1, top_p: 1, max_tokens: 1024, seed: 0 },
        problems: PROBLEMS,
        requested: n * PROBLEMS.length,
        status: "complete",
        sample_job_id: null,
        sampling_mode: "poll",
        sample_cursor: 0,
        errors: [],
        created_at: at(4),
        updated_at: at(10 + i),
        completed_at: at(10 + i),
      }),
      insert("evaluation_metrics", {
        evaluation_id: c.evaluation,
        checkpoint_id: c.id,
        run: c.run,
        benchmark: benchmark.name,
        benchmark_version: version,
        pass_at_1: metrics.pass_at_k["pass@1"] ?? null,
        pass_at_k: metrics.pass_at_k,
        se: metrics.se,
        breakdown: metrics.breakdown,
        per_problem: metrics.per_problem,
        samples: rows.length,
        computed_at: at(10 + i),
      }),
    );
    // Samples in chunks: the frontier endpoint reads verdicts from them.
    for (let s = 0; s < rows.length; s += 40) {
      const values = rows
        .slice(s, s + 40)
        .map(
          (r, j) =>
            `(${[c.evaluation, r.problem, s + j, "```python\nprint(1)\n```", "python", r.verdict, r.tiers_passed, "executor", at(5), at(6)].map(q).join(", ")})`,
        );
      statements.push(
        `INSERT INTO samples (evaluation_id, problem_id, idx, text, language, verdict, tiers_passed, source, received_at, judged_at) VALUES ${values.join(", ")}`,
      );
    }
    seeded.push({
      id: c.id,
      run: c.run,
      label: c.label,
      alpha: c.alpha,
      evaluation: c.evaluation,
      passAt: metrics.pass_at_k,
      correctness: metrics.breakdown.correctness_failure_rate ?? 0,
      efficiency: metrics.breakdown.efficiency_failure_rate ?? 0,
    });
  });

  // A public track with the evaluations' protocol, and (by default) every evaluation published on it.
  const track = options.track === false ? null : `${prefix}-track`;
  if (track) {
    statements.push(
      insert("tracks", {
        id: track,
        team_id: null,
        benchmark: benchmark.name,
        benchmark_version: version,
        setting: "reasoning",
        language: "python",
        n,
        temperature: 1,
        top_p: 1,
        max_tokens: 1024,
        seed: 0,
        split: null,
        problems: PROBLEMS,
        description: "seeded for the leaderboard tests",
        created_at: at(0),
      }),
    );
    if (options.publish !== false) {
      for (const c of checkpoints) {
        statements.push(insert("track_publications", { track, evaluation_id: c.evaluation, team_id: "default", via: "api", published_at: at(30) }));
      }
    }
  }

  // An equal-budget ensemble of the two extrapolated ends, at the budget n.
  const members = [checkpoints.find((c) => c.alpha === -0.5)!, checkpoints.find((c) => c.alpha === 1.5)!];
  const memberRows = members.flatMap((m) =>
    perProblem(verdictRows(m.counts)).map(({ problem, n: total, c }) => ({ member: m.evaluation, problem, n: total, c })),
  );
  const report = ensemblePassAtK(memberRows, { budget: n, allocation: "equal" });
  const ensembleId = `ens_${prefix}`;
  statements.push(
    insert("ensembles", {
      id: ensembleId,
      members: members.map((m) => m.evaluation),
      budget: n,
      allocation: "equal",
      result: { ...report, benchmark: benchmark.id, checkpoints: Object.fromEntries(members.map((m) => [m.evaluation, m.id])) },
      created_at: at(40),
    }),
  );
  return {
    statements,
    benchmark,
    mergeRun,
    ensembleId,
    checkpoints: seeded,
    frontierIds: checkpoints.filter((c) => c.alpha !== null).map((c) => c.id),
    tieIds,
    track,
  };
}

/** The leaderboard order the API must produce at k: pass@k descending (missing last), then id. */
export function expectedOrder(seed: Seed, k: number): string[] {
  const key = `pass@${k}`;
  return [...seed.checkpoints].sort((a, b) => (b.passAt[key] ?? -1) - (a.passAt[key] ?? -1) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((c) => c.id);
}
