// Merge jobs: queued in memory and run one at a time (a merge saturates the disk on its own).
import type { JobError, MergeJob, MergeRequest } from "@frontier/contracts";
import { mergeCheckpoints, MergeError, validateCoefficients } from "../merge/engine.ts";
import type { OutputStore } from "../merge/output-store.ts";
import { SafetensorsError } from "../safetensors/errors.ts";
import type { ResolverConfig } from "../safetensors/source.ts";
import { CallbackQueue, type CallbackSender } from "../callbacks.ts";
import type { CheckpointCache } from "../checkpoints/cache.ts";
import { acquireCheckpoint, checkpointCache } from "../checkpoints/materialise.ts";
import { newJobId } from "./ids.ts";

export type { MergeJob, MergeRequest };

export class MergeJobs {
  private readonly jobs = new Map<string, { job: MergeJob; callbacks?: CallbackQueue }>();
  private chain: Promise<void> = Promise.resolve();
  running = 0;

  constructor(
    private readonly store: OutputStore,
    private readonly resolver: ResolverConfig,
    private readonly sender: CallbackSender | undefined,
    private readonly cache?: CheckpointCache,
  ) {}

  /** Validates what can be checked without reading weights, then queues the merge. */
  create(request: MergeRequest): MergeJob {
    validateCoefficients(request.parents, request.allow_non_affine);
    const job: MergeJob = {
      id: newJobId("mrg"),
      status: "queued",
      created_at: new Date().toISOString(),
      started_at: null,
      finished_at: null,
      request,
      output: null,
      error: null,
      callback: null,
    };
    const callbacks = request.callback && this.sender ? new CallbackQueue(this.sender, request.callback) : undefined;
    this.jobs.set(job.id, { job, callbacks });
    this.chain = this.chain.then(() => this.run(job, callbacks));
    return this.view(job.id)!;
  }

  get(id: string): MergeJob | undefined {
    return this.view(id);
  }

  /** Resolves when every queued merge has finished (tests, shutdown). */
  async idle(): Promise<void> {
    await this.chain;
    await Promise.all([...this.jobs.values()].map((entry) => entry.callbacks?.drained()));
  }

  private view(id: string): MergeJob | undefined {
    const entry = this.jobs.get(id);
    if (!entry) return undefined;
    return { ...entry.job, callback: entry.callbacks?.status() ?? null };
  }

  private async run(job: MergeJob, callbacks: CallbackQueue | undefined): Promise<void> {
    job.status = "running";
    job.started_at = new Date().toISOString();
    this.running++;
    let folder: string | undefined;
    try {
      folder = await this.store.prepare(job.id);
      const result = await mergeCheckpoints({
        parents: job.request.parents,
        outDir: folder,
        outDtype: job.request.out_dtype,
        shardSize: job.request.shard_size,
        allowNonAffine: job.request.allow_non_affine,
        resolver: this.resolver,
        // Remote parents are read through the checkpoint cache (fetched once per revision).
        materialise: (url) => acquireCheckpoint(url, this.cache ?? checkpointCache()),
      });
      const url = await this.store.publish(job.id, folder, result.files);
      const output = { url, ...result };
      job.output = output;
      job.status = "succeeded";
      callbacks?.enqueue(`${job.id}.completed`, "merge.completed", { job_id: job.id, output });
    } catch (error) {
      job.error = describeError(error);
      job.status = "failed";
      if (folder) await this.store.discard(job.id, folder).catch(() => {});
      callbacks?.enqueue(`${job.id}.failed`, "merge.failed", { job_id: job.id, error: job.error });
    } finally {
      job.finished_at = new Date().toISOString();
      this.running--;
    }
  }
}

export function describeError(error: unknown): JobError {
  if (error instanceof MergeError || error instanceof SafetensorsError) {
    const title =
      error instanceof SafetensorsError ? "Unreadable checkpoint" : error.code === "incompatible_parents" ? "Parents do not match" : "Merge refused";
    return { title, detail: error.message, code: error.code };
  }
  return { title: "Merge failed", detail: (error as Error)?.message ?? String(error) };
}
