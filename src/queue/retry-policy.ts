// Every retry and backoff number of the pipeline, in one place and free of I/O: the Workers queues'
// batching, retries and dead-letter queues (wrangler.toml, which stays static TOML; the Deno KV
// queue reads the same numbers from here; test/deno/config.test.ts fails when the two differ), the
// sampling pipeline's polls and its re-sends after backend outages, and the judging consumer's
// redelivery delays.
import type { QueueName } from "../ports.ts";

// ---- outbound webhooks (src/services/webhooks.ts) ----

/** HTTP attempts per delivery before it is recorded failed (a manual redelivery starts again). */
export const WEBHOOK_MAX_ATTEMPTS = 8;
/** Wait before the next attempt after the n-th failed one (n from 1): 5, 10, 20, … s, at most 30 minutes. */
export const webhookRetryDelaySeconds = (attempts: number) => exponentialBackoff(attempts - 1, 5, 1800);
/** Longest wait for a receiver's answer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

// ---- queues: wrangler.toml's [[queues.producers]] and [[queues.consumers]] ----

export interface ConsumerSettings {
  /** Most messages handed to the consumer at once. */
  maxBatchSize: number;
  /** Longest wait for a batch to fill, in seconds. */
  maxBatchTimeoutSeconds: number;
  /** Redeliveries after the first attempt; a message is tried maxRetries + 1 times in all. */
  maxRetries: number;
  /** Wait before a retried message is redelivered, in seconds, unless retry() names its own. */
  retryDelaySeconds: number;
  /** Where a message goes once its retries are spent; without one it is dropped (logged). */
  deadLetterQueue?: string;
}

export interface QueueTopology {
  /** Logical queue (the Queues port's name) → deployed queue name. */
  producers: Record<QueueName, string>;
  /** Deployed queue name → its consumer. A queue without one keeps its messages (Deno: heldMessages). */
  consumers: Record<string, ConsumerSettings>;
}

const PRODUCERS: QueueTopology["producers"] = { sampling: "frontier-sampling", executions: "frontier-executions", webhooks: "frontier-webhooks" };

/** The work queues: the same locally and in production. */
const WORK_QUEUES: QueueTopology["consumers"] = {
  // Sampling is slow GPU work: small batches, long waits between retries.
  "frontier-sampling": { maxBatchSize: 4, maxBatchTimeoutSeconds: 5, maxRetries: 5, retryDelaySeconds: 30, deadLetterQueue: "frontier-sampling-dlq" },
  "frontier-executions": { maxBatchSize: 10, maxBatchTimeoutSeconds: 2, maxRetries: 5, retryDelaySeconds: 10, deadLetterQueue: "frontier-executions-dlq" },
  // Outbound webhooks: the consumer retries with its own backoff (webhookRetryDelaySeconds) and
  // records the delivery failed after the last attempt itself, so no dead-letter queue.
  "frontier-webhooks": { maxBatchSize: 10, maxBatchTimeoutSeconds: 1, maxRetries: WEBHOOK_MAX_ATTEMPTS - 1, retryDelaySeconds: 5 },
};

/** Dead letters are drained quickly in development and more patiently in production. */
const deadLetterQueues = (settings: ConsumerSettings): QueueTopology["consumers"] => ({
  "frontier-sampling-dlq": settings,
  "frontier-executions-dlq": settings,
});

/**
 * wrangler.toml's queues: `development` is its top level (wrangler dev, the tests, the Deno entry),
 * `production` its [env.production].
 */
export const QUEUE_TOPOLOGY: Record<"development" | "production", QueueTopology> = {
  development: {
    producers: PRODUCERS,
    consumers: { ...WORK_QUEUES, ...deadLetterQueues({ maxBatchSize: 10, maxBatchTimeoutSeconds: 1, maxRetries: 10, retryDelaySeconds: 5 }) },
  },
  production: {
    producers: PRODUCERS,
    consumers: { ...WORK_QUEUES, ...deadLetterQueues({ maxBatchSize: 10, maxBatchTimeoutSeconds: 5, maxRetries: 10, retryDelaySeconds: 30 }) },
  },
};

/** How long a message waits before redelivery when nothing consumes its queue yet. */
export const UNCONSUMED_RETRY_DELAY_SECONDS = 60;

/** base·2^step seconds, at most cap. */
export function exponentialBackoff(step: number, baseSeconds: number, capSeconds: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, step), capSeconds);
}

// ---- the sampling pipeline (src/services/sampling.ts and merges.ts) ----

/** Polls start at 1 s, double while nothing new arrives, and stop growing here. */
export const FIRST_POLL_DELAY_SECONDS = 1;
export const MAX_POLL_DELAY_SECONDS = 30;
/** With callbacks on, a watchdog looks at the job this often in case callbacks stop arriving. */
export const WATCHDOG_DELAY_SECONDS = 15;
/** Once every sample is in, the poll chain turns into a slow sweep (30 s, doubling to 5 min) until the evaluation completes. */
export const SWEEP_DELAY_SECONDS = 30;
export const MAX_SWEEP_DELAY_SECONDS = 300;
/** A dispatched program with no verdict after this long is sent again (its message was lost). */
export const STALE_DISPATCH_SECONDS = 300;

/** The next poll's delay after one that brought nothing new. */
export const nextPollDelay = (delay: number) => Math.min(Math.max(FIRST_POLL_DELAY_SECONDS, delay * 2), MAX_POLL_DELAY_SECONDS);
/** The next sweep's delay. */
export const nextSweepDelay = (delay: number) => Math.min(Math.max(delay * 2, SWEEP_DELAY_SECONDS), MAX_SWEEP_DELAY_SECONDS);

/**
 * Consecutive transient failures (backend down, 5xx, timeouts) tolerated before giving up. The
 * count travels in the message (`failures` in SamplingMessageSchema): the consumer re-sends rather
 * than retries, because a backend outage can outlast the queue's max_retries.
 */
export const MAX_TRANSIENT_FAILURES = 10;
/** Wait before the re-send that follows the n-th consecutive transient failure (n from 0): 1, 2, 4, … s, at most 60. */
export const transientResendDelaySeconds = (failures: number) => exponentialBackoff(failures, 1, 60);
/** Redelivery delay after an unexpected error in the sampling consumer (attempts from 1): 2, 4, … s, at most 60. */
export const samplingRetryDelaySeconds = (attempts: number) => exponentialBackoff(attempts, 1, 60);

// ---- judging (src/services/judging.ts) ----

/** Redelivery delay of an executions message after a failed attempt (attempts from 1): 2, 4, 8, … s, at most 5 minutes. */
export const judgingRetryDelaySeconds = (attempts: number) => exponentialBackoff(attempts - 1, 2, 300);

/**
 * How long the executor may stay unreachable (transport errors, 5xx, SE results) before the
 * programs a message carries become SE: one hour unless EXECUTOR_RETRY_HORIZON_SECONDS says
 * otherwise. The consumer re-sends (not retries) with `first_failure_at` in the message, because
 * an outage can outlast the queue's max_retries.
 */
export const EXECUTOR_RETRY_HORIZON_SECONDS = 3600;
/**
 * Wait before the re-send that follows the n-th consecutive executor failure (n from 0): 2, 4, 8,
 * … s, at most 4 minutes: below STALE_DISPATCH_SECONDS, so the sampling sweep never takes a
 * message still being re-sent for a lost one.
 */
export const executorResendDelaySeconds = (failures: number) => exponentialBackoff(failures, 2, 240);
