// The pipeline's queue consumers, by logical queue name (the runtime entries dispatch to these).
import type { Ports, QueueMessage } from "../ports.ts";
import { consumeExecutionDeadLetters, consumeExecutions } from "../services/judging.ts";
import { consumeSampling, giveUp } from "../services/sampling.ts";
import { consumeWebhooks } from "../services/webhooks.ts";
import type { QueueConsumers } from "./dispatch.ts";
import { SamplingMessageSchema } from "./messages.ts";

/** `sampling` dead letters: the job could not be started or followed; the evaluation or merge output fails with the reason. */
async function consumeSamplingDeadLetters(messages: readonly QueueMessage[], ports: Ports): Promise<void> {
  for (const message of messages) {
    const parsed = SamplingMessageSchema.safeParse(message.body);
    if (parsed.success) await giveUp(ports, parsed.data, `gave up after ${message.attempts} deliveries (dead-lettered)`);
    message.ack();
  }
}

export const pipelineConsumers: QueueConsumers = {
  sampling: consumeSampling,
  executions: consumeExecutions,
  webhooks: consumeWebhooks,
  "sampling-dlq": consumeSamplingDeadLetters,
  "executions-dlq": consumeExecutionDeadLetters,
};
