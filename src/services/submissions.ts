// Public submissions: a checkpoint URL evaluated under a track's protocol (never the request's),
// with per-key quotas and a public queue. A URL already evaluated on the track answers the result
// it has; the status is read from the evaluation so it can never drift from the pipeline.
import { and, asc, desc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import { ProblemError, validationProblem } from "@frontier/http";
import { createCheckpoint, getCheckpoint } from "../db/checkpoints.ts";
import { DEFAULT_TEAM, evaluations, submissions, tracks, type EvaluationRow, type SubmissionRow } from "../db/schema/index.ts";
import { newId } from "../domain/ids.ts";
import type { Database, Ports } from "../ports.ts";
import { planEvaluation, startEvaluation } from "./evaluations.ts";
import { getEvaluation } from "./evaluation-store.ts";
import { sampleCounts } from "./samples.ts";
import { pinForRegistration } from "./revisions.ts";
import { redactUrl } from "./access.ts";
import { recordPublication } from "./publications.ts";
import { followsProtocol, teamTrack, trackEvaluationParams } from "./tracks.ts";

import { SUBMISSION_STATUSES, type SubmissionStatus } from "@frontier/contracts";

export { SUBMISSION_STATUSES, type SubmissionStatus };

export const DEFAULT_SAMPLES_PER_DAY = 100_000;
export const DEFAULT_IN_FLIGHT = 3;
/** A team's keys together may use this many times one key's quotas. */
export const TEAM_QUOTA_FACTOR = 5;
/** The run submitted checkpoints are registered under. */
export const SUBMISSIONS_RUN = "submissions";
const DAY_MS = 24 * 60 * 60 * 1000;
const IN_FLIGHT = ["queued", "sampling", "judging"] as const;

export function submissionStatus(row: SubmissionRow, evaluation: EvaluationRow | undefined): SubmissionStatus {
  if (row.cancelledAt) return "cancelled";
  switch (evaluation?.status) {
    case "queued":
    case undefined:
      return "queued";
    case "sampling":
    case "judging":
      return "running";
    case "complete":
      return evaluation.errors.length > 0 ? "complete_with_errors" : "complete";
    case "complete_with_errors":
      return "complete_with_errors";
    case "cancelled":
      return "cancelled";
    default:
      return "failed";
  }
}

export async function submissionJson(db: Database, row: SubmissionRow, evaluation?: EvaluationRow, position: number | null = null) {
  const evaluationRow = evaluation ?? (await getEvaluation(db, row.evaluationId));
  const counts = await sampleCounts(db, row.evaluationId);
  const status = submissionStatus(row, evaluationRow);
  if (status === "queued" && position === null) position = await queuePosition(db, row);
  return {
    id: row.id,
    url: row.url,
    track: row.track,
    label: row.label,
    checkpoint: row.checkpointId,
    evaluation: row.evaluationId,
    status,
    position: status === "queued" ? position : null,
    progress: {
      requested: evaluationRow?.requested ?? row.samples,
      received: counts.received,
      judged: counts.judged + counts.cached + counts.extraction + counts.dead_lettered,
    },
    created_at: row.createdAt,
    cancelled_at: row.cancelledAt,
  };
}
export type SubmissionJson = Awaited<ReturnType<typeof submissionJson>>;

/** Place of a queued submission: queued evaluations submitted up to it (one place per evaluation). */
async function queuePosition(db: Database, row: SubmissionRow): Promise<number> {
  const [result] = await db.all<{ n: number }>(
    sql`SELECT count(DISTINCT s.evaluation_id) AS n FROM submissions s JOIN evaluations e ON e.id = s.evaluation_id
        WHERE e.status = 'queued' AND s.cancelled_at IS NULL
          AND (s.created_at < ${row.createdAt} OR (s.created_at = ${row.createdAt} AND s.id <= ${row.id}))`,
  );
  return Number(result?.n ?? 0) || 1;
}

function tooMany(detail: string, retryAfter?: number): ProblemError {
  return new ProblemError({
    status: 429,
    type: "rate-limited",
    title: "Submission quota exceeded",
    detail,
    ...(retryAfter !== undefined ? { headers: { "retry-after": String(retryAfter) } } : {}),
  });
}

/**
 * Registers the URL's checkpoint and queues its evaluation under the track's protocol. Answers
 * `created: false` with the existing submission (or a new record of the existing evaluation) when
 * the same URL was already evaluated, or is being evaluated, on the track.
 */
export async function submit(
  ports: Ports,
  keyId: string,
  input: { url: string; track: string; label?: string },
  teamId: string = DEFAULT_TEAM,
): Promise<{ row: SubmissionRow; created: boolean }> {
  const { db } = ports;
  const track = await teamTrack(db, input.track, teamId);
  if (!track) throw new ProblemError(validationProblem([{ path: "track", message: `no track '${input.track}'` }]));
  const now = ports.clock.now();
  // Pinned first: the same URL at another revision (a Hub branch that moved) is a new submission.
  const pin = await pinForRegistration(ports, input.url, "url");
  const revision = pin?.revision ?? null;
  const sameRevision = (other: string | null | undefined) => other == null || revision === null || other === revision;

  // The same URL on the same track: its earlier submission that was not cancelled or failed.
  const earlier = await db
    .select()
    .from(submissions)
    .where(and(eq(submissions.teamId, teamId), eq(submissions.track, track.id), eq(submissions.url, input.url), isNull(submissions.cancelledAt)))
    .orderBy(desc(submissions.createdAt));
  for (const row of earlier) {
    if (!sameRevision((await getCheckpoint(db, row.checkpointId))?.revision)) continue;
    if (submissionStatus(row, await getEvaluation(db, row.evaluationId)) !== "failed") return { row, created: false };
  }
  // Or an evaluation that follows the track of a checkpoint with that URL, submitted some other way.
  const [existing] = await db.all<{ id: string; checkpoint_id: string; requested: number }>(
    sql`SELECT e.id, e.checkpoint_id, e.requested FROM evaluations e JOIN checkpoints c ON c.id = e.checkpoint_id JOIN tracks t ON t.id = ${track.id}
        WHERE c.team_id = ${teamId} AND c.url = ${input.url} AND (c.revision IS NULL OR ${revision} IS NULL OR c.revision = ${revision}) AND e.status != 'failed' AND ${followsProtocol("e", "t")} ORDER BY e.created_at DESC LIMIT 1`,
  );
  if (existing) {
    const row: SubmissionRow = {
      id: newId("sub", now),
      teamId,
      keyId,
      url: input.url,
      track: track.id,
      label: input.label ?? null,
      checkpointId: existing.checkpoint_id,
      evaluationId: existing.id,
      // No new work: nothing is charged to the key's daily samples.
      samples: 0,
      cancelledAt: null,
      createdAt: now.toISOString(),
    };
    await db.insert(submissions).values(row);
    await recordPublication(db, { track: track.id, evaluationId: existing.id, teamId, via: "submission" }, now);
    return { row, created: false };
  }

  // Quotas: checked before any work is created.
  const params = trackEvaluationParams(track);
  const plan = await planEvaluation(db, params, "track");
  const samples = plan.problems.length * params.n;
  const inFlightLimit = ports.config.SUBMISSIONS_IN_FLIGHT ?? DEFAULT_IN_FLIGHT;
  const [flying] = await db
    .select({ count: sql<number>`count(*)` })
    .from(submissions)
    .innerJoin(evaluations, eq(evaluations.id, submissions.evaluationId))
    .where(and(eq(submissions.keyId, keyId), isNull(submissions.cancelledAt), inArray(evaluations.status, [...IN_FLIGHT])));
  if ((flying?.count ?? 0) >= inFlightLimit) {
    throw tooMany(`this key has ${flying?.count} submissions queued or running; the limit is ${inFlightLimit}. Submit again once one finishes.`, 60);
  }
  // The team's keys together: TEAM_QUOTA_FACTOR times one key's quotas.
  const [teamFlying] = await db
    .select({ count: sql<number>`count(*)` })
    .from(submissions)
    .innerJoin(evaluations, eq(evaluations.id, submissions.evaluationId))
    .where(and(eq(submissions.teamId, teamId), isNull(submissions.cancelledAt), inArray(evaluations.status, [...IN_FLIGHT])));
  if ((teamFlying?.count ?? 0) >= inFlightLimit * TEAM_QUOTA_FACTOR) {
    throw tooMany(`this team has ${teamFlying?.count} submissions queued or running; the limit is ${inFlightLimit * TEAM_QUOTA_FACTOR}.`, 60);
  }
  const perDay = ports.config.SUBMISSION_SAMPLES_PER_DAY ?? DEFAULT_SAMPLES_PER_DAY;
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  const [used] = await db
    .select({ samples: sql<number>`coalesce(sum(${submissions.samples}), 0)` })
    .from(submissions)
    .where(and(eq(submissions.keyId, keyId), gte(submissions.createdAt, since)));
  const spent = Number(used?.samples ?? 0);
  if (spent + samples > perDay) {
    throw tooMany(`this submission needs ${samples} samples; this key has used ${spent} of its ${perDay} samples in the last 24 hours.`, 3600);
  }
  const [teamUsed] = await db
    .select({ samples: sql<number>`coalesce(sum(${submissions.samples}), 0)` })
    .from(submissions)
    .where(and(eq(submissions.teamId, teamId), gte(submissions.createdAt, since)));
  const teamSpent = Number(teamUsed?.samples ?? 0);
  if (teamSpent + samples > perDay * TEAM_QUOTA_FACTOR) {
    throw tooMany(
      `this submission needs ${samples} samples; this team has used ${teamSpent} of its ${perDay * TEAM_QUOTA_FACTOR} samples in the last 24 hours.`,
      3600,
    );
  }

  const checkpoint = await createCheckpoint(
    db,
    { teamId, run: SUBMISSIONS_RUN, url: input.url, label: input.label ?? null, pin, source: "api", status: "ready" },
    now,
  );
  const evaluation = await startEvaluation(ports, { ...params, checkpoint: checkpoint.id });
  const row: SubmissionRow = {
    id: newId("sub", now),
    teamId,
    keyId,
    url: input.url,
    track: track.id,
    label: input.label ?? null,
    checkpointId: checkpoint.id,
    evaluationId: evaluation.id,
    samples,
    cancelledAt: null,
    createdAt: now.toISOString(),
  };
  await db.insert(submissions).values(row);
  await recordPublication(db, { track: track.id, evaluationId: evaluation.id, teamId, via: "submission" }, now);
  return { row, created: true };
}

/** A submission is public when its track is; one on a private track only to its team (`viewerTeam`). */
export async function submissionOr404(db: Database, id: string, viewerTeam?: string): Promise<SubmissionRow> {
  const [found] = await db
    .select({ submission: submissions, trackTeam: tracks.teamId })
    .from(submissions)
    .leftJoin(tracks, eq(tracks.id, submissions.track))
    .where(eq(submissions.id, id))
    .limit(1);
  const row = found && (found.trackTeam === null || found.submission.teamId === viewerTeam) ? found.submission : undefined;
  if (!row) throw new ProblemError({ status: 404, type: "not-found", title: "Submission not found", detail: `no submission ${id}` });
  return row;
}

/**
 * The public queue, oldest first: `position` numbers the queued submissions (1 is next), progress
 * counts samples. `status` filters: pending (queued), running, finished (complete, with or
 * without errors), failed (failed or cancelled), or one exact status.
 */
/** Another team's submission shows its storage URL as scheme and host only (unless its checkpoint's URL is public). */
export function submissionFor(viewerTeam: string | undefined, row: SubmissionRow, json: SubmissionJson): SubmissionJson {
  return row.teamId === viewerTeam ? json : { ...json, url: redactUrl(json.url) };
}

export async function submissionQueue(db: Database, filter: string | undefined, limit: number, viewerTeam?: string): Promise<SubmissionJson[]> {
  // Positions count every queued submission; a private track's entries are listed to its team only.
  const all = await db
    .select({ submission: submissions, trackTeam: tracks.teamId })
    .from(submissions)
    .leftJoin(tracks, eq(tracks.id, submissions.track))
    .orderBy(asc(submissions.createdAt), asc(submissions.id))
    .limit(2000);
  const rows = all.map((r) => r.submission);
  const listed = new Set(all.filter((r) => r.trackTeam === null || r.submission.teamId === viewerTeam).map((r) => r.submission.id));
  const wanted: Record<string, SubmissionStatus[]> = {
    pending: ["queued"],
    running: ["running"],
    finished: ["complete", "complete_with_errors"],
    failed: ["failed", "cancelled"],
  };
  const accept = filter === undefined ? null : (wanted[filter] ?? [filter as SubmissionStatus]);
  const out: SubmissionJson[] = [];
  let position = 0;
  const seen = new Set<string>();
  for (const row of rows) {
    const evaluation = await getEvaluation(db, row.evaluationId);
    const status = submissionStatus(row, evaluation);
    // One place in the queue per evaluation: a repeated submission of the same work shares it.
    const queued = status === "queued" && !seen.has(row.evaluationId);
    if (queued) {
      position++;
      seen.add(row.evaluationId);
    }
    if (accept && !accept.includes(status)) continue;
    if (!listed.has(row.id) || out.length >= limit) continue;
    out.push(submissionFor(viewerTeam, row, await submissionJson(db, row, evaluation, status === "queued" ? position : null)));
  }
  return out;
}
