// Sampling jobs: completions are kept in order as the sampler yields them, paged by cursor, and,
// when the request names a callback, sent there in signed chunks.
import type { SampleJob, SamplePage, SamplesRequest } from "@frontier/contracts";
import { CallbackQueue, type CallbackSender } from "../callbacks.ts";
import type { Completion, Sampler } from "../samplers/types.ts";
import { newJobId } from "./ids.ts";

export type { SampleJob, SamplePage, SamplesRequest };

interface Entry {
  job: SampleJob;
  request: SamplesRequest;
  completions: Completion[];
  callbacks?: CallbackQueue;
  done: Promise<void>;
}

export interface SampleJobsOptions {
  /** Completions per samples.chunk event. */
  chunkSize: number;
  /** Finished jobs are forgotten this long after they end. */
  retentionMs: number;
}

export class SampleJobs {
  private readonly jobs = new Map<string, Entry>();
  running = 0;

  constructor(
    private readonly sampler: () => Promise<Sampler>,
    private readonly sender: CallbackSender | undefined,
    private readonly options: SampleJobsOptions,
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
    const entry: Entry = { job, request, completions: [], done: Promise.resolve() };
    if (request.callback && this.sender) entry.callbacks = new CallbackQueue(this.sender, request.callback);
    this.jobs.set(job.id, entry);
    entry.done = this.run(entry);
    return this.view(entry);
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

  private async run(entry: Entry): Promise<void> {
    await Promise.resolve(); // let create() return the queued job first
    const { job, request, callbacks } = entry;
    job.status = "running";
    this.running++;
    let seq = 0;
    let buffered: Completion[] = [];
    const flush = (final: boolean) => {
      if (!callbacks) return;
      callbacks.enqueue(`${job.id}.chunk.${seq}`, "samples.chunk", { job_id: job.id, checkpoint: job.checkpoint, seq, completions: buffered, final });
      seq++;
      buffered = [];
    };
    try {
      const sampler = await this.sampler();
      const { callback: _callback, ...sampleRequest } = request;
      for await (const completion of sampler.sample(sampleRequest)) {
        entry.completions.push(completion);
        buffered.push(completion);
        if (buffered.length >= this.options.chunkSize) flush(false);
      }
      flush(true);
      job.status = "succeeded";
      callbacks?.enqueue(`${job.id}.completed`, "samples.completed", {
        job_id: job.id,
        checkpoint: job.checkpoint,
        completions: entry.completions.length,
        chunks: seq,
      });
    } catch (error) {
      if (buffered.length) flush(false);
      job.error = { title: "Sampling failed", detail: (error as Error)?.message ?? String(error) };
      job.status = "failed";
      callbacks?.enqueue(`${job.id}.failed`, "samples.failed", {
        job_id: job.id,
        checkpoint: job.checkpoint,
        error: job.error,
        completions: entry.completions.length,
      });
    } finally {
      job.finished_at = new Date().toISOString();
      this.running--;
    }
  }

  private forgetOld(): void {
    const cutoff = Date.now() - this.options.retentionMs;
    for (const [id, entry] of this.jobs) {
      if (entry.job.finished_at && Date.parse(entry.job.finished_at) < cutoff && !entry.callbacks?.pending) this.jobs.delete(id);
    }
  }
}
