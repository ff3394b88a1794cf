// The `sampling` consumer: starts backend sampling jobs and polls them (with backoff) when no
// callback can reach the edge, or as a watchdog when one can; the same for merge jobs. Every delay
// and retry limit comes from src/queue/retry-policy.ts.
import { and, eq, isNull, lt } from "drizzle-orm";
import { getCheckpoint } from "../db/checkpoints.ts";
import { evaluations, samples, type EvaluationRow } from "../db/schema/index.ts";
import { buildMessages } from "../domain/prompt.ts";
import type { Database, Ports, QueueMessage } from "../ports.ts";
import { SamplingMessageSchema, type SamplingMessage } from "../queue/messages.ts";
import {
  FIRST_POLL_DELAY_SECONDS,
  MAX_TRANSIENT_FAILURES,
  nextPollDelay,
  nextSweepDelay,
  samplingRetryDelaySeconds,
  STALE_DISPATCH_SECONDS,
  SWEEP_DELAY_SECONDS,
  transientResendDelaySeconds,
  WATCHDOG_DELAY_SECONDS,
} from "../queue/retry-policy.ts";
import { callbackUrl } from "./backend-callback.ts";
import { backendClient, RejectedByServiceError, TransientServiceError } from "./clients.ts";
import { completeIfDone, getEvaluation, isFinished, recordEvaluationError } from "./evaluation-store.ts";
import { ingestCompletions } from "./ingest.ts";
import { benchmarkProblemRows, getBenchmark } from "./benchmarks.ts";
import { failMergeOutput, pollMerge, startMerge } from "./merges.ts";
import { checkpointForBackend, ensurePinned } from "./revisions.ts";
import { buildPairEnsembles } from "./run-pairs.ts";
import { dispatchPending, loadContext, sampleCounts } from "./samples.ts";

export async function consumeSampling(messages: readonly QueueMessage[], ports: Ports): Promise<void> {
  for (const message of messages) {
    const parsed = SamplingMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(`sampling: dropping a malformed message ${message.id}: ${parsed.error.message.slice(0, 300)}`);
      message.ack();
      continue;
    }
    const failures = parsed.data.failures ?? 0;
    try {
      await handle(ports, parsed.data);
      message.ack();
    } catch (error) {
      if (error instanceof TransientServiceError && failures + 1 < MAX_TRANSIENT_FAILURES) {
        // Re-send rather than retry: a backend outage can outlast the queue's max_retries.
        const delay = transientResendDelaySeconds(failures);
        console.error(`sampling: ${parsed.data.type}: ${error.message}; again in ${delay}s`);
        await noteTransient(ports, parsed.data, error.message);
        await ports.queues.send("sampling", { ...parsed.data, failures: failures + 1 } satisfies SamplingMessage, { delaySeconds: delay });
        message.ack();
      } else if (error instanceof TransientServiceError || error instanceof RejectedByServiceError) {
        await giveUp(ports, parsed.data, error.message);
        message.ack();
      } else {
        console.error(`sampling: ${parsed.data.type} failed`, error);
        message.retry({ delaySeconds: samplingRetryDelaySeconds(message.attempts) });
      }
    }
  }
}

async function handle(ports: Ports, message: SamplingMessage): Promise<void> {
  switch (message.type) {
    case "evaluation.start":
      return startSampling(ports, message.evaluation_id);
    case "evaluation.poll":
      return pollSampling(ports, message.evaluation_id, message.delay);
    case "merge.start":
      return startMerge(ports, message.merge_id, message.position);
    case "merge.poll":
      return pollMerge(ports, message.merge_id, message.position, message.delay);
    case "pair.ensembles":
      await buildPairEnsembles(ports, message.merge_id);
      return;
  }
}

async function noteTransient(ports: Ports, message: SamplingMessage, detail: string) {
  if (message.type === "evaluation.start" || message.type === "evaluation.poll") {
    await recordEvaluationError(ports, message.evaluation_id, "sampling", `backend: ${detail} (retrying)`);
  }
}

/** After the last retry (or a refusal): the evaluation or merge output fails, with the reason shown. */
export async function giveUp(ports: Ports, message: SamplingMessage, detail: string): Promise<void> {
  if (message.type === "pair.ensembles") {
    console.error(`sampling: pair ensembles of merge ${message.merge_id}: ${detail}`);
    return;
  }
  if (message.type === "evaluation.start" || message.type === "evaluation.poll") {
    await recordEvaluationError(ports, message.evaluation_id, "sampling", `sampling failed: ${detail}`, "failed");
  } else {
    await failMergeOutput(ports, message.merge_id, message.position, detail);
  }
}

/** Asks the backend for a sampling job once; a second delivery finds the job id and only makes sure a poll follows. */
export async function startSampling(ports: Ports, evaluationId: string): Promise<void> {
  const { db } = ports;
  const evaluation = await getEvaluation(db, evaluationId);
  if (!evaluation || isFinished(evaluation.status) || evaluation.sampleJobId) return;
  const found = await getCheckpoint(db, evaluation.checkpointId);
  if (found?.status !== "ready") {
    await recordEvaluationError(ports, evaluationId, "sampling", `checkpoint ${evaluation.checkpointId} is not ready`, "failed");
    return;
  }
  // A pin deferred at registration is made before the first sample (an unreachable backend: retried).
  const checkpoint = await ensurePinned(ports, found);
  const problems = new Map((await benchmarkProblemRows(db, evaluation.benchmark, evaluation.benchmarkVersion)).map((p) => [p.problemId, p]));
  const callback = callbackUrl(ports);
  const pinned = checkpointForBackend(checkpoint);
  const job = await backendClient(ports.backend).startSamples({
    checkpoint: pinned.url,
    ...(pinned.revision ? { revision: pinned.revision } : {}),
    problems: evaluation.problems.map((id) => {
      const p = problems.get(id)!;
      return {
        id,
        messages: buildMessages(
          { kind: p.kind, title: p.title, statement: p.statement, starterCode: p.starterCode, functionName: p.functionName },
          evaluation.language,
          evaluation.benchmark,
        ),
      };
    }),
    ...evaluation.params,
    ...(evaluation.setting === "reasoning" ? {} : { setting: evaluation.setting, pack: await samplingPack(db, evaluation) }),
    ...(callback ? { callback } : {}),
  });
  const now = ports.clock.now().toISOString();
  const updated = await db
    .update(evaluations)
    .set({ sampleJobId: job.id, samplingMode: callback ? "callback" : "poll", status: "sampling", updatedAt: now })
    .where(and(eq(evaluations.id, evaluationId), isNull(evaluations.sampleJobId)))
    .returning({ id: evaluations.id });
  if (updated.length === 0) return; // another delivery started a job first; its poll chain runs
  await ports.queues.send("sampling", { type: "evaluation.poll", evaluation_id: evaluationId, delay: FIRST_POLL_DELAY_SECONDS } satisfies SamplingMessage, {
    delaySeconds: callback ? WATCHDOG_DELAY_SECONDS : FIRST_POLL_DELAY_SECONDS,
  });
}

/**
 * One poll: reads the next page(s) of completions and ingests them, then schedules the next poll
 * (1 s after progress, doubling while nothing arrives). With callbacks on, it only checks the job:
 * when the job has finished but samples are missing (callbacks gave up), it switches to polling.
 */
export async function pollSampling(ports: Ports, evaluationId: string, delay: number): Promise<void> {
  const { db } = ports;
  let evaluation = await getEvaluation(db, evaluationId);
  if (!evaluation?.sampleJobId || isFinished(evaluation.status)) return;
  const jobId = evaluation.sampleJobId;
  const backend = backendClient(ports.backend);
  const reschedule = (seconds: number) =>
    ports.queues.send("sampling", { type: "evaluation.poll", evaluation_id: evaluationId, delay: seconds } satisfies SamplingMessage, {
      delaySeconds: seconds,
    });

  const counts = await sampleCounts(db, evaluationId);
  if (counts.received >= evaluation.requested) return sweep(ports, evaluation, delay, reschedule);
  if (evaluation.samplingMode === "callback") {
    const page = await backend.samplesPage(jobId, 0, 1);
    if (page.status === "succeeded" || page.status === "failed") {
      await db.update(evaluations).set({ samplingMode: "poll", updatedAt: ports.clock.now().toISOString() }).where(eq(evaluations.id, evaluationId));
      evaluation = { ...evaluation, samplingMode: "poll" };
    } else {
      await reschedule(WATCHDOG_DELAY_SECONDS);
      return;
    }
  }

  let cursor = evaluation.sampleCursor;
  let arrived = 0;
  for (let pages = 0; pages < 5; pages++) {
    const page = await backend.samplesPage(jobId, cursor, 1000);
    if (page.completions.length > 0) {
      await ingestCompletions(ports, evaluation, page.completions);
      arrived += page.completions.length;
    }
    const next = page.next_cursor ?? cursor + page.completions.length;
    if (next !== cursor) {
      await db.update(evaluations).set({ sampleCursor: next, updatedAt: ports.clock.now().toISOString() }).where(eq(evaluations.id, evaluationId));
      cursor = next;
    }
    if (page.next_cursor === null) {
      if (page.status === "failed") {
        await recordEvaluationError(
          ports,
          evaluationId,
          "sampling",
          `backend job failed: ${[page.error?.title, page.error?.detail].filter(Boolean).join(": ") || "no reason given"}`,
          "failed",
        );
        return;
      }
      if (!isFinished((await completeIfDone(ports, evaluationId)) ?? "judging")) await reschedule(SWEEP_DELAY_SECONDS);
      return;
    }
    if (page.completions.length === 0) break;
  }
  await reschedule(arrived > 0 ? FIRST_POLL_DELAY_SECONDS : nextPollDelay(delay));
}

/**
 * All samples are in but some still wait for a verdict: completes the evaluation if it is done,
 * re-sends programs whose executions message seems lost (dispatched long ago, still no verdict),
 * and looks again later. Duplicate judging is harmless: verdict writes are guarded.
 */
async function sweep(ports: Ports, evaluation: EvaluationRow, delay: number, reschedule: (seconds: number) => Promise<void>) {
  if (isFinished((await completeIfDone(ports, evaluation.id)) ?? "judging")) return;
  const cutoff = new Date(ports.clock.now().getTime() - STALE_DISPATCH_SECONDS * 1000).toISOString();
  await ports.db
    .update(samples)
    .set({ dispatchedAt: null })
    .where(and(eq(samples.evaluationId, evaluation.id), isNull(samples.verdict), lt(samples.dispatchedAt, cutoff)));
  await dispatchPending(ports, await loadContext(ports.db, evaluation));
  await reschedule(nextSweepDelay(delay));
}

/** The pack (and version) the executor judges agentic answers' public tests on: the benchmark's. */
async function samplingPack(db: Database, evaluation: EvaluationRow): Promise<{ name: string; version: string }> {
  const benchmark = await getBenchmark(db, evaluation.benchmark, evaluation.benchmarkVersion);
  return { name: benchmark?.pack ?? evaluation.benchmark, version: evaluation.benchmarkVersion };
}
