// Evaluation rows: creation, status changes, errors shown to users, and completion (which stores
// the metrics the leaderboard reads).
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import { checkpoints, evaluationMetrics, evaluations, type EvaluationRow, type EvaluationStatus, type SamplingParams } from "../db/schema/index.ts";
import type { Language, Setting } from "@frontier/contracts";
import type { Database, Ports } from "../ports.ts";
import { evaluationFinished } from "./events.ts";
import { computeEvaluationMetrics } from "./metrics.ts";
import { sampleCounts } from "./samples.ts";

export interface NewEvaluation {
  id: string;
  checkpointId: string;
  benchmark: string;
  benchmarkVersion: string;
  language: Language;
  params: SamplingParams;
  setting?: Setting;
  problems: string[];
  /** The checkpoint's team. */
  teamId?: string;
}

export function insertEvaluationStatement(db: Database, input: NewEvaluation, now: Date) {
  const at = now.toISOString();
  return db
    .insert(evaluations)
    .values({
      ...input,
      requested: input.problems.length * input.params.n,
      status: "queued",
      sampleJobId: null,
      samplingMode: null,
      sampleCursor: 0,
      errors: [],
      createdAt: at,
      updatedAt: at,
      completedAt: null,
    })
    .onConflictDoNothing();
}

export async function getEvaluation(db: Database, id: string): Promise<EvaluationRow | undefined> {
  const [row] = await db.select().from(evaluations).where(eq(evaluations.id, id)).limit(1);
  return row;
}

export async function getEvaluationByJob(db: Database, jobId: string): Promise<EvaluationRow | undefined> {
  const [row] = await db.select().from(evaluations).where(eq(evaluations.sampleJobId, jobId)).limit(1);
  return row;
}

const FINISHED: EvaluationStatus[] = ["complete", "complete_with_errors", "failed", "cancelled"];
export const isFinished = (status: EvaluationStatus) => FINISHED.includes(status);

const MAX_ERRORS_KEPT = 20;

/** Appends an error the user should see (kept to the last few), optionally setting a status. */
export async function recordEvaluationError(ports: Ports, id: string, stage: string, message: string, status?: EvaluationStatus) {
  const evaluation = await getEvaluation(ports.db, id);
  if (!evaluation) return;
  const at = ports.clock.now().toISOString();
  const errors = [...evaluation.errors, { at, stage, message }].slice(-MAX_ERRORS_KEPT);
  await ports.db
    .update(evaluations)
    .set({ errors, updatedAt: at, ...(status && !isFinished(evaluation.status) ? { status } : {}) })
    .where(eq(evaluations.id, id));
  if (status && isFinished(status) && !isFinished(evaluation.status)) await evaluationFinished(ports, id);
}

export async function setEvaluationStatus(db: Database, id: string, status: EvaluationStatus, now: Date, from: EvaluationStatus[]) {
  await db
    .update(evaluations)
    .set({ status, updatedAt: now.toISOString() })
    .where(and(eq(evaluations.id, id), inArray(evaluations.status, from)));
}

/**
 * Completes the evaluation once every requested sample is in and has a verdict: metrics are
 * computed from the samples and stored with the status change in one batch. Safe to call any
 * number of times, concurrently included (the metrics row is an upsert of the same values).
 * With SE samples left (the executor could not judge them) it is `complete_with_errors` instead:
 * no metrics row is stored, so it never ranks; POST …/retry-errors re-judges them.
 */
export async function completeIfDone(ports: Ports, evaluationId: string): Promise<EvaluationStatus | undefined> {
  const { db } = ports;
  const evaluation = await getEvaluation(db, evaluationId);
  if (!evaluation) return undefined;
  if (evaluation.status === "complete" || evaluation.status === "complete_with_errors" || evaluation.status === "cancelled") return evaluation.status;
  const counts = await sampleCounts(db, evaluationId);
  const now = ports.clock.now();
  if (counts.received < evaluation.requested) return evaluation.status;
  if (counts.pending > 0) {
    if (evaluation.status === "sampling" || evaluation.status === "queued") await setEvaluationStatus(db, evaluationId, "judging", now, ["queued", "sampling"]);
    return "judging";
  }
  if ((counts.verdicts.SE ?? 0) > 0) {
    const at = now.toISOString();
    await db
      .update(evaluations)
      .set({ status: "complete_with_errors", completedAt: sql`coalesce(${evaluations.completedAt}, ${at})`, updatedAt: at })
      .where(and(eq(evaluations.id, evaluationId), notInArray(evaluations.status, ["complete", "complete_with_errors", "cancelled"])));
    await evaluationFinished(ports, evaluationId);
    return "complete_with_errors";
  }
  const [checkpoint] = await db.select({ run: checkpoints.run }).from(checkpoints).where(eq(checkpoints.id, evaluation.checkpointId)).limit(1);
  const metrics = await computeEvaluationMetrics(db, evaluation);
  const at = now.toISOString();
  const row = {
    evaluationId,
    checkpointId: evaluation.checkpointId,
    run: checkpoint?.run ?? "",
    teamId: evaluation.teamId,
    benchmark: evaluation.benchmark,
    benchmarkVersion: evaluation.benchmarkVersion,
    passAt1: metrics.pass_at_k["pass@1"] ?? null,
    passAtK: metrics.pass_at_k,
    se: metrics.se,
    breakdown: metrics.breakdown as unknown as Record<string, unknown>,
    perProblem: metrics.per_problem,
    samples: counts.received,
    computedAt: at,
  };
  await db.batch([
    db
      .insert(evaluationMetrics)
      .values(row)
      .onConflictDoUpdate({ target: evaluationMetrics.evaluationId, set: { ...row, evaluationId: undefined } }),
    db
      .update(evaluations)
      .set({ status: "complete", completedAt: sql`coalesce(${evaluations.completedAt}, ${at})`, updatedAt: at })
      .where(and(eq(evaluations.id, evaluationId), notInArray(evaluations.status, ["complete", "complete_with_errors", "cancelled"]))),
  ]);
  await evaluationFinished(ports, evaluationId);
  return "complete";
}
