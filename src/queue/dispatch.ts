// Queue batches → consumers, by logical queue name. Deployed queue names carry a prefix
// ("frontier-sampling"); the logical name is the suffix. Runtime-independent: the Workers entry
// dispatches its queue batches and the Deno entry its KV-queue deliveries the same way.
import { QUEUE_NAMES, type Ports, type QueueConsumer, type QueueMessage, type QueueName } from "../ports.ts";
import { UNCONSUMED_RETRY_DELAY_SECONDS } from "./retry-policy.ts";

/** A work queue or its dead-letter queue ("<name>-dlq"). */
export type ConsumedQueueName = QueueName | `${QueueName}-dlq`;

export type QueueConsumers = Partial<Record<ConsumedQueueName, QueueConsumer>>;

export function logicalQueueName(deployedName: string): ConsumedQueueName | undefined {
  const names: ConsumedQueueName[] = [...QUEUE_NAMES.map((name) => `${name}-dlq` as const), ...QUEUE_NAMES];
  return names.find((name) => deployedName === name || deployedName.endsWith(`-${name}`));
}

export async function dispatchQueueBatch(batch: { queue: string; messages: readonly QueueMessage[] }, ports: Ports, consumers: QueueConsumers): Promise<void> {
  const name = logicalQueueName(batch.queue);
  const consumer = name ? consumers[name] : undefined;
  if (!consumer) {
    // Leave the work queued (and, after max_retries, in the dead-letter queue) rather than drop it.
    console.error(`queue ${batch.queue}: no consumer registered; retrying ${batch.messages.length} message(s)`);
    for (const message of batch.messages) message.retry({ delaySeconds: UNCONSUMED_RETRY_DELAY_SECONDS });
    return;
  }
  await consumer(batch.messages, ports);
}
