// Merge jobs: run one at a time (a merge saturates the disk on its own). With a JobStore every job
// and its callback events are recorded; `resume()` after a restart runs again, from an emptied
// output folder, every merge that was queued or running when the process died (a merge is a pure
// function of its request, so the re-run writes the same checkpoint).
import type { JobError, MergeJob, MergeRequest } from "@frontier/contracts";
import { mergeCheckpoints, MergeError, validateCoefficients } from "../merge/engine.ts";
import type { OutputStore } from "../merge/output-store.ts";
import { SafetensorsError } from "../safetensors/errors.ts";
import type { ResolverConfig } from "../safetensors/source.ts";
import { CallbackQueue, type CallbackSender } from "../callbacks.ts";
import type { CheckpointCache } from "../checkpoints/cache.ts";
import { acquireCheckpoint, checkPinned, checkpointCache } from "../checkpoints/materialise.ts";
import { SourceError } from "../checkpoints/sources.ts";
import { newJobId } from "./ids.ts";
import type { JobStore, StoredEvent } from "./store.ts";

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
    private readonly jobStore?: JobStore,
    /** Finished merges are forgotten (memory and jobs.sqlite) this long after they end; their outputs stay. */
    private readonly retentionMs = 30 * 86_400_000,
  ) {}

  /** After a restart: loads stored merges, re-sends undelivered callbacks, re-runs unfinished ones. */
  resume(): number {
    if (!this.jobStore) return 0;
    let resumed = 0;
    for (const { job, events } of this.jobStore.mergeJobs()) {
      const callbacks = job.request.callback && this.sender ? new CallbackQueue(this.sender, job.request.callback) : undefined;
      this.jobs.set(job.id, { job, callbacks });
      for (const event of events) if (!event.delivered) this.send(callbacks, event);
      if (job.status === "queued" || job.status === "running") {
        job.status = "queued";
        job.started_at = null;
        this.chain = this.chain.then(() => this.run(job, callbacks, true));
        resumed++;
      }
    }
    this.forgetOld();
    return resumed;
  }

  /** Drops finished merges older than the retention whose callbacks are all delivered (a job record only: outputs are the edge's to delete). */
  forgetOld(now = Date.now()): number {
    let forgotten = 0;
    for (const [id, { job, callbacks }] of this.jobs) {
      if (
        job.finished_at &&
        (job.status === "succeeded" || job.status === "failed") &&
        Date.parse(job.finished_at) < now - this.retentionMs &&
        !callbacks?.pending
      ) {
        this.jobs.delete(id);
        this.jobStore?.deleteMergeJob(id);
        forgotten++;
      }
    }
    return forgotten;
  }

  private send(callbacks: CallbackQueue | undefined, event: StoredEvent): void {
    // biome-ignore lint/suspicious/noExplicitAny: the stored event was built from typed data in run()
    callbacks?.enqueue(event.id, event.type as any, event.data as any, () => this.jobStore?.markDelivered(event.id));
  }

  private emit(job: MergeJob, callbacks: CallbackQueue | undefined, id: string, type: string, data: unknown): void {
    if (!callbacks) return;
    this.jobStore?.addEvent(job.id, id, type, data);
    this.send(callbacks, { id, type, data, completions: 0, delivered: false });
  }

  /** Validates what can be checked without reading weights, then queues the merge. */
  create(request: MergeRequest): MergeJob {
    validateCoefficients(request.parents, request.allow_non_affine);
    this.forgetOld();
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
    this.jobStore?.saveMergeJob(job);
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

  private async run(job: MergeJob, callbacks: CallbackQueue | undefined, restarted = false): Promise<void> {
    job.status = "running";
    job.started_at = new Date().toISOString();
    this.jobStore?.saveMergeJob(job);
    this.running++;
    let folder: string | undefined;
    try {
      // MERGE_START_DELAY_MS (fault tests): a window in which the merge is running and can be killed.
      const delay = Number(process.env.MERGE_START_DELAY_MS) || 0;
      if (delay > 0) await new Promise((done) => setTimeout(done, delay));
      // A merge killed half-way left some files: start from an empty folder.
      if (restarted) await this.store.discard(job.id, await this.store.prepare(job.id));
      // Parents pinned at registration: a changed source fails the merge before anything is fetched,
      // and the cache checks again as it fetches (a change in between is refused too).
      const cache = this.cache ?? checkpointCache();
      const pins = new Map(job.request.parents.flatMap((p) => (p.revision ? [[p.url, p.revision] as const] : [])));
      for (const [url, revision] of pins) await checkPinned(url, revision, cache);
      folder = await this.store.prepare(job.id);
      const result = await mergeCheckpoints({
        parents: job.request.parents,
        outDir: folder,
        outDtype: job.request.out_dtype,
        shardSize: job.request.shard_size,
        allowNonAffine: job.request.allow_non_affine,
        resolver: this.resolver,
        // Remote parents are read through the checkpoint cache (fetched once per revision).
        materialise: (url) => acquireCheckpoint(url, cache, pins.get(url)),
      });
      const url = await this.store.publish(job.id, folder, result.files);
      const output = { url, ...result };
      job.output = output;
      job.status = "succeeded";
      job.finished_at = new Date().toISOString();
      this.jobStore?.saveMergeJob(job);
      this.emit(job, callbacks, `${job.id}.completed`, "merge.completed", { job_id: job.id, output });
    } catch (error) {
      job.error = describeError(error);
      job.status = "failed";
      job.finished_at = new Date().toISOString();
      if (folder) await this.store.discard(job.id, folder).catch(() => {});
      this.jobStore?.saveMergeJob(job);
      this.emit(job, callbacks, `${job.id}.failed`, "merge.failed", { job_id: job.id, error: job.error });
    } finally {
      job.finished_at ??= new Date().toISOString();
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
  const changed = revisionChanged(error);
  if (changed) return changed;
  return { title: "Merge failed", detail: (error as Error)?.message ?? String(error) };
}

/** The job error for a checkpoint whose source changed since it was pinned (samples and merges alike). */
export function revisionChanged(error: unknown): JobError | undefined {
  if (!(error instanceof SourceError) || error.code !== "revision_changed") return undefined;
  return { title: "Checkpoint changed since it was registered", detail: error.message, code: error.code };
}
