// What the pipeline tells the outside world: the outbound webhook events emitted when an
// evaluation, a merge or a submission finishes (services/webhooks.ts delivers them). Each event's
// key names the occurrence, so a transition seen twice emits one event.
import { eq } from "drizzle-orm";
import { checkpoints, evaluationMetrics, evaluations, mergeOutputs, runPairs, submissions } from "../db/schema/index.ts";
import type { Ports } from "../ports.ts";
import type { SamplingMessage } from "../queue/messages.ts";
import { emitEvent } from "./webhooks.ts";

/** After an evaluation became complete, complete_with_errors or failed (or cancelled). */
export async function evaluationFinished(ports: Ports, evaluationId: string): Promise<void> {
  const { db } = ports;
  const [evaluation] = await db.select().from(evaluations).where(eq(evaluations.id, evaluationId)).limit(1);
  if (!evaluation) return;
  const status = evaluation.status as string;
  const [checkpoint] = await db.select().from(checkpoints).where(eq(checkpoints.id, evaluation.checkpointId)).limit(1);
  const [metrics] = await db.select().from(evaluationMetrics).where(eq(evaluationMetrics.evaluationId, evaluationId)).limit(1);
  const team = evaluation.teamId;
  const data = {
    evaluation: evaluation.id,
    checkpoint: evaluation.checkpointId,
    run: checkpoint?.run ?? null,
    status,
    benchmark: evaluation.benchmark,
    benchmark_version: evaluation.benchmarkVersion,
    setting: evaluation.setting,
    pass_at_k: metrics?.passAtK ?? null,
    completed_at: evaluation.completedAt,
  };
  const completed = status === "complete" || status === "complete_with_errors";
  await emitEvent(ports, { type: completed ? "evaluation.completed" : "evaluation.failed", key: evaluation.id, team, data });
  for (const submission of await db.select().from(submissions).where(eq(submissions.evaluationId, evaluationId))) {
    await emitEvent(ports, {
      type: "submission.completed",
      key: submission.id,
      team: submission.teamId,
      data: {
        submission: submission.id,
        track: submission.track,
        url: submission.url,
        label: submission.label,
        ...data,
        status: submission.cancelledAt ? "cancelled" : status,
      },
    });
  }
  // A point of a paired runs' grid: the pair's ensembles may now be computed (the sampling consumer does it).
  const [output] = await db.select({ mergeId: mergeOutputs.mergeId }).from(mergeOutputs).where(eq(mergeOutputs.checkpointId, evaluation.checkpointId)).limit(1);
  if (output) {
    const [pair] = await db.select({ run: runPairs.run }).from(runPairs).where(eq(runPairs.mergeId, output.mergeId)).limit(1);
    if (pair) await ports.queues.send("sampling", { type: "pair.ensembles", merge_id: output.mergeId } satisfies SamplingMessage);
  }
  // A complete evaluation of a run's checkpoint adds a point to that run's frontier.
  if (status === "complete" && checkpoint?.run) {
    await emitEvent(ports, {
      type: "frontier.updated",
      key: `${checkpoint.run}_${evaluation.id}`,
      team,
      data: {
        run: checkpoint.run,
        evaluation: evaluation.id,
        checkpoint: checkpoint.id,
        setting: evaluation.setting,
        frontier: `/v1/runs/${encodeURIComponent(checkpoint.run)}/frontier`,
      },
    });
  }
}

/** After a merge output finished: once none is still merging, merge.completed (once). */
export async function mergeOutputFinished(
  ports: Ports,
  merge: { id: string; run: string | null; teamId: string } & Record<string, unknown>,
  outputs: { status: string; checkpointId: string }[],
) {
  if (outputs.some((o) => o.status === "merging")) return;
  const ready = outputs.filter((o) => o.status === "ready").length;
  const status = outputs.some((o) => o.status === "cancelled") ? "cancelled" : ready === outputs.length ? "ready" : ready === 0 ? "failed" : "partial";
  await emitEvent(ports, {
    type: "merge.completed",
    key: merge.id,
    team: merge.teamId,
    data: { merge: merge.id, run: merge.run, status, checkpoints: outputs.map((o) => ({ id: o.checkpointId, status: o.status })) },
  });
}
