// Ensembles over evaluations and the frontier of a run, from judged samples via the metrics domain.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { checkpoints, DEFAULT_TEAM, ensembles, evaluations, mergeOutputs, type TrackRow } from "../db/schema/index.ts";
import { newId } from "../domain/ids.ts";
import { ALLOCATIONS, SELECTIONS, complementarity, ensemblePassAtK, frontier, MetricsInputError, type MemberCountRow } from "../domain/metrics/index.ts";
import { ProblemError, validationProblem } from "@frontier/http";
import type { Setting } from "@frontier/contracts";
import { SeedSchema } from "@frontier/contracts";
import type { Database, Ports } from "../ports.ts";
import { perProblem, verdictRowsByEvaluation } from "./metrics.ts";
import { chunk } from "./sql.ts";
import { visibleOn } from "./publications.ts";
import { conformsTo, trackOr404 } from "./tracks.ts";

export const EnsembleRequestSchema = z
  .object({
    members: z.array(z.string().min(1).max(64)).min(1).max(64),
    budget: z.number().int().min(1).max(100_000),
    allocation: z.enum(ALLOCATIONS).default("equal"),
    /** For `proportional`: a weight per member evaluation id. */
    weights: z.record(z.string(), z.number().min(0)).optional(),
    /** Fit the optimized allocation on other problems than it is scored on. */
    holdout: z
      .union([z.object({ problems: z.array(z.string()).min(1) }), z.object({ fraction: z.number().gt(0).lt(1), seed: z.number().int().optional() })])
      .optional(),
    /** How the best single member and an optimized allocation are chosen; `in_sample` is biased and labelled so. */
    selection: z.enum(SELECTIONS).default("crossfit"),
    /** Crossfit folds over problems. */
    folds: z.number().int().min(2).max(100).default(5),
    /** Seed for the folds and the bootstrap interval of the gain. */
    seed: SeedSchema,
    /** Bootstrap resamples for `gain_ci` (default 1000; 200 for optimized); 0 skips the interval. */
    resamples: z.number().int().min(0).max(2000).optional(),
  })
  .strict();
export type EnsembleRequest = z.infer<typeof EnsembleRequestSchema>;

function metricsProblem(error: MetricsInputError): ProblemError {
  return new ProblemError(
    validationProblem(
      error.issues.map((message) => ({ path: "(metrics)", message })),
      422,
      error.message,
    ),
  );
}

/** Members must be evaluations of `teamId` (another team's is "no evaluation"). */
export async function createEnsemble(ports: Ports, request: EnsembleRequest, teamId: string = DEFAULT_TEAM) {
  const { db } = ports;
  if (new Set(request.members).size !== request.members.length)
    throw new ProblemError(validationProblem([{ path: "members", message: "members must be distinct" }]));
  const rows = await db
    .select()
    .from(evaluations)
    .where(and(inArray(evaluations.id, request.members), eq(evaluations.teamId, teamId)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const errors = request.members.flatMap((id, i) => {
    const row = byId.get(id);
    if (!row) return [{ path: `members.${i}`, message: `no evaluation ${id}` }];
    if (row.status !== "complete") return [{ path: `members.${i}`, message: `evaluation ${id} is ${row.status}, not complete` }];
    return [];
  });
  if (errors.length) throw new ProblemError(validationProblem(errors));
  const versions = new Set(rows.map((row) => `${row.benchmark}@${row.benchmarkVersion}`));
  if (versions.size > 1)
    throw new ProblemError(validationProblem([{ path: "members", message: `members were evaluated on different benchmarks: ${[...versions].join(", ")}` }]));
  const settings = new Set(rows.map((row) => row.setting));
  if (settings.size > 1)
    throw new ProblemError(validationProblem([{ path: "members", message: `members were evaluated in different settings: ${[...settings].join(", ")}` }]));

  const verdicts = await verdictRowsByEvaluation(db, request.members);
  const counts: MemberCountRow[] = request.members.flatMap((member) =>
    perProblem(verdicts.get(member)!).map(({ problem, n, c }) => ({ member, problem, n, c })),
  );
  let report: ReturnType<typeof ensemblePassAtK>;
  try {
    report = ensemblePassAtK(counts, {
      budget: request.budget,
      allocation: request.allocation,
      weights: request.weights,
      holdout: request.holdout,
      selection: request.selection,
      folds: request.folds,
      seed: request.seed,
      resamples: request.resamples,
    });
  } catch (error) {
    if (error instanceof MetricsInputError) throw metricsProblem(error);
    throw error;
  }
  const now = ports.clock.now();
  const row = {
    id: newId("ens", now),
    teamId,
    members: request.members,
    budget: request.budget,
    allocation: request.allocation,
    result: {
      ...report,
      benchmark: [...versions][0],
      checkpoints: Object.fromEntries(request.members.map((id) => [id, byId.get(id)!.checkpointId])),
    } as Record<string, unknown>,
    createdAt: now.toISOString(),
  };
  await db.insert(ensembles).values(row);
  return row;
}

export async function getEnsemble(db: Database, id: string) {
  const [row] = await db.select().from(ensembles).where(eq(ensembles.id, id)).limit(1);
  return row;
}

export function ensembleJson(row: typeof ensembles.$inferSelect) {
  return { id: row.id, members: row.members, budget: row.budget, allocation: row.allocation, result: row.result, created_at: row.createdAt };
}

type FrontierCandidate = { checkpoint: string; label: string | null; evaluation: string; benchmark: string; version: string };

/**
 * The frontier of a run: for each of its checkpoints, its latest complete evaluation on the
 * benchmark (α from the merge lineage when it is a merge-grid point), the Pareto set over the two
 * failure rates, and complementarity over the problems every point attempted.
 */
/** `teamId`: the run's team (a run name is unique within a team). */
export async function runFrontier(
  db: Database,
  run: string,
  options: { benchmark?: string; track?: string; ks: number[]; setting?: Setting; teamId?: string },
) {
  // On a track: only evaluations that follow its protocol and cover its problem set (its benchmark).
  const track = options.track !== undefined ? await trackOr404(db, options.track, options.teamId) : null;
  if (track) options = { ...options, benchmark: `${track.benchmark}@${track.benchmarkVersion}` };
  const onTrack = track ? sql`EXISTS (SELECT 1 FROM tracks t WHERE t.id = ${track.id} AND ${conformsTo("evaluations", "t")})` : undefined;
  // Frontiers are per setting: a track fixes it; otherwise the request names it (default reasoning).
  const setting = track ? (track.setting as Setting) : (options.setting ?? "reasoning");
  const points = await db
    .select({
      checkpoint: checkpoints.id,
      label: checkpoints.label,
      evaluation: evaluations.id,
      benchmark: evaluations.benchmark,
      version: evaluations.benchmarkVersion,
    })
    .from(checkpoints)
    .innerJoin(evaluations, eq(evaluations.checkpointId, checkpoints.id))
    .where(
      and(
        eq(checkpoints.teamId, options.teamId ?? DEFAULT_TEAM),
        eq(checkpoints.run, run),
        eq(evaluations.status, "complete"),
        eq(evaluations.setting, setting),
        onTrack,
      ),
    )
    .orderBy(desc(evaluations.completedAt));
  const benchmarks = [...new Set(points.map((p) => `${p.benchmark}@${p.version}`))];
  let chosen: string | undefined;
  if (options.benchmark) {
    // A bare name means its most recently completed version in this run.
    const named = points.find((p) => p.benchmark === options.benchmark);
    chosen = options.benchmark.includes("@") ? options.benchmark : named ? `${named.benchmark}@${named.version}` : options.benchmark;
  } else if (benchmarks.length > 1) {
    throw new ProblemError(
      validationProblem([{ path: "benchmark", message: `run ${run} has evaluations on several benchmarks (${benchmarks.join(", ")}); choose one` }], 400),
    );
  } else chosen = benchmarks[0];
  return { run, benchmark: chosen ?? null, track: track?.id ?? null, ...(await frontierOver(db, latestPerCheckpoint(points, chosen), options.ks)) };
}

/**
 * The public frontier of a track: one point per checkpoint with a published conforming evaluation
 * there (its latest), plus the caller's team's own unpublished ones when `teamId` is given. Runs
 * are private, so the track's frontier mixes every team's published points; α comes from lineage.
 */
export async function trackFrontier(db: Database, track: TrackRow, options: { ks: number[]; teamId?: string }) {
  const points = await db.all<{ checkpoint: string; label: string | null; evaluation: string; benchmark: string; version: string }>(sql`
    SELECT c.id AS checkpoint, c.label AS label, e.id AS evaluation, e.benchmark AS benchmark, e.benchmark_version AS version
    FROM evaluations e JOIN checkpoints c ON c.id = e.checkpoint_id JOIN tracks t ON t.id = ${track.id}
    WHERE ${conformsTo("e", "t")} AND ${visibleOn("e", "t", options.teamId)}
    ORDER BY e.completed_at DESC, e.id DESC`);
  const benchmark = `${track.benchmark}@${track.benchmarkVersion}`;
  return { benchmark, track: track.id, ...(await frontierOver(db, latestPerCheckpoint(points, benchmark), options.ks)) };
}

/** Candidates newest first: the first (latest) evaluation of each checkpoint on the chosen benchmark. */
function latestPerCheckpoint(points: FrontierCandidate[], chosen: string | undefined): FrontierCandidate[] {
  const latest = new Map<string, FrontierCandidate>();
  for (const p of points) if (`${p.benchmark}@${p.version}` === chosen && !latest.has(p.checkpoint)) latest.set(p.checkpoint, p);
  return [...latest.values()];
}

/** Failure rates and pass@k per point, the Pareto set, and complementarity over shared problems. */
async function frontierOver(db: Database, chosenPoints: FrontierCandidate[], ks: number[]) {
  const alphas = new Map<string, number | null>();
  for (const part of chunk(
    chosenPoints.map((p) => p.checkpoint),
    90,
  )) {
    const rows = await db
      .select({ checkpoint: mergeOutputs.checkpointId, alpha: mergeOutputs.alpha })
      .from(mergeOutputs)
      .where(inArray(mergeOutputs.checkpointId, part));
    for (const row of rows) alphas.set(row.checkpoint, row.alpha);
  }
  const verdicts = await verdictRowsByEvaluation(
    db,
    chosenPoints.map((p) => p.evaluation),
  );
  const result = frontier(
    chosenPoints.map((p) => ({ checkpoint: p.checkpoint, alpha: alphas.get(p.checkpoint) ?? null, samples: verdicts.get(p.evaluation)! })),
    ks,
  );
  // Complementarity needs every member on every problem: use the problems all points share.
  const perPoint = chosenPoints.map((p) => ({ member: p.checkpoint, rows: perProblem(verdicts.get(p.evaluation)!) }));
  const shared = perPoint.length
    ? perPoint.map((p) => new Set(p.rows.map((r) => r.problem))).reduce((a, b) => new Set(Array.from(a).filter((x) => b.has(x))))
    : new Set<string>();
  const memberRows: MemberCountRow[] = perPoint.flatMap((p) =>
    p.rows.filter((r) => shared.has(r.problem)).map(({ problem, n, c }) => ({ member: p.member, problem, n, c })),
  );
  const byCheckpoint = new Map(chosenPoints.map((p) => [p.checkpoint, p]));
  return {
    points: result.points.map((point) => ({
      ...point,
      evaluation: byCheckpoint.get(point.checkpoint)!.evaluation,
      label: byCheckpoint.get(point.checkpoint)!.label,
    })),
    pareto: result.pareto,
    complementarity: memberRows.length > 0 && shared.size > 0 ? complementarity(memberRows) : null,
  };
}
