// Publications: what a team chose to show on a track. A conforming evaluation ranks on a track's
// public leaderboard and frontier only once published; until then only its own team's keys see it
// there. Submissions publish their evaluation (a submission is a public act), run policies and
// pairs publish when created with `publish: true`, and `POST /v1/evaluations/{id}/publications`
// publishes one evaluation. The visibility rule is one SQL condition (`visibleOn`), so the
// leaderboard and the track frontier apply it inside their single queries.
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Publication } from "@frontier/contracts";
import { ProblemError, validationProblem } from "@frontier/http";
import { trackPublications, type TrackPublicationRow } from "../db/schema/index.ts";
import type { Database } from "../ports.ts";
import { notFound } from "./access.ts";
import { getEvaluation } from "./evaluation-store.ts";
import { followsProtocol, teamTrack } from "./tracks.ts";

export type PublicationVia = TrackPublicationRow["via"];

export function publicationJson(row: TrackPublicationRow): Publication {
  return { track: row.track, evaluation: row.evaluationId, via: row.via, published_at: row.publishedAt };
}

/** Records a publication once; a repeat answers the existing one (created: false). */
export async function recordPublication(
  db: Database,
  entry: { track: string; evaluationId: string; teamId: string; via: PublicationVia },
  now: Date,
): Promise<{ row: TrackPublicationRow; created: boolean }> {
  const row: TrackPublicationRow = { ...entry, publishedAt: now.toISOString() };
  const inserted = await db.insert(trackPublications).values(row).onConflictDoNothing().returning({ track: trackPublications.track });
  if (inserted.length) return { row, created: true };
  const [existing] = await db
    .select()
    .from(trackPublications)
    .where(and(eq(trackPublications.track, entry.track), eq(trackPublications.evaluationId, entry.evaluationId)))
    .limit(1);
  return { row: existing ?? row, created: false };
}

/**
 * Publishes a team's evaluation on a track it may use. The evaluation must follow the track's
 * protocol and problem set (whatever its status: it ranks once complete); a failed or cancelled
 * one never will, so it is refused too.
 */
export async function publishEvaluation(
  db: Database,
  input: { evaluationId: string; track: string; teamId: string },
  now: Date,
): Promise<{ publication: Publication; created: boolean }> {
  const evaluation = await getEvaluation(db, input.evaluationId);
  if (!evaluation || evaluation.teamId !== input.teamId) throw notFound("Evaluation", input.evaluationId);
  const track = await teamTrack(db, input.track, input.teamId);
  if (!track) throw new ProblemError(validationProblem([{ path: "track", message: `no track '${input.track}'` }]));
  if (evaluation.status === "failed" || evaluation.status === "cancelled") {
    throw new ProblemError(validationProblem([{ path: "evaluation", message: `evaluation ${evaluation.id} is ${evaluation.status}: it can never rank` }]));
  }
  const follows = await db.all<{ ok: number }>(
    sql`SELECT 1 AS ok FROM evaluations e JOIN tracks t ON t.id = ${track.id} WHERE e.id = ${evaluation.id} AND ${followsProtocol("e", "t")}`,
  );
  if (!follows.length) {
    throw new ProblemError(
      validationProblem([
        {
          path: "track",
          message: `evaluation ${evaluation.id} does not follow track ${track.id}'s protocol (setting, language, n, temperature, top_p, max_tokens, seed, episode budgets) and problem set`,
        },
      ]),
    );
  }
  const { row, created } = await recordPublication(db, { track: track.id, evaluationId: evaluation.id, teamId: input.teamId, via: "api" }, now);
  return { publication: publicationJson(row), created };
}

/** Withdraws a publication of the team's evaluation; a missing one is a 404. */
export async function withdrawPublication(db: Database, input: { evaluationId: string; track: string; teamId: string }): Promise<void> {
  const deleted = await db
    .delete(trackPublications)
    .where(and(eq(trackPublications.track, input.track), eq(trackPublications.evaluationId, input.evaluationId), eq(trackPublications.teamId, input.teamId)))
    .returning({ track: trackPublications.track });
  if (!deleted.length) throw notFound("Publication", `${input.evaluationId} on ${input.track}`);
}

/** The team's evaluation's publications, in the order made. */
export async function publicationsOf(db: Database, evaluationId: string): Promise<Publication[]> {
  const rows = await db.select().from(trackPublications).where(eq(trackPublications.evaluationId, evaluationId)).orderBy(trackPublications.publishedAt);
  return rows.map(publicationJson);
}

/** SQL: evaluation `e` (alias) is published on track `t` (alias). */
export function publishedOn(e: string, t: string): SQL {
  return sql`EXISTS (SELECT 1 FROM track_publications p WHERE p.track = ${sql.raw(t)}.id AND p.evaluation_id = ${sql.raw(e)}.id)`;
}

/**
 * SQL: evaluation `e` shows on track `t` for this caller: published there, or the caller's team's
 * own (its unpublished rows are visible to it and nobody else).
 */
export function visibleOn(e: string, t: string, teamId: string | undefined): SQL {
  return teamId === undefined ? publishedOn(e, t) : sql`(${publishedOn(e, t)} OR ${sql.raw(e)}.team_id = ${teamId})`;
}
