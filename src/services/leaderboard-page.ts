// What the web page at / shows: the leaderboard for the chosen benchmark and k, the frontier of one
// run, and for each checkpoint on screen its detail (pass@k over k, tiers, verdicts, ensembles).
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { checkpoints, ensembles, evaluationMetrics, evaluations } from "../db/schema/index.ts";
import type { CheckpointDetail, FrontierView } from "@frontier/contracts";
import { ProblemError } from "@frontier/http";
import type { Database } from "../ports.ts";
import { runFrontier, trackFrontier } from "./analysis.ts";
import { benchmarkJson, listBenchmarks } from "./benchmarks.ts";
import { leaderboardPage, leaderboardScope, runsWithResults, type LeaderboardPage } from "./leaderboard.ts";
import { STANDARD_KS } from "./metrics.ts";
import { submissionQueue } from "./submissions.ts";
import { chunk } from "./sql.ts";

export interface PageQuery {
  benchmark?: string;
  track?: string;
  k: number;
  run?: string;
  cursor?: string;
  /** The caller's team (a keyed request): its private tracks and its run's frontier. */
  team?: string;
}

// The page's per-checkpoint detail and frontier are public shapes: the page's script reads them.
export type { CheckpointDetail, FrontierView };

export interface PageData {
  benchmarks: { id: string; name: string; version: string; problems: number }[];
  benchmark: ReturnType<typeof benchmarkJson> | null;
  ks: number[];
  k: number;
  leaderboard: LeaderboardPage;
  runs: { run: string; checkpoints: number }[];
  run: string | null;
  frontier: FrontierView | null;
  details: Record<string, CheckpointDetail>;
  /** The chosen run's own checkpoints (those with a training step) on the frontier, by step. */
  steps: RunStep[];
  /** The public submission queue: queued and running submissions, oldest first. */
  queue: Awaited<ReturnType<typeof submissionQueue>>;
  /** Set when the requested benchmark does not exist (the page says so with a 404). */
  missing: string | null;
}

const PAGE_ROWS = 100;

type Breakdown = {
  judged?: number;
  system_errors?: number;
  by_verdict?: Record<string, number>;
  tiers?: { tier: number; pass_rate: number; correctness_failure_rate: number; efficiency_failure_rate: number }[];
};

export async function pageData(db: Database, query: PageQuery): Promise<PageData> {
  const all = await listBenchmarks(db);
  const benchmarks = all.map((b) => ({ id: `${b.name}@${b.version}`, name: b.name, version: b.version, problems: b.problemCount }));
  let scope: Awaited<ReturnType<typeof leaderboardScope>>;
  try {
    scope = await leaderboardScope(db, query);
  } catch (error) {
    if (error instanceof ProblemError && error.problem.status === 404) return emptyPage(benchmarks, query, query.benchmark ?? null);
    throw error;
  }
  const { benchmark, track } = scope;
  if (!benchmark) return emptyPage(benchmarks, query, null);
  const id = `${benchmark.name}@${benchmark.version}`;

  // Only what this caller may see offers a k: ensembles and evaluations that are published, or its team's.
  const budgets = await db
    .selectDistinct({ budget: ensembles.budget })
    .from(ensembles)
    .where(and(sql`json_extract(${ensembles.result}, '$.benchmark') = ${id}`, visibleEnsemble(query.team)));
  // Samples per problem are k values every stored evaluation has (pass@n), so the filter offers them too.
  const sampleCounts = await db
    .selectDistinct({ n: sql<number>`json_extract(${evaluations.params}, '$.n')` })
    .from(evaluations)
    .where(
      and(
        eq(evaluations.benchmark, benchmark.name),
        eq(evaluations.benchmarkVersion, benchmark.version),
        sql`(${query.team !== undefined ? sql`${evaluations.teamId} = ${query.team} OR ` : sql``}EXISTS (SELECT 1 FROM track_publications p WHERE p.evaluation_id = ${evaluations.id}))`,
      ),
    );
  const ks = [...new Set<number>([...STANDARD_KS, ...budgets.map((b) => b.budget), ...sampleCounts.map((s) => Number(s.n)), query.k])].sort((a, b) => a - b);
  const leaderboard = await leaderboardPage(db, { benchmark: id, track: track?.id, k: query.k, cursor: query.cursor, limit: PAGE_ROWS, team: query.team });
  // Runs are private: a keyed page picks among its team's runs; everyone else sees the track's
  // public frontier (its published points, whatever their run).
  const runs = await runsWithResults(db, benchmark, query.team);
  const run = query.run && runs.some((r) => r.run === query.run) ? query.run : (runs[0]?.run ?? null);
  const frontier: FrontierView | null = run
    ? await runFrontier(db, run, { benchmark: id, track: track?.id, ks: [query.k], teamId: query.team })
    : track
      ? { run: null, ...(await trackFrontier(db, track, { ks: [query.k], teamId: query.team })) }
      : null;

  const evaluationIds = new Set<string>();
  for (const row of leaderboard.data) if (row.evaluation) evaluationIds.add(row.evaluation);
  for (const point of frontier?.points ?? []) evaluationIds.add(point.evaluation);
  const details = await checkpointDetails(db, id, [...evaluationIds], benchmark.tiers, query.team);
  const steps = await runSteps(db, frontier, query.k);
  const queue = await pageQueue(db);
  return { benchmarks, benchmark: benchmarkJson(benchmark), ks, k: query.k, leaderboard, runs, run, frontier, details, steps, queue, missing: null };
}

export interface RunStep {
  step: number;
  checkpoint: string;
  evaluation: string;
  pass_at_k: number | null;
  correctness_failure_rate: number | null;
  efficiency_failure_rate: number | null;
}

/** The frontier's points that are training steps of the run (not merges), in step order. */
async function runSteps(db: Database, frontier: FrontierView | null, k: number): Promise<RunStep[]> {
  const points = frontier?.points ?? [];
  const steps = new Map<string, number>();
  for (const part of chunk(
    points.map((p) => p.checkpoint),
    90,
  )) {
    const rows = await db
      .select({ id: checkpoints.id, step: checkpoints.step, source: checkpoints.source })
      .from(checkpoints)
      .where(inArray(checkpoints.id, part));
    for (const row of rows) if (row.step !== null && row.source !== "merge") steps.set(row.id, row.step);
  }
  return points
    .filter((p) => steps.has(p.checkpoint))
    .map((p) => ({
      step: steps.get(p.checkpoint)!,
      checkpoint: p.checkpoint,
      evaluation: p.evaluation,
      pass_at_k: p.pass_at_k[`pass@${k}`] ?? null,
      correctness_failure_rate: p.correctness_failure_rate,
      efficiency_failure_rate: p.efficiency_failure_rate,
    }))
    .sort((a, b) => a.step - b.step);
}

/** Queued then running submissions (at most 20 of each). */
async function pageQueue(db: Database) {
  return [...(await submissionQueue(db, "pending", 20)), ...(await submissionQueue(db, "running", 20))];
}

function emptyPage(benchmarks: PageData["benchmarks"], query: PageQuery, missing: string | null): PageData {
  return {
    benchmarks,
    benchmark: null,
    ks: [...STANDARD_KS],
    k: query.k,
    leaderboard: { benchmark: null, track: null, k: query.k, kind: null, data: [], next_cursor: null },
    runs: [],
    run: null,
    frontier: null,
    details: {},
    steps: [],
    queue: [],
    missing,
  };
}

/** SQL: an ensemble this caller may see: its team's own, or one whose every member is published (on some track). */
function visibleEnsemble(team: string | undefined): SQL {
  const allPublished = sql`NOT EXISTS (SELECT 1 FROM json_each(${ensembles.members}) j WHERE NOT EXISTS (SELECT 1 FROM track_publications p WHERE p.evaluation_id = j.value))`;
  return team !== undefined ? sql`(${ensembles.teamId} = ${team} OR ${allPublished})` : allPublished;
}

async function checkpointDetails(
  db: Database,
  benchmarkId: string,
  evaluationIds: string[],
  tierNames: string[],
  team: string | undefined,
): Promise<Record<string, CheckpointDetail>> {
  const details: Record<string, CheckpointDetail> = {};
  const byEvaluation = new Map<string, CheckpointDetail>();
  for (const part of chunk(evaluationIds, 90)) {
    const rows = await db
      .select({
        evaluation: evaluationMetrics.evaluationId,
        checkpoint: evaluationMetrics.checkpointId,
        passAtK: evaluationMetrics.passAtK,
        se: evaluationMetrics.se,
        breakdown: evaluationMetrics.breakdown,
      })
      .from(evaluationMetrics)
      .where(inArray(evaluationMetrics.evaluationId, part));
    for (const row of rows) {
      const breakdown = row.breakdown as Breakdown;
      const curve = Object.entries(row.passAtK)
        .map(([key, pass]) => ({ k: Number(key.replace("pass@", "")), pass, se: row.se[key] ?? null }))
        .filter((point) => Number.isInteger(point.k))
        .sort((a, b) => a.k - b.k);
      const detail: CheckpointDetail = {
        checkpoint: row.checkpoint,
        evaluation: row.evaluation,
        curve,
        tiers: (breakdown.tiers ?? []).map((t) => ({ ...t, name: tierNames[t.tier] ?? `tier ${t.tier}` })),
        verdicts: breakdown.by_verdict ?? {},
        judged: breakdown.judged ?? null,
        system_errors: breakdown.system_errors ?? null,
        ensembles: [],
      };
      details[row.checkpoint] = detail;
      byEvaluation.set(row.evaluation, detail);
    }
  }
  if (byEvaluation.size === 0) return details;
  const groups = await db
    .select()
    .from(ensembles)
    .where(and(sql`json_extract(${ensembles.result}, '$.benchmark') = ${benchmarkId}`, visibleEnsemble(team)))
    .limit(500);
  for (const group of groups) {
    const result = group.result as {
      ensemble?: number;
      best_single?: { member: string; value: number } | null;
      gain?: number | null;
      single_at_budget?: Record<string, number | null>;
    };
    if (typeof result.ensemble !== "number") continue;
    for (const member of group.members) {
      byEvaluation.get(member)?.ensembles.push({
        id: group.id,
        budget: group.budget,
        allocation: group.allocation,
        ensemble: result.ensemble,
        best_single: result.best_single ?? null,
        gain: result.gain ?? null,
        this_member_alone: result.single_at_budget?.[member] ?? null,
      });
    }
  }
  return details;
}
