// The API's resources as the CLI reads them (validated with the contracts), and the waits on them that
// `frontier evaluate --watch`, `frontier merge --watch` and `npm start` share.
import { EvaluationSchema, MergeSchema, type Evaluation, type Merge } from "@frontier/contracts";
import type { ApiClient } from "./client.ts";
import type { Progress, ProgressBar } from "./progress.ts";

// The resources are the API's public contracts; reads validate with the schemas of the same names.
export {
  CheckpointSchema,
  EnsembleSchema,
  EvaluationMetricsSchema,
  EvaluationSchema,
  FrontierSchema,
  LeaderboardSchema,
  MergeSchema,
  type Checkpoint,
  type DerivedCheckpoint as MergeOutput,
  type Ensemble,
  type EnsembleResult,
  type Evaluation,
  type EvaluationMetrics,
  type Frontier,
  type FrontierPoint,
  type Leaderboard,
  type LeaderboardRow,
  type Merge,
} from "@frontier/contracts";

export const FINISHED_EVALUATION = new Set<string>(["complete", "complete_with_errors", "failed"]);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Samples with a verdict, out of those requested. */
export function evaluationDone(e: Evaluation): number {
  return e.progress.received - e.progress.pending;
}

export function evaluationStatus(e: Evaluation): string {
  if (FINISHED_EVALUATION.has(e.status)) return e.status;
  return `${e.status} (${e.progress.received} sampled, ${e.progress.cached} cached)`;
}

export interface WaitOptions {
  progress?: Progress;
  /** Poll interval (ms). */
  intervalMs?: number;
  /** Give up after this long (ms); default never. */
  timeoutMs?: number;
  /** Bar label per id (default the id). */
  labels?: Map<string, string>;
  signal?: AbortSignal;
}

export class WaitTimeout extends Error {}

/** Polls evaluations until each is complete or failed; returns their final state, in order. */
export async function waitForEvaluations(client: ApiClient, ids: string[], options: WaitOptions = {}): Promise<Evaluation[]> {
  const bars = new Map<string, ProgressBar>();
  const latest = new Map<string, Evaluation>();
  const started = Date.now();
  for (;;) {
    for (const id of ids) {
      if (latest.has(id) && FINISHED_EVALUATION.has(latest.get(id)!.status)) continue;
      const evaluation = await client.get(`/v1/evaluations/${encodeURIComponent(id)}`, EvaluationSchema);
      latest.set(id, evaluation);
      if (options.progress) {
        let bar = bars.get(id);
        if (!bar) bars.set(id, (bar = options.progress.bar(options.labels?.get(id) ?? id, evaluation.progress.requested)));
        bar.update(evaluationDone(evaluation), evaluation.progress.requested, evaluationStatus(evaluation));
      }
    }
    if (ids.every((id) => FINISHED_EVALUATION.has(latest.get(id)!.status))) return ids.map((id) => latest.get(id)!);
    if (options.timeoutMs !== undefined && Date.now() - started > options.timeoutMs)
      throw new WaitTimeout(`evaluations not finished after ${Math.round(options.timeoutMs / 1000)} s`);
    options.signal?.throwIfAborted();
    await sleep(options.intervalMs ?? 1000);
  }
}

/** Polls a merge until no output is still merging. */
export async function waitForMerge(client: ApiClient, id: string, options: WaitOptions = {}): Promise<Merge> {
  let bar: ProgressBar | undefined;
  const started = Date.now();
  for (;;) {
    const merge = await client.get(`/v1/merges/${encodeURIComponent(id)}`, MergeSchema);
    const done = merge.checkpoints.filter((c) => c.status !== "merging").length;
    const failed = merge.checkpoints.filter((c) => c.status === "failed").length;
    if (options.progress) {
      bar ??= options.progress.bar(options.labels?.get(id) ?? "merges", merge.checkpoints.length);
      bar.update(done, merge.checkpoints.length, merge.status === "merging" ? "merging" : failed ? `${merge.status} (${failed} failed)` : merge.status);
    }
    if (merge.status !== "merging") return merge;
    if (options.timeoutMs !== undefined && Date.now() - started > options.timeoutMs)
      throw new WaitTimeout(`merge ${id} not finished after ${Math.round(options.timeoutMs / 1000)} s`);
    options.signal?.throwIfAborted();
    await sleep(options.intervalMs ?? 1000);
  }
}
