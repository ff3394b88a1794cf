// Merges: derived checkpoints θ = Σ cᵢ·θᵢ with their lineage, made by the backend. A grid
// {a, b, alphas} gives θ(α) = (1−α)·θ_a + α·θ_b for each α (α < 0 or > 1 extrapolates).
import { mergeOutputFinished } from "./events.ts";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { z } from "zod";
import { getCheckpoint, insertCheckpointStatements, type CheckpointRow } from "../db/checkpoints.ts";
import { checkpoints, DEFAULT_TEAM, mergeOutputs, merges } from "../db/schema/index.ts";
import { newId } from "../domain/ids.ts";
import { ProblemError, validationProblem } from "@frontier/http";
import type { Database, Ports } from "../ports.ts";
import type { SamplingMessage } from "../queue/messages.ts";
import { FIRST_POLL_DELAY_SECONDS, nextPollDelay, WATCHDOG_DELAY_SECONDS } from "../queue/retry-policy.ts";
import { callbackUrl } from "./backend-callback.ts";
import { backendClient, type MergeJob } from "./clients.ts";
import { insertEvaluationStatement } from "./evaluation-store.ts";
import { checkpointForBackend, ensurePinned } from "./revisions.ts";
import { EvaluationParamsSchema, newEvaluation, planEvaluation, type EvaluationParams } from "./evaluations.ts";
import { recordPublication } from "./publications.ts";
import { getTrack, trackEvaluationParams } from "./tracks.ts";

const CheckpointId = z.string().min(1).max(64);
const RunName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@+/-]*$/, "run names start with a letter or digit and use letters, digits and . _ : @ + / -");

export const MergeRequestSchema = z.union([
  z
    .object({
      a: CheckpointId,
      b: CheckpointId,
      alphas: z.array(z.number().finite().min(-10).max(10)).min(1).max(64),
      run: RunName.optional(),
      evaluate: EvaluationParamsSchema.optional(),
    })
    .strict(),
  z
    .object({
      parents: z
        .array(z.object({ checkpoint: CheckpointId, coefficient: z.number().finite().min(-100).max(100) }).strict())
        .min(1)
        .max(16),
      run: RunName.optional(),
      evaluate: EvaluationParamsSchema.optional(),
    })
    .strict(),
]);
export type MergeRequest = z.infer<typeof MergeRequestSchema>;

export const COEFFICIENT_TOLERANCE = 1e-6;

type Plan = { alpha: number | null; parents: { checkpoint: string; coefficient: number }[] };

function plans(request: MergeRequest): Plan[] {
  if ("alphas" in request) {
    return request.alphas.map((alpha) => ({
      alpha,
      parents: [
        { checkpoint: request.a, coefficient: 1 - alpha },
        { checkpoint: request.b, coefficient: alpha },
      ],
    }));
  }
  return [{ alpha: null, parents: request.parents }];
}

function formatAlpha(alpha: number): string {
  return Number(alpha.toFixed(6)).toString();
}

/**
 * `teamId`: the caller's team; the parents must be its checkpoints (another team's is "no checkpoint").
 * `evaluateTracks` (the pair builder's): evaluate every output on each of these tracks, under the
 * track's protocol, instead of `request.evaluate`; `publish`: publish those evaluations on their tracks.
 */
export async function createMerge(
  ports: Ports,
  request: MergeRequest,
  teamId: string = DEFAULT_TEAM,
  options: { evaluateTracks?: string[]; publish?: boolean } = {},
) {
  const { db } = ports;
  const errors: { path: string; message: string }[] = [];
  if ("alphas" in request) {
    if (request.a === request.b) errors.push({ path: "b", message: "a and b must be different checkpoints" });
    if (new Set(request.alphas).size !== request.alphas.length) errors.push({ path: "alphas", message: "alphas must be distinct" });
  } else {
    const sum = request.parents.reduce((a, p) => a + p.coefficient, 0);
    if (Math.abs(sum - 1) > COEFFICIENT_TOLERANCE) errors.push({ path: "parents", message: `coefficients must sum to 1 (they sum to ${sum})` });
    if (new Set(request.parents.map((p) => p.checkpoint)).size !== request.parents.length)
      errors.push({ path: "parents", message: "each parent checkpoint may appear once" });
  }
  const parentIds = "alphas" in request ? [request.a, request.b] : request.parents.map((p) => p.checkpoint);
  const parents = new Map<string, CheckpointRow>();
  for (const [i, id] of parentIds.entries()) {
    const found = await getCheckpoint(db, id);
    const row = found?.teamId === teamId ? found : undefined;
    const path = "alphas" in request ? (i === 0 ? "a" : "b") : `parents.${i}.checkpoint`;
    if (!row) errors.push({ path, message: `no checkpoint ${id}` });
    else if (row.status !== "ready") errors.push({ path, message: `checkpoint ${id} is ${row.status}, not ready` });
    else parents.set(id, row);
  }
  if (errors.length) throw new ProblemError(validationProblem(errors));
  // Checked now so a bad `evaluate` is a 422 here, not a failure once the merge is done.
  if (request.evaluate) await planEvaluation(db, request.evaluate, "evaluate");

  const now = ports.clock.now();
  const at = now.toISOString();
  const id = newId("mrg", now);
  const first = parents.get(parentIds[0])!;
  const run = request.run ?? `merge:${first.run}`.slice(0, 128);
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
    db.insert(merges).values({
      id,
      teamId,
      request: request as unknown as Record<string, unknown>,
      run,
      evaluate: (options.evaluateTracks ? { tracks: options.evaluateTracks, publish: options.publish ?? false } : (request.evaluate ?? null)) as Record<
        string,
        unknown
      > | null,
      createdAt: at,
    }),
  ];
  const outputs = plans(request).map((plan, position) => {
    const label =
      plan.alpha !== null
        ? `α=${formatAlpha(plan.alpha)}`
        : `merge ${plan.parents.map((p) => `${formatAlpha(p.coefficient)}·${p.checkpoint}`).join(" + ")}`.slice(0, 200);
    const { row, statements: insert } = insertCheckpointStatements(
      db,
      {
        teamId,
        run,
        url: `merge://${id}/${position}`,
        label,
        metadata: { merge: id, alpha: plan.alpha },
        source: "merge",
        status: "pending",
        parents: plan.parents,
      },
      new Date(now.getTime()),
    );
    statements.push(...insert);
    statements.push(
      db.insert(mergeOutputs).values({
        mergeId: id,
        position,
        checkpointId: row.id,
        alpha: plan.alpha,
        status: "merging",
        backendJobId: null,
        outputUrl: null,
        error: null,
        evaluationId: null,
        updatedAt: at,
      }),
    );
    return { position, checkpoint: row };
  });
  await db.batch(statements);
  await ports.queues.sendBatch(
    "sampling",
    outputs.map((o) => ({ type: "merge.start", merge_id: id, position: o.position }) satisfies SamplingMessage),
  );
  return (await getMerge(db, id))!;
}

export async function getMerge(db: Database, id: string) {
  const [merge] = await db.select().from(merges).where(eq(merges.id, id)).limit(1);
  if (!merge) return undefined;
  const outputs = await db
    .select({ output: mergeOutputs, checkpoint: checkpoints })
    .from(mergeOutputs)
    .innerJoin(checkpoints, eq(checkpoints.id, mergeOutputs.checkpointId))
    .where(eq(mergeOutputs.mergeId, id))
    .orderBy(asc(mergeOutputs.position));
  return { merge, outputs };
}

export function mergeJson(merge: NonNullable<Awaited<ReturnType<typeof getMerge>>>) {
  const statuses = merge.outputs.map((o) => o.output.status);
  const status = statuses.includes("merging")
    ? "merging"
    : statuses.includes("cancelled")
      ? "cancelled"
      : statuses.every((s) => s === "ready")
        ? "ready"
        : statuses.every((s) => s === "failed")
          ? "failed"
          : "partial";
  return {
    id: merge.merge.id,
    status,
    run: merge.merge.run,
    request: merge.merge.request,
    evaluate: merge.merge.evaluate,
    created_at: merge.merge.createdAt,
    checkpoints: merge.outputs.map(({ output, checkpoint }) => ({
      id: checkpoint.id,
      alpha: output.alpha,
      parents: checkpoint.parents,
      status: output.status,
      url: output.outputUrl,
      error: output.error,
      evaluation: output.evaluationId,
      backend_job: output.backendJobId,
      label: checkpoint.label,
      deleted_at: output.deletedAt,
    })),
  };
}

async function outputRow(db: Database, mergeId: string, position: number) {
  const [row] = await db
    .select()
    .from(mergeOutputs)
    .where(and(eq(mergeOutputs.mergeId, mergeId), eq(mergeOutputs.position, position)))
    .limit(1);
  return row;
}

/** Asks the backend to merge one output, once. */
export async function startMerge(ports: Ports, mergeId: string, position: number): Promise<void> {
  const { db } = ports;
  const output = await outputRow(db, mergeId, position);
  if (output?.status !== "merging" || output.backendJobId) return;
  const checkpoint = await getCheckpoint(db, output.checkpointId);
  if (!checkpoint?.parents) return;
  const parents = [];
  for (const parent of checkpoint.parents) {
    const found = await getCheckpoint(db, parent.checkpoint);
    if (found?.status !== "ready") return failMergeOutput(ports, mergeId, position, `parent ${parent.checkpoint} is not ready`);
    const row = await ensurePinned(ports, found);
    parents.push({ ...checkpointForBackend(row), coefficient: parent.coefficient });
  }
  const callback = callbackUrl(ports);
  const job = await backendClient(ports.backend).startMerge({ parents, ...(callback ? { callback } : {}) });
  const updated = await db
    .update(mergeOutputs)
    .set({ backendJobId: job.id, updatedAt: ports.clock.now().toISOString() })
    .where(and(eq(mergeOutputs.mergeId, mergeId), eq(mergeOutputs.position, position), isNull(mergeOutputs.backendJobId)))
    .returning({ position: mergeOutputs.position });
  if (updated.length === 0) return;
  await ports.queues.send("sampling", { type: "merge.poll", merge_id: mergeId, position, delay: FIRST_POLL_DELAY_SECONDS } satisfies SamplingMessage, {
    delaySeconds: callback ? WATCHDOG_DELAY_SECONDS : FIRST_POLL_DELAY_SECONDS,
  });
}

export async function pollMerge(ports: Ports, mergeId: string, position: number, delay: number): Promise<void> {
  const output = await outputRow(ports.db, mergeId, position);
  if (output?.status !== "merging" || !output.backendJobId) return;
  const job = await backendClient(ports.backend).merge(output.backendJobId);
  if (await applyMergeJob(ports, output.backendJobId, job)) return;
  const callback = callbackUrl(ports);
  const next = callback ? WATCHDOG_DELAY_SECONDS : nextPollDelay(delay);
  await ports.queues.send("sampling", { type: "merge.poll", merge_id: mergeId, position, delay: next } satisfies SamplingMessage, { delaySeconds: next });
}

/** What applyMergeJob reads of a merge job: a polled MergeJob or a callback's event both fit. */
export interface MergeJobOutcome {
  status: MergeJob["status"];
  output?: { url: string } | null;
  error?: { title?: string; detail?: string } | null;
}

/** Applies a finished merge job (from a poll or a callback); false while it is still running. */
export async function applyMergeJob(ports: Ports, jobId: string, job: MergeJobOutcome): Promise<boolean> {
  const [output] = await ports.db.select().from(mergeOutputs).where(eq(mergeOutputs.backendJobId, jobId)).limit(1);
  if (!output) return true;
  if (job.status === "succeeded" && job.output?.url) {
    await markMergeReady(ports, output.mergeId, output.position, job.output.url);
    return true;
  }
  if (job.status === "failed") {
    await failMergeOutput(
      ports,
      output.mergeId,
      output.position,
      [job.error?.title, job.error?.detail].filter(Boolean).join(": ") || "the backend gave no reason",
    );
    return true;
  }
  return false;
}

export async function failMergeOutput(ports: Ports, mergeId: string, position: number, reason: string): Promise<void> {
  const { db } = ports;
  const output = await outputRow(db, mergeId, position);
  if (output?.status !== "merging") return;
  const at = ports.clock.now().toISOString();
  await db.batch([
    db
      .update(mergeOutputs)
      .set({ status: "failed", error: reason, updatedAt: at })
      .where(and(eq(mergeOutputs.mergeId, mergeId), eq(mergeOutputs.position, position), eq(mergeOutputs.status, "merging"))),
    db
      .update(checkpoints)
      .set({ status: "failed", updatedAt: at })
      .where(and(eq(checkpoints.id, output.checkpointId), eq(checkpoints.status, "pending"))),
  ]);
  await mergeFinishedIfDone(ports, mergeId);
}

/** Once no output of the merge is still merging: merge.completed (emitted once per merge). */
async function mergeFinishedIfDone(ports: Ports, mergeId: string): Promise<void> {
  const [merge] = await ports.db.select().from(merges).where(eq(merges.id, mergeId)).limit(1);
  if (!merge) return;
  const outputs = await ports.db.select().from(mergeOutputs).where(eq(mergeOutputs.mergeId, mergeId)).orderBy(asc(mergeOutputs.position));
  await mergeOutputFinished(ports, merge, outputs);
}

/** The checkpoint becomes ready at the output URL; with `evaluate`, its evaluation starts (exactly one). */
export async function markMergeReady(ports: Ports, mergeId: string, position: number, url: string): Promise<void> {
  const { db } = ports;
  const output = await outputRow(db, mergeId, position);
  if (!output) return;
  const at = ports.clock.now().toISOString();
  if (output.status === "merging") {
    await db.batch([
      db
        .update(mergeOutputs)
        .set({ status: "ready", outputUrl: url, updatedAt: at })
        .where(and(eq(mergeOutputs.mergeId, mergeId), eq(mergeOutputs.position, position), eq(mergeOutputs.status, "merging"))),
      db
        .update(checkpoints)
        .set({ status: "ready", url, updatedAt: at })
        .where(and(eq(checkpoints.id, output.checkpointId), eq(checkpoints.status, "pending"))),
    ]);
    await mergeFinishedIfDone(ports, mergeId);
  }
  const [merge] = await db.select().from(merges).where(eq(merges.id, mergeId)).limit(1);
  if (!merge?.evaluate || output.evaluationId) return;
  const { tracks: trackIds, publish } = merge.evaluate as { tracks?: unknown; publish?: unknown };
  if (Array.isArray(trackIds)) {
    return evaluateOutputOnTracks(ports, mergeId, position, output.checkpointId, trackIds as string[], merge.teamId, publish === true);
  }
  const params = EvaluationParamsSchema.parse(merge.evaluate) as EvaluationParams;
  const plan = await planEvaluation(db, params, "evaluate");
  // One evaluation per derived checkpoint, so its id can be derived from the checkpoint's: a
  // repeated callback or poll inserts nothing new.
  const evaluationId = `eval_${output.checkpointId.slice("ckpt_".length)}`;
  await db.batch([
    insertEvaluationStatement(db, { ...newEvaluation(evaluationId, output.checkpointId, params, plan), teamId: merge.teamId }, ports.clock.now()),
    db
      .update(mergeOutputs)
      .set({ evaluationId, updatedAt: at })
      .where(and(eq(mergeOutputs.mergeId, mergeId), eq(mergeOutputs.position, position))),
  ]);
  await ports.queues.send("sampling", { type: "evaluation.start", evaluation_id: evaluationId } satisfies SamplingMessage);
}

/** One evaluation of the output per track (ids derived from the checkpoint's and the track's place: a repeat inserts nothing). */
async function evaluateOutputOnTracks(
  ports: Ports,
  mergeId: string,
  position: number,
  checkpointId: string,
  trackIds: string[],
  teamId: string,
  publish: boolean,
): Promise<void> {
  const { db } = ports;
  const started: string[] = [];
  for (const [i, trackId] of trackIds.entries()) {
    const track = await getTrack(db, trackId);
    if (!track) continue;
    const params = trackEvaluationParams(track);
    const plan = await planEvaluation(db, params, "evaluate");
    const evaluationId = `eval_${checkpointId.slice("ckpt_".length)}_t${i}`;
    await db.batch([insertEvaluationStatement(db, { ...newEvaluation(evaluationId, checkpointId, params, plan), teamId }, ports.clock.now())]);
    if (publish) await recordPublication(db, { track: trackId, evaluationId, teamId, via: "pair" }, ports.clock.now());
    started.push(evaluationId);
  }
  if (started.length === 0) return;
  await db
    .update(mergeOutputs)
    .set({ evaluationId: started[0], updatedAt: ports.clock.now().toISOString() })
    .where(and(eq(mergeOutputs.mergeId, mergeId), eq(mergeOutputs.position, position), isNull(mergeOutputs.evaluationId)));
  await ports.queues.sendBatch(
    "sampling",
    started.map((id) => ({ type: "evaluation.start", evaluation_id: id }) satisfies SamplingMessage),
  );
}
