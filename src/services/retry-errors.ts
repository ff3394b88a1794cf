// Re-judging an evaluation's SE samples (POST /v1/evaluations/:id/retry-errors): the samples the
// executor could not judge go back to pending and to the executions queue; the evaluation is
// judging again and completes (or is complete_with_errors again) as usual.
import { and, eq } from "drizzle-orm";
import { ProblemError } from "@frontier/http";
import { evaluations, samples, type EvaluationRow } from "../db/schema/index.ts";
import type { Ports } from "../ports.ts";
import { completeIfDone, getEvaluation } from "./evaluation-store.ts";
import { evaluationOr404 } from "./evaluations.ts";
import { dispatchPending, loadContext } from "./samples.ts";

export async function retryErrors(ports: Ports, id: string): Promise<{ evaluation: EvaluationRow; requeued: number; messages: number; cached: number }> {
  const { db } = ports;
  const evaluation = await evaluationOr404(ports, id);
  const at = ports.clock.now().toISOString();
  // Claimed by a guarded status change, so two concurrent calls re-queue once.
  const claimed = await db
    .update(evaluations)
    .set({ status: "judging", completedAt: null, updatedAt: at })
    .where(and(eq(evaluations.id, id), eq(evaluations.status, "complete_with_errors")))
    .returning({ id: evaluations.id });
  if (claimed.length === 0) {
    throw new ProblemError({
      status: 409,
      type: "conflict",
      title: "Nothing to retry",
      detail: `evaluation ${id} is ${evaluation.status}; only a complete_with_errors evaluation has SE samples to re-judge`,
    });
  }
  const reset = await db
    .update(samples)
    .set({ verdict: null, tiersPassed: null, timeMs: null, memoryKb: null, failure: null, source: null, judgedAt: null, dispatchedAt: null })
    .where(and(eq(samples.evaluationId, id), eq(samples.verdict, "SE")))
    .returning({ index: samples.index });
  const current = (await getEvaluation(db, id))!;
  const sent = await dispatchPending(ports, await loadContext(db, current));
  // Everything may have been answered by the cache meanwhile.
  await completeIfDone(ports, id);
  return { evaluation: (await getEvaluation(db, id))!, requeued: reset.length, messages: sent.messages, cached: sent.cached };
}
