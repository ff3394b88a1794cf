// Callbacks from the GPU backend (already verified by the route): sample chunks, job ends, merge
// results. A `webhook-id` is applied once; a replay is acknowledged and changes nothing.
import { eq } from "drizzle-orm";
import type { BackendEvent } from "@frontier/contracts";
import { backendEvents, mergeOutputs } from "../db/schema/index.ts";
import { ProblemError } from "@frontier/http";
import type { Ports } from "../ports.ts";
import { completeIfDone, getEvaluationByJob, isFinished, recordEvaluationError } from "./evaluation-store.ts";
import { ingestCompletions, redispatch } from "./ingest.ts";
import { applyMergeJob } from "./merges.ts";

export interface EventReceipt {
  webhook_id: string;
  type: string;
  duplicate: boolean;
  accepted?: number;
  ignored?: number;
}

async function seen(ports: Ports, id: string) {
  const [row] = await ports.db.select().from(backendEvents).where(eq(backendEvents.id, id)).limit(1);
  return row;
}

export async function handleBackendEvent(ports: Ports, webhookId: string, event: BackendEvent): Promise<EventReceipt> {
  const previous = await seen(ports, webhookId);
  if (previous) {
    // A replay: nothing is written again, but anything of that job still waiting undispatched is
    // sent on (a first delivery may have stored its samples and then failed before dispatching).
    if (event.type === "samples.chunk") {
      const evaluation = await getEvaluationByJob(ports.db, event.data.job_id);
      if (evaluation && !isFinished(evaluation.status)) await redispatch(ports, evaluation);
    }
    return { webhook_id: webhookId, type: previous.type, duplicate: true };
  }
  const receipt = (jobId: string) => ({ id: webhookId, type: event.type, jobId });
  const record = (jobId: string) =>
    ports.db
      .insert(backendEvents)
      .values({ ...receipt(jobId), receivedAt: ports.clock.now().toISOString() })
      .onConflictDoNothing();

  switch (event.type) {
    case "samples.chunk": {
      const evaluation = await getEvaluationByJob(ports.db, event.data.job_id);
      if (!evaluation) {
        // Possibly a callback that overtook the write of the job id: the backend retries it.
        throw new ProblemError({
          status: 404,
          type: "not-found",
          title: "Unknown sampling job",
          detail: `no evaluation is waiting for job ${event.data.job_id}`,
        });
      }
      try {
        const result = await ingestCompletions(ports, evaluation, event.data.completions, receipt(event.data.job_id));
        return { webhook_id: webhookId, type: event.type, duplicate: false, accepted: result.accepted, ignored: result.ignored };
      } catch (error) {
        // Two deliveries of one id racing: the loser's batch fails on the receipt's primary key.
        if (await seen(ports, webhookId)) return { webhook_id: webhookId, type: event.type, duplicate: true };
        throw error;
      }
    }
    case "samples.completed": {
      const evaluation = await getEvaluationByJob(ports.db, event.data.job_id);
      if (!evaluation)
        throw new ProblemError({
          status: 404,
          type: "not-found",
          title: "Unknown sampling job",
          detail: `no evaluation is waiting for job ${event.data.job_id}`,
        });
      await record(event.data.job_id);
      await completeIfDone(ports, evaluation.id);
      return { webhook_id: webhookId, type: event.type, duplicate: false };
    }
    case "samples.failed": {
      const evaluation = await getEvaluationByJob(ports.db, event.data.job_id);
      if (!evaluation)
        throw new ProblemError({
          status: 404,
          type: "not-found",
          title: "Unknown sampling job",
          detail: `no evaluation is waiting for job ${event.data.job_id}`,
        });
      const reason = [event.data.error.title, event.data.error.detail].filter(Boolean).join(": ") || "no reason given";
      await recordEvaluationError(ports, evaluation.id, "sampling", `backend job failed: ${reason}`, "failed");
      await record(event.data.job_id);
      return { webhook_id: webhookId, type: event.type, duplicate: false };
    }
    case "merge.completed":
    case "merge.failed": {
      const job =
        event.type === "merge.completed"
          ? { status: "succeeded" as const, output: event.data.output, error: null }
          : { status: "failed" as const, output: null, error: event.data.error };
      const [known] = await ports.db
        .select({ id: mergeOutputs.checkpointId })
        .from(mergeOutputs)
        .where(eq(mergeOutputs.backendJobId, event.data.job_id))
        .limit(1);
      if (!known)
        throw new ProblemError({ status: 404, type: "not-found", title: "Unknown merge job", detail: `no merge is waiting for job ${event.data.job_id}` });
      await applyMergeJob(ports, event.data.job_id, job);
      await record(event.data.job_id);
      return { webhook_id: webhookId, type: event.type, duplicate: false };
    }
  }
}
