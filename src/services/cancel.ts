// Cancelling work: an evaluation, a merge (its outputs still merging and the evaluations they
// started) or a submission (its evaluation, unless another submission still waits on it). Cancelled
// work is finished: the sampling and executions consumers drop its messages, completions that
// still arrive are ignored, and it never completes. The backend has no cancel endpoint, so a
// sampling or merge job it already runs finishes there and its output is ignored. Cancelling twice
// answers the same; cancelling finished work is 409.
import { ProblemError } from "@frontier/http";
import { and, eq, inArray, isNull, ne, notInArray, sql } from "drizzle-orm";
import { checkpoints, evaluations, mergeOutputs, submissions, type EvaluationRow, type SubmissionRow } from "../db/schema/index.ts";
import type { Ports } from "../ports.ts";
import { getEvaluation, isFinished } from "./evaluation-store.ts";
import { evaluationFinished, mergeOutputFinished } from "./events.ts";
import { getMerge } from "./merges.ts";
import { submissionStatus } from "./submissions.ts";

const conflict = (detail: string) => new ProblemError({ status: 409, type: "conflict", title: "Already finished", detail });

/** Cancels a queued or running evaluation; the same answer for one already cancelled; 409 when it finished. */
/** `teamId`: the caller's team; another team's work is "not found" (ids do not leak). */
export async function cancelEvaluation(ports: Ports, id: string, teamId: string): Promise<EvaluationRow> {
  const row = await getEvaluation(ports.db, id);
  if (!row || row.teamId !== teamId) throw new ProblemError({ status: 404, type: "not-found", title: "Evaluation not found", detail: `no evaluation ${id}` });
  if (row.status === "cancelled") return row;
  if (isFinished(row.status)) throw conflict(`evaluation ${id} is already ${row.status}`);
  const at = ports.clock.now().toISOString();
  const [updated] = await ports.db
    .update(evaluations)
    .set({ status: "cancelled", completedAt: at, updatedAt: at })
    .where(and(eq(evaluations.id, id), notInArray(evaluations.status, ["complete", "complete_with_errors", "failed", "cancelled"])))
    .returning();
  if (!updated) {
    // It finished (or was cancelled) between the read and the write.
    const now = (await getEvaluation(ports.db, id))!;
    if (now.status === "cancelled") return now;
    throw conflict(`evaluation ${id} is already ${now.status}`);
  }
  await evaluationFinished(ports, id);
  return updated;
}

/** Cancels a merge's outputs still merging and the unfinished evaluations its outputs started. */
export async function cancelMerge(ports: Ports, id: string, teamId: string) {
  const merge = await getMerge(ports.db, id);
  if (!merge || merge.merge.teamId !== teamId) throw new ProblemError({ status: 404, type: "not-found", title: "Merge not found", detail: `no merge ${id}` });
  const merging = merge.outputs.filter((o) => o.output.status === "merging");
  // Every evaluation of an output (one per track for a paired runs' grid), not only the one it lists.
  const outputCheckpoints = merge.outputs.map((o) => o.output.checkpointId);
  const running = outputCheckpoints.length
    ? await ports.db
        .select({ id: evaluations.id })
        .from(evaluations)
        .where(
          and(
            inArray(evaluations.checkpointId, outputCheckpoints),
            notInArray(evaluations.status, ["complete", "complete_with_errors", "failed", "cancelled"]),
          ),
        )
    : [];
  if (merging.length === 0 && running.length === 0) {
    if (merge.outputs.some((o) => o.output.status === "cancelled")) return merge;
    throw conflict(`merge ${id} has finished`);
  }
  const at = ports.clock.now().toISOString();
  if (merging.length > 0) {
    const positions = merging.map((o) => o.output.position);
    await ports.db.batch([
      ports.db
        .update(mergeOutputs)
        .set({ status: "cancelled", error: "cancelled", updatedAt: at })
        .where(and(eq(mergeOutputs.mergeId, id), inArray(mergeOutputs.position, positions), eq(mergeOutputs.status, "merging"))),
      ports.db
        .update(checkpoints)
        .set({ status: "failed", updatedAt: at })
        .where(
          and(
            inArray(
              checkpoints.id,
              merging.map((o) => o.output.checkpointId),
            ),
            eq(checkpoints.status, "pending"),
          ),
        ),
    ]);
  }
  for (const evaluation of running) {
    try {
      await cancelEvaluation(ports, evaluation.id, merge.merge.teamId);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error; // it finished meanwhile
    }
  }
  const after = (await getMerge(ports.db, id))!;
  await mergeOutputFinished(
    ports,
    after.merge,
    after.outputs.map((o) => o.output),
  );
  return after;
}

/**
 * Cancels a queued or running submission. Its evaluation is cancelled too when the submission
 * started it and no other submission still waits on it.
 */
export async function cancelSubmission(ports: Ports, id: string, teamId: string): Promise<SubmissionRow> {
  const [row] = await ports.db.select().from(submissions).where(eq(submissions.id, id)).limit(1);
  if (!row || row.teamId !== teamId) throw new ProblemError({ status: 404, type: "not-found", title: "Submission not found", detail: `no submission ${id}` });
  if (row.cancelledAt) return row;
  const status = submissionStatus(row, await getEvaluation(ports.db, row.evaluationId));
  if (status !== "queued" && status !== "running") throw conflict(`submission ${id} is already ${status}`);
  const at = ports.clock.now().toISOString();
  const [updated] = await ports.db
    .update(submissions)
    .set({ cancelledAt: at })
    .where(and(eq(submissions.id, id), isNull(submissions.cancelledAt)))
    .returning();
  if (!updated) return (await ports.db.select().from(submissions).where(eq(submissions.id, id)).limit(1))[0];
  const [others] = await ports.db
    .select({ n: sql<number>`count(*)` })
    .from(submissions)
    .where(and(eq(submissions.evaluationId, row.evaluationId), ne(submissions.id, id), isNull(submissions.cancelledAt)));
  if (row.samples > 0 && Number(others?.n ?? 0) === 0) {
    try {
      await cancelEvaluation(ports, row.evaluationId, row.teamId);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
    }
  }
  return updated;
}
