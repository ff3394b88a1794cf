// The public leaderboard: one row per checkpoint (its latest complete evaluation on a benchmark
// version, read from the stored metrics) and one per ensemble, ranked by pass@k with a stable
// tie-break, paged with opaque cursors. Everything is computed in one SQL query so a page costs
// one round trip to D1 whatever the table size.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { benchmarks, evaluationMetrics } from "../db/schema/index.ts";
import { decodeCursor, encodeCursor } from "../domain/cursor.ts";
import { ProblemError, validationProblem } from "@frontier/http";
import type { Database } from "../ports.ts";
import { resolveBenchmark, type BenchmarkRow } from "./benchmarks.ts";
import type { Leaderboard, LeaderboardKind, LeaderboardRow, Setting } from "@frontier/contracts";
import type { TrackRow } from "../db/schema/index.ts";
import { publishedOn, visibleOn } from "./publications.ts";
import { conformsTo, listTracks, trackOr404 } from "./tracks.ts";

// The public shapes (rows, page) are the contract's; this module computes them.
export { LEADERBOARD_KINDS, type LeaderboardKind, type LeaderboardRow } from "@frontier/contracts";
export type LeaderboardPage = Leaderboard;

export interface LeaderboardQuery {
  /** name (its latest version with results) or name@version; default: the benchmark evaluated last. */
  benchmark?: string;
  /** The track ranked; default: the first track of the benchmark (none: the ad-hoc view, latest evaluation per checkpoint). */
  track?: string;
  k: number;
  kind?: LeaderboardKind;
  /** Only rows of this inference setting (default all; a checkpoint has one row per setting). */
  setting?: Setting;
  cursor?: string;
  limit: number;
  /** The caller's team: its private tracks are readable too. */
  team?: string;
}

/** Rows without pass@k at this k (k above their n) sort after every scored row. */
const UNSCORED = -1;

type RawRow = {
  kind: LeaderboardKind;
  id: string;
  score_key: number;
  label: string | null;
  run: string | null;
  evaluation: string | null;
  se: number | null;
  cfr: number | null;
  efr: number | null;
  ofr: number | null;
  pass_rate: number | null;
  per_problem: number | null;
  source: string | null;
  step: number | null;
  alpha: number | null;
  parents: string | null;
  members: string | null;
  budget: number | null;
  allocation: string | null;
  best_single: string | null;
  gain: number | null;
  updated_at: string;
  setting: string | null;
  published: number;
};

export function badQuery(path: string, message: string): ProblemError {
  return new ProblemError(validationProblem([{ path, message }], 400));
}

export function benchmarkNotFound(reference: string): ProblemError {
  return new ProblemError({ status: 404, type: "not-found", title: "Benchmark not found", detail: `no benchmark ${reference}` });
}

/**
 * The benchmark a leaderboard is about. A bare name means the version of it with the latest
 * results (else its latest registration); nothing means the benchmark evaluated last.
 */
export async function leaderboardBenchmark(db: Database, reference?: string): Promise<BenchmarkRow | null> {
  if (reference !== undefined) {
    if (!reference.includes("@")) {
      const [latest] = await db
        .select({ version: evaluationMetrics.benchmarkVersion })
        .from(evaluationMetrics)
        .where(eq(evaluationMetrics.benchmark, reference))
        .orderBy(desc(evaluationMetrics.computedAt))
        .limit(1);
      if (latest) {
        const row = await resolveBenchmark(db, `${reference}@${latest.version}`);
        if (row) return row;
      }
    }
    const row = await resolveBenchmark(db, reference);
    if (!row) throw benchmarkNotFound(reference);
    return row;
  }
  const [latest] = await db
    .select({ name: evaluationMetrics.benchmark, version: evaluationMetrics.benchmarkVersion })
    .from(evaluationMetrics)
    .orderBy(desc(evaluationMetrics.computedAt))
    .limit(1);
  if (latest) return (await resolveBenchmark(db, `${latest.name}@${latest.version}`)) ?? null;
  const [registered] = await db.select().from(benchmarks).orderBy(desc(benchmarks.registeredAt)).limit(1);
  return registered ?? null;
}

/**
 * The benchmark and track a leaderboard ranks. `track` names one (its benchmark must agree with
 * `benchmark` when both are given). Otherwise the benchmark is chosen as before and ranked on its
 * first track; with no benchmark either, the first track created anywhere. A benchmark without any
 * track has no ranked view: it answers the ad-hoc view (latest evaluation per checkpoint), track null.
 */
export async function leaderboardScope(
  db: Database,
  query: { benchmark?: string; track?: string; team?: string },
): Promise<{ benchmark: BenchmarkRow | null; track: TrackRow | null }> {
  let track: TrackRow | null = null;
  if (query.track !== undefined) track = await trackOr404(db, query.track, query.team);
  else if (query.benchmark === undefined) track = (await listTracks(db))[0] ?? null;
  if (track) {
    const benchmark = await resolveBenchmark(db, `${track.benchmark}@${track.benchmarkVersion}`);
    if (!benchmark) throw benchmarkNotFound(`${track.benchmark}@${track.benchmarkVersion}`);
    if (query.benchmark !== undefined) {
      const asked = query.benchmark.includes("@") ? query.benchmark : `${query.benchmark}@${benchmark.version}`;
      if (asked !== `${benchmark.name}@${benchmark.version}`) throw badQuery("benchmark", `track ${track.id} is on ${benchmark.name}@${benchmark.version}`);
    }
    return { benchmark, track };
  }
  const benchmark = await leaderboardBenchmark(db, query.benchmark);
  if (!benchmark) return { benchmark: null, track: null };
  return { benchmark, track: (await listTracks(db, benchmark))[0] ?? null };
}

function cursorAfter(cursor: string): { score: number; id: string } {
  const decoded = decodeCursor(cursor);
  if (decoded) {
    try {
      const value = JSON.parse(decoded.after);
      if (Array.isArray(value) && value.length === 2 && typeof value[0] === "number" && Number.isFinite(value[0]) && typeof value[1] === "string") {
        return { score: value[0], id: value[1] };
      }
    } catch {
      // not one of ours
    }
  }
  throw badQuery("cursor", "not a cursor this endpoint issued");
}

/** SQL: nothing (the ad-hoc view of an anonymous caller, who owns no evaluations). */
const NONE = sql`0`;

function checkpointRows(benchmark: BenchmarkRow, passKey: string, track: TrackRow | null, setting: Setting | undefined, team: string | undefined): SQL {
  // On a track: only evaluations that conform to it and that this caller may see there (published,
  // or its team's own), the latest such one per checkpoint. Off a track: the caller's team's own.
  const visible = track ? sql`${conformsTo("e", "t")} AND ${visibleOn("e", "t", team)}` : team !== undefined ? sql`e.team_id = ${team}` : NONE;
  const newerVisible = track ? sql`${conformsTo("ne", "t")} AND ${visibleOn("ne", "t", team)}` : team !== undefined ? sql`ne.team_id = ${team}` : NONE;
  const trackJoin = track ? sql`JOIN tracks t ON t.id = ${track.id}` : sql``;
  const published = track ? sql`CASE WHEN ${publishedOn("e", "t")} THEN 1 ELSE 0 END` : sql`0`;
  // The latest visible evaluation per checkpoint on this version: no newer visible metrics row for the same checkpoint.
  return sql`
    SELECT 'checkpoint' AS kind, m.checkpoint_id AS id,
      coalesce(json_extract(m.pass_at_k, ${passKey}), ${UNSCORED}) AS score_key,
      c.label AS label, m.run AS run, m.evaluation_id AS evaluation,
      json_extract(m.se, ${passKey}) AS se,
      json_extract(m.breakdown, '$.correctness_failure_rate') AS cfr,
      json_extract(m.breakdown, '$.efficiency_failure_rate') AS efr,
      json_extract(m.breakdown, '$.other_failure_rate') AS ofr,
      json_extract(m.breakdown, '$.pass_rate') AS pass_rate,
      json_extract(e.params, '$.n') AS per_problem,
      c.source AS source, c.step AS step, mo.alpha AS alpha, c.parents AS parents,
      NULL AS members, NULL AS budget, NULL AS allocation, NULL AS best_single, NULL AS gain,
      m.computed_at AS updated_at, e.setting AS setting, ${published} AS published
    FROM evaluation_metrics m
    JOIN checkpoints c ON c.id = m.checkpoint_id
    JOIN evaluations e ON e.id = m.evaluation_id
    LEFT JOIN merge_outputs mo ON mo.checkpoint_id = m.checkpoint_id
    ${trackJoin}
    WHERE m.benchmark = ${benchmark.name} AND m.benchmark_version = ${benchmark.version} AND ${visible}
      ${setting ? sql`AND e.setting = ${setting}` : sql``}
      AND NOT EXISTS (
        SELECT 1 FROM evaluation_metrics newer JOIN evaluations ne ON ne.id = newer.evaluation_id
        WHERE newer.checkpoint_id = m.checkpoint_id AND newer.benchmark = m.benchmark AND ne.setting = e.setting
          AND newer.benchmark_version = m.benchmark_version
          AND (newer.computed_at > m.computed_at OR (newer.computed_at = m.computed_at AND newer.evaluation_id > m.evaluation_id))
          AND ${newerVisible})`;
}

function ensembleRows(benchmark: BenchmarkRow, k: number, track: TrackRow | null, setting: Setting | undefined, team: string | undefined): SQL {
  // On a track an ensemble ranks only when every member evaluation conforms to it; publicly only
  // when every member is published there too (its team sees its own either way).
  const memberNot = (condition: SQL) => sql`NOT EXISTS (
        SELECT 1 FROM json_each(x.result, '$.checkpoints') j LEFT JOIN evaluations me ON me.id = j.key
        JOIN tracks t ON t.id = ${track?.id ?? null}
        WHERE me.id IS NULL OR NOT (${condition}))`;
  const allPublished = track ? memberNot(sql`${conformsTo("me", "t")} AND ${publishedOn("me", "t")}`) : sql`0`;
  const visible = track
    ? sql`${memberNot(conformsTo("me", "t"))} AND (${allPublished}${team !== undefined ? sql` OR x.team_id = ${team}` : sql``})`
    : team !== undefined
      ? sql`x.team_id = ${team}`
      : NONE;
  // Members share one setting (POST /v1/ensembles checks it): the first member's is the ensemble's.
  const memberSetting = sql`(SELECT me.setting FROM json_each(x.result, '$.checkpoints') j JOIN evaluations me ON me.id = j.key LIMIT 1)`;
  // An ensemble's figure is pass@budget, so it ranks among checkpoints only at k = budget.
  return sql`
    SELECT 'ensemble' AS kind, x.id AS id,
      coalesce(json_extract(x.result, '$.ensemble'), ${UNSCORED}) AS score_key,
      NULL AS label,
      (SELECT CASE WHEN count(DISTINCT c.run) = 1 THEN min(c.run) END
         FROM json_each(x.result, '$.checkpoints') j JOIN checkpoints c ON c.id = j.value) AS run,
      NULL AS evaluation, NULL AS se, NULL AS cfr, NULL AS efr, NULL AS ofr, NULL AS pass_rate,
      x.budget AS per_problem, NULL AS source, NULL AS step, NULL AS alpha, NULL AS parents,
      json_extract(x.result, '$.checkpoints') AS members, x.budget AS budget, x.allocation AS allocation,
      json_extract(x.result, '$.best_single') AS best_single, json_extract(x.result, '$.gain') AS gain,
      x.created_at AS updated_at, ${memberSetting} AS setting,
      CASE WHEN ${allPublished} THEN 1 ELSE 0 END AS published
    FROM ensembles x
    WHERE json_extract(x.result, '$.benchmark') = ${`${benchmark.name}@${benchmark.version}`} AND x.budget = ${k} AND ${visible}
      ${setting ? sql`AND ${memberSetting} = ${setting}` : sql``}`;
}

function parseJson<T>(text: string | null): T | null {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function toRow(raw: RawRow): LeaderboardRow {
  const members = parseJson<Record<string, string>>(raw.members);
  return {
    kind: raw.kind,
    id: raw.id,
    setting: (raw.setting as Setting | null) ?? null,
    label: raw.label,
    run: raw.run,
    evaluation: raw.evaluation,
    pass_at_k: raw.score_key === UNSCORED ? null : raw.score_key,
    se: raw.se,
    correctness_failure_rate: raw.cfr,
    efficiency_failure_rate: raw.efr,
    other_failure_rate: raw.ofr,
    pass_rate: raw.pass_rate,
    samples_per_problem: raw.per_problem,
    lineage: {
      source: raw.source,
      step: raw.step,
      alpha: raw.alpha,
      parents: parseJson(raw.parents),
      members: members ? Object.entries(members).map(([evaluation, checkpoint]) => ({ evaluation, checkpoint: checkpoint ?? null })) : null,
    },
    ensemble:
      raw.kind === "ensemble" ? { budget: raw.budget ?? 0, allocation: raw.allocation ?? "", best_single: parseJson(raw.best_single), gain: raw.gain } : null,
    published: raw.published === 1,
    updated_at: raw.updated_at,
  };
}

/** One page of the leaderboard: pass@k descending (unscored last), then id ascending on ties. */
export async function leaderboardPage(db: Database, query: LeaderboardQuery): Promise<LeaderboardPage> {
  const after = query.cursor !== undefined ? cursorAfter(query.cursor) : null;
  const { benchmark, track } = await leaderboardScope(db, query);
  const empty = { k: query.k, kind: query.kind ?? null, data: [], next_cursor: null };
  if (!benchmark) return { benchmark: null, track: null, ...empty };
  const passKey = `$."pass@${query.k}"`;
  const parts: SQL[] = [];
  if (query.kind !== "ensemble") parts.push(checkpointRows(benchmark, passKey, track, query.setting, query.team));
  if (query.kind !== "checkpoint") parts.push(ensembleRows(benchmark, query.k, track, query.setting, query.team));
  const union = sql.join(parts, sql` UNION ALL `);
  const afterClause = after ? sql`WHERE score_key < ${after.score} OR (score_key = ${after.score} AND id > ${after.id})` : sql``;
  const raws = await db.all<RawRow>(sql`SELECT * FROM (${union}) ${afterClause} ORDER BY score_key DESC, id ASC LIMIT ${query.limit + 1}`);
  const more = raws.length > query.limit;
  const page = raws.slice(0, query.limit);
  const last = page.at(-1);
  return {
    benchmark: { name: benchmark.name, version: benchmark.version, id: `${benchmark.name}@${benchmark.version}` },
    track: track?.id ?? null,
    k: query.k,
    kind: query.kind ?? null,
    data: page.map(toRow),
    next_cursor: more && last ? encodeCursor({ after: JSON.stringify([last.score_key, last.id]) }) : null,
  };
}

/**
 * The team's runs with results on a benchmark version, most evaluated checkpoints first (the page's
 * run picker). A run is private to its team: an anonymous caller has none.
 */
export async function runsWithResults(db: Database, benchmark: BenchmarkRow, team: string | undefined): Promise<{ run: string; checkpoints: number }[]> {
  if (team === undefined) return [];
  return db
    .select({ run: evaluationMetrics.run, checkpoints: sql<number>`count(DISTINCT ${evaluationMetrics.checkpointId})` })
    .from(evaluationMetrics)
    .where(and(eq(evaluationMetrics.teamId, team), eq(evaluationMetrics.benchmark, benchmark.name), eq(evaluationMetrics.benchmarkVersion, benchmark.version)))
    .groupBy(evaluationMetrics.run)
    .orderBy(desc(sql`count(DISTINCT ${evaluationMetrics.checkpointId})`), evaluationMetrics.run)
    .limit(200);
}
