// Tracks: a benchmark version, a fixed protocol (setting, language, n, temperature, top_p,
// max_tokens, seed) and a problem set. An evaluation ranks on a track only when it is complete,
// follows the protocol exactly and covers exactly the track's problems; anything else is ad-hoc.
// The rule is one SQL condition (`conformsTo`) so the leaderboard applies it in its single query.
import { asc, eq, sql, type SQL } from "drizzle-orm";
import { DEFAULT_MAX_TOOL_CALLS, DEFAULT_MAX_TURNS, type NewTrack, type Track } from "@frontier/contracts";
import { ProblemError, validationProblem } from "@frontier/http";
import { tracks, type TrackRow } from "../db/schema/index.ts";
import type { Database } from "../ports.ts";
import { planEvaluation, type EvaluationParams } from "./evaluations.ts";

export function trackJson(row: TrackRow): Track {
  return {
    id: row.id,
    benchmark: { name: row.benchmark, version: row.benchmarkVersion, id: `${row.benchmark}@${row.benchmarkVersion}` },
    protocol: {
      setting: row.setting,
      language: row.language,
      n: row.n,
      temperature: row.temperature,
      top_p: row.topP,
      max_tokens: row.maxTokens,
      seeding: { rule: "fixed", seed: row.seed },
    },
    split: row.split,
    problems: row.problems,
    description: row.description,
    created_at: row.createdAt,
  };
}

/** The evaluation parameters of a track's protocol: what a submission or a run policy evaluates with. */
export function trackEvaluationParams(row: TrackRow): EvaluationParams {
  return {
    benchmark: `${row.benchmark}@${row.benchmarkVersion}`,
    n: row.n,
    temperature: row.temperature,
    top_p: row.topP,
    max_tokens: row.maxTokens,
    seed: row.seed,
    language: row.language,
    setting: row.setting,
    // A track fixes the episode budgets at the defaults (followsProtocol checks them).
    max_turns: DEFAULT_MAX_TURNS,
    max_tool_calls: DEFAULT_MAX_TOOL_CALLS,
    problems: row.problems,
  };
}

export async function getTrack(db: Database, id: string): Promise<TrackRow | null> {
  const [row] = await db.select().from(tracks).where(eq(tracks.id, id)).limit(1);
  return row ?? null;
}

/** Whether a team may see and use the track: public ones (no team), or its own private one. */
export function trackUsableBy(track: { teamId: string | null }, teamId: string | undefined): boolean {
  return track.teamId === null || track.teamId === teamId;
}

/** The track when public or private to `teamId`; null for a missing one and another team's private one alike. */
export async function teamTrack(db: Database, id: string, teamId: string | undefined): Promise<TrackRow | null> {
  const found = await getTrack(db, id);
  return found && trackUsableBy(found, teamId) ? found : null;
}

/** The track when public or private to `teamId`; a private track of another team is a 404 like a missing one. */
export async function trackOr404(db: Database, id: string, teamId?: string): Promise<TrackRow> {
  const row = await teamTrack(db, id, teamId);
  if (!row) throw new ProblemError({ status: 404, type: "not-found", title: "Track not found", detail: `no track ${id}` });
  return row;
}

/** Public tracks, and the private tracks of `teamId` when given. */
export async function listTracks(db: Database, benchmark?: { name: string; version: string }, teamId?: string): Promise<TrackRow[]> {
  const visible = teamId === undefined ? sql`${tracks.teamId} IS NULL` : sql`(${tracks.teamId} IS NULL OR ${tracks.teamId} = ${teamId})`;
  const query = db.select().from(tracks);
  const rows = benchmark
    ? await query
        .where(sql`${tracks.benchmark} = ${benchmark.name} AND ${tracks.benchmarkVersion} = ${benchmark.version} AND ${visible}`)
        .orderBy(asc(tracks.createdAt), asc(tracks.id))
    : await query.where(visible).orderBy(asc(tracks.createdAt), asc(tracks.id));
  return rows;
}

/**
 * Creates a track. The benchmark and problem list are checked as an evaluation's would be; the
 * problem set is stored resolved (benchmark order). The same id with the same definition answers
 * the existing track (created: false); with another definition, 409: a track never changes, or
 * rows already ranked on it would silently mean something else.
 */
/** `teamId`: null for a public track, else the team it is private to. */
export async function createTrack(db: Database, input: NewTrack, now: Date, teamId: string | null = null): Promise<{ track: TrackRow; created: boolean }> {
  if (input.split !== undefined && input.problems === undefined) {
    throw new ProblemError(validationProblem([{ path: "problems", message: "a split names a problem list: give its problem ids" }]));
  }
  const plan = await planEvaluation(db, { ...input, max_turns: DEFAULT_MAX_TURNS, max_tool_calls: DEFAULT_MAX_TOOL_CALLS, problems: input.problems });
  const row: TrackRow = {
    id: input.id,
    teamId,
    benchmark: plan.benchmark.name,
    benchmarkVersion: plan.benchmark.version,
    setting: input.setting,
    language: input.language,
    n: input.n,
    temperature: input.temperature,
    topP: input.top_p,
    maxTokens: input.max_tokens,
    seed: input.seed,
    split: input.split ?? null,
    problems: plan.problems,
    description: input.description ?? null,
    createdAt: now.toISOString(),
  };
  const inserted = await db.insert(tracks).values(row).onConflictDoNothing().returning({ id: tracks.id });
  if (inserted.length) return { track: row, created: true };
  const existing = (await getTrack(db, input.id))!;
  const same =
    JSON.stringify({ ...trackJson(existing), created_at: "", description: null }) === JSON.stringify({ ...trackJson(row), created_at: "", description: null });
  if (!same) {
    throw new ProblemError({
      status: 409,
      type: "conflict",
      title: "Track exists",
      detail: `track ${input.id} exists with another protocol or problem set; tracks never change, create one under a new id`,
    });
  }
  return { track: existing, created: false };
}

/**
 * SQL condition: evaluation `e` (alias) is complete, follows the track `t` (alias) exactly and
 * covers exactly its problem set, in the track's inference setting.
 */
export function conformsTo(e: string, t: string): SQL {
  return sql`(${sql.raw(e)}.status = 'complete' AND ${followsProtocol(e, t)})`;
}

/** SQL condition: evaluation `e` follows track `t`'s protocol and problem set, whatever its status. */
export function followsProtocol(e: string, t: string): SQL {
  const E = sql.raw(e);
  const T = sql.raw(t);
  return sql`(${E}.benchmark = ${T}.benchmark AND ${E}.benchmark_version = ${T}.benchmark_version
    AND ${E}.setting = ${T}.setting AND ${E}.language = ${T}.language
    AND json_extract(${E}.params, '$.n') = ${T}.n
    AND json_extract(${E}.params, '$.temperature') = ${T}.temperature
    AND json_extract(${E}.params, '$.top_p') = ${T}.top_p
    AND json_extract(${E}.params, '$.max_tokens') = ${T}.max_tokens
    AND json_extract(${E}.params, '$.seed') = ${T}.seed
    AND (${T}.setting <> 'agentic' OR json_extract(${E}.params, '$.max_turns') = ${DEFAULT_MAX_TURNS})
    AND (${T}.setting <> 'tool' OR json_extract(${E}.params, '$.max_tool_calls') = ${DEFAULT_MAX_TOOL_CALLS})
    AND json(${E}.problems) = json(${T}.problems))`;
}

/** Whether one evaluation ranks on a track (the same rule as `conformsTo`, for one row). */
export async function evaluationConforms(db: Database, evaluationId: string, trackId: string): Promise<boolean> {
  const rows = await db.all<{ ok: number }>(
    sql`SELECT 1 AS ok FROM evaluations e JOIN tracks t ON t.id = ${trackId} WHERE e.id = ${evaluationId} AND ${conformsTo("e", "t")}`,
  );
  return rows.length > 0;
}
