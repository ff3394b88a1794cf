// Sampling jobs: completions are kept in order as the sampler yields them, paged by cursor, and,
// when the request names a callback, sent there in signed chunks. With a JobStore every completion
// and callback event is committed before it is shown or sent, and `resume()` after a restart picks
// up where the killed process stopped: completions already produced are kept (same cursor order,
// chunks re-sent only under their original webhook-ids), the sampler is asked only for the rest.
import type { SampleJob, SamplePage, SamplesRequest } from "@frontier/contracts";
import { CallbackQueue, type CallbackSender } from "../callbacks.ts";
import type { Completion, Sampler } from "../samplers/types.ts";
import { newJobId } from "./ids.ts";
import { revisionChanged } from "./merge-jobs.ts";
import type { JobStore, StoredEvent } from "./store.ts";

export type { SampleJob, SamplePage, SamplesRequest };

interface Entry {
  job: SampleJob;
  request: SamplesRequest;
  completions: Completion[];
  callbacks?: CallbackQueue;
  done: Promise<void>;
  /** Callback chunks sent so far (the next chunk's seq) and the completions they cover. */
  chunks: number;
  chunked: number;
}

export interface SampleJobsOptions {
  /** Completions per samples.chunk event. */
  chunkSize: number;
  /** Finished jobs are forgotten this long after they end. */
  retentionMs: number;
  /** Refuses (SourceError revision_changed) a checkpoint whose source moved off its pinned revision. */
  checkPin?: (url: string, revision: string) => Promise<void>;
}

const key = (c: { problem_id: string; index: number }) => `${c.problem_id}\u0000${c.index}`;

export class SampleJobs {
  private readonly jobs = new Map<string, Entry>();
  running = 0;

  constructor(
    private readonly sampler: () => Promise<Sampler>,
    private readonly sender: CallbackSender | undefined,
    private readonly options: SampleJobsOptions,
    private readonly store?: JobStore,
  ) {}

  create(request: SamplesRequest): SampleJob {
    this.forgetOld();
    const job: SampleJob = {
      id: newJobId("smp"),
      status: "queued",
      created_at: new Date().toISOString(),
      finished_at: null,
      checkpoint: request.checkpoint,
      expected: request.problems.length * request.n,
      produced: 0,
      error: null,
      callback: null,
    };
    this.store?.insertSampleJob(job, request);
    const entry: Entry = { job, request, completions: [], done: Promise.resolve(), chunks: 0, chunked: 0 };
    if (request.callback && this.sender) entry.callbacks = new CallbackQueue(this.sender, request.callback);
    this.jobs.set(job.id, entry);
    entry.done = this.run(entry);
    return this.view(entry);
  }

  /**
   * After a restart: loads every stored job; re-sends the callback events not yet delivered (same
   * ids) and resumes the jobs that were queued or running. Returns how many were resumed.
   */
  resume(): number {
    if (!this.store) return 0;
    let resumed = 0;
    for (const stored of this.store.sampleJobs()) {
      const entry: Entry = {
        job: stored.job,
        request: stored.request,
        completions: stored.completions,
        done: Promise.resolve(),
        chunks: stored.events.filter((e) => e.type === "samples.chunk").length,
        chunked: stored.events.reduce((sum, e) => sum + e.completions, 0),
      };
      if (stored.request.callback && this.sender) {
        entry.callbacks = new CallbackQueue(this.sender, stored.request.callback);
        for (const event of stored.events) if (!event.delivered) this.resend(entry, event);
      }
      this.jobs.set(stored.job.id, entry);
      if (stored.job.status === "queued" || stored.job.status === "running") {
        entry.done = this.run(entry);
        resumed++;
      }
    }
    return resumed;
  }

  page(id: string, cursor: number, limit: number): SamplePage | undefined {
    const entry = this.jobs.get(id);
    if (!entry) return undefined;
    const finished = entry.job.status === "succeeded" || entry.job.status === "failed";
    const completions = entry.completions.slice(cursor, cursor + limit);
    const end = cursor + completions.length;
    const next_cursor = finished && end >= entry.completions.length ? null : end;
    return { ...this.view(entry), completions, next_cursor };
  }

  /** Resolves when every job has finished and its callbacks are delivered (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all(
      [...this.jobs.values()].map(async (entry) => {
        await entry.done;
        await entry.callbacks?.drained();
      }),
    );
  }

  private view(entry: Entry): SampleJob {
    return { ...entry.job, produced: entry.completions.length, callback: entry.callbacks?.status() ?? null };
  }

  private resend(entry: Entry, event: StoredEvent): void {
    // biome-ignore lint/suspicious/noExplicitAny: the stored event was built from the typed data below
    entry.callbacks?.enqueue(event.id, event.type as any, event.data as any, () => this.store?.markDelivered(event.id));
  }

  /** Records the event (with a store) and queues it for delivery. */
  private emit(entry: Entry, id: string, type: string, data: unknown, completions = 0): void {
    if (!entry.callbacks) return;
    this.store?.addEvent(entry.job.id, id, type, data, completions);
    this.resend(entry, { id, type, data, completions, delivered: false });
  }

  private async run(entry: Entry): Promise<void> {
    await Promise.resolve(); // let create() return the queued job first
    const { job, request } = entry;
    job.status = "running";
    this.store?.updateSampleJob(job);
    this.running++;
    const flush = (final: boolean) => {
      if (!entry.callbacks) return;
      const completions = entry.completions.slice(entry.chunked);
      if (completions.length === 0 && !final) return;
      const seq = entry.chunks++;
      entry.chunked += completions.length;
      this.emit(entry, `${job.id}.chunk.${seq}`, "samples.chunk", { job_id: job.id, checkpoint: job.checkpoint, seq, completions, final }, completions.length);
    };
    try {
      // Resumed: only what is missing is asked for; a problem half done is asked again and the
      // completions it already has are dropped (the samplers are seeded per problem and index).
      const have = new Set(entry.completions.map(key));
      const counts = new Map<string, number>();
      for (const c of entry.completions) counts.set(c.problem_id, (counts.get(c.problem_id) ?? 0) + 1);
      const problems = request.problems.filter((p) => (counts.get(p.id) ?? 0) < request.n);
      if (problems.length > 0) {
        if (request.revision && this.options.checkPin) await this.options.checkPin(request.checkpoint, request.revision);
        const sampler = await this.sampler();
        const { callback: _callback, ...sampleRequest } = request;
        for await (const completion of sampler.sample({ ...sampleRequest, problems })) {
          if (have.has(key(completion))) continue;
          have.add(key(completion));
          this.store?.addCompletion(job.id, entry.completions.length, completion);
          entry.completions.push(completion);
          if (entry.completions.length - entry.chunked >= this.options.chunkSize) flush(false);
        }
      }
      flush(true);
      job.status = "succeeded";
      job.finished_at = new Date().toISOString();
      this.store?.updateSampleJob(job);
      this.emit(entry, `${job.id}.completed`, "samples.completed", {
        job_id: job.id,
        checkpoint: job.checkpoint,
        completions: entry.completions.length,
        chunks: entry.chunks,
      });
    } catch (error) {
      if (entry.completions.length > entry.chunked) flush(false);
      job.error = revisionChanged(error) ?? { title: "Sampling failed", detail: (error as Error)?.message ?? String(error) };
      job.status = "failed";
      job.finished_at = new Date().toISOString();
      this.store?.updateSampleJob(job);
      this.emit(entry, `${job.id}.failed`, "samples.failed", {
        job_id: job.id,
        checkpoint: job.checkpoint,
        error: job.error,
        completions: entry.completions.length,
      });
    } finally {
      job.finished_at ??= new Date().toISOString();
      this.running--;
    }
  }

  private forgetOld(): void {
    const cutoff = Date.now() - this.options.retentionMs;
    for (const [id, entry] of this.jobs) {
      if (entry.job.finished_at && Date.parse(entry.job.finished_at) < cutoff && !entry.callbacks?.pending) {
        this.jobs.delete(id);
        this.store?.deleteSampleJob(id);
      }
    }
  }
}
