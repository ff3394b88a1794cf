// The queue topology of wrangler.toml, for the Deno KV queue: which deployed queue each producer
// binding sends to, and how each consumer batches, retries and dead-letters. Keep in step with
// wrangler.toml's [[queues.producers]] and [[queues.consumers]]; test/deno/settings.test.ts fails
// when the two differ.
import type { QueueName } from "../../ports.ts";

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
  /** Deployed queue name → its consumer. A queue without one keeps its messages (see heldMessages). */
  consumers: Record<string, ConsumerSettings>;
}

export const WRANGLER_QUEUE_TOPOLOGY: QueueTopology = {
  producers: { sampling: "frontier-sampling", executions: "frontier-executions" },
  consumers: {
    "frontier-sampling": {
      maxBatchSize: 4,
      maxBatchTimeoutSeconds: 5,
      maxRetries: 5,
      retryDelaySeconds: 30,
      deadLetterQueue: "frontier-sampling-dlq",
    },
    "frontier-executions": {
      maxBatchSize: 10,
      maxBatchTimeoutSeconds: 2,
      maxRetries: 5,
      retryDelaySeconds: 10,
      deadLetterQueue: "frontier-executions-dlq",
    },
    "frontier-sampling-dlq": { maxBatchSize: 10, maxBatchTimeoutSeconds: 1, maxRetries: 10, retryDelaySeconds: 5 },
    "frontier-executions-dlq": { maxBatchSize: 10, maxBatchTimeoutSeconds: 1, maxRetries: 10, retryDelaySeconds: 5 },
  },
};
