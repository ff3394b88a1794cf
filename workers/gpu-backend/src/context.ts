// What the routes need, built once by the app.
import type { MergeJobs } from "./jobs/merge-jobs.ts";
import type { SampleJobs } from "./jobs/sample-jobs.ts";
import type { CheckpointCache } from "./checkpoints/cache.ts";
import type { JobStore } from "./jobs/store.ts";
import type { OutputStore } from "./merge/output-store.ts";

export interface Services {
  merges: MergeJobs;
  samples: SampleJobs;
  /** Where merged checkpoints go (MERGE_OUTPUT_DIR or OUTPUT_STORE). */
  outputStore: OutputStore;
  /** The durable job store (BACKEND_STATE_DIR); undefined: jobs live in memory only. */
  jobStore?: JobStore;
  /** The checkpoint cache (undefined: the process's, built from the environment). */
  cache?: CheckpointCache;
  samplerName: string;
  /** Stops the model servers the sampler started (shutdown). */
  closeSampler(): Promise<void>;
  /** Whether callbacks can be signed (BACKEND_WEBHOOK_SECRET is set). */
  callbacksEnabled: boolean;
}

export type Env = { Variables: { services: Services } };
