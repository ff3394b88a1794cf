// The Workers queue handler inside workerd: batches reach the consumer for their queue.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { QueueMessage } from "../../../src/ports.ts";
import { logicalQueueName } from "../../../src/queue/dispatch.ts";
import { SamplingMessageSchema } from "../../../src/queue/messages.ts";
import {
  judgingRetryDelaySeconds,
  MAX_TRANSIENT_FAILURES,
  nextPollDelay,
  nextSweepDelay,
  samplingRetryDelaySeconds,
  transientResendDelaySeconds,
} from "../../../src/queue/retry-policy.ts";
import { cloudflareQueues, createWorker, type Env } from "../../../src/runtime/workers.ts";

const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: { n: i } }));

describe("queue dispatch", () => {
  it("maps deployed queue names to logical ones", () => {
    expect(logicalQueueName("frontier-sampling")).toBe("sampling");
    expect(logicalQueueName("executions")).toBe("executions");
    expect(logicalQueueName("frontier-sampling-dlq")).toBe("sampling-dlq");
    expect(logicalQueueName("frontier-oversampling")).toBeUndefined();
  });

  it("hands a batch to its queue's consumer, with working ports", async () => {
    const seen: { queue: string; bodies: unknown[] }[] = [];
    const consumer = (queue: string) => async (batch: readonly QueueMessage[], _ports: { db: { run: (q: any) => Promise<unknown> } }) => {
      seen.push({ queue, bodies: batch.map((m) => m.body) });
      batch[0].retry({ delaySeconds: 5 });
      for (const m of batch.slice(1)) m.ack();
    };
    const worker = createWorker({ sampling: consumer("sampling") as any, executions: consumer("executions") as any });
    const batch = createMessageBatch("frontier-executions", messages(3));
    const ctx = createExecutionContext();
    await worker.queue(batch, env as unknown as Env);
    const result = await getQueueResult(batch, ctx);
    expect(seen).toEqual([{ queue: "executions", bodies: [{ n: 0 }, { n: 1 }, { n: 2 }] }]);
    expect(result.explicitAcks.sort()).toEqual(["m1", "m2"]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["m0"]);
  });

  it("keeps messages of a queue nobody consumes yet (retried, not dropped)", async () => {
    const worker = createWorker({});
    const batch = createMessageBatch("frontier-sampling", messages(2));
    const ctx = createExecutionContext();
    await worker.queue(batch, env as unknown as Env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId).sort()).toEqual(["m0", "m1"]);
  });

  it("the producer port splits batches over the binding's 100-message cap", async () => {
    // A recording stand-in for the two Queue bindings (real ones would deliver these bodies to the
    // pipeline's consumers); like Cloudflare's, it refuses more than 100 messages per sendBatch.
    const sent: { queue: string; count: number }[] = [];
    const recording = (queue: string) =>
      ({
        async send(_body: unknown) {
          sent.push({ queue, count: 1 });
        },
        async sendBatch(messages: Iterable<unknown>) {
          const count = [...messages].length;
          if (count > 100) throw new Error("batch message count exceeds limit of 100");
          sent.push({ queue, count });
        },
      }) as unknown as Queue;
    const queues = cloudflareQueues({ SAMPLING_QUEUE: recording("sampling"), EXECUTIONS_QUEUE: recording("executions") } as Env);
    await queues.sendBatch(
      "executions",
      Array.from({ length: 250 }, (_, i) => ({ i })),
    );
    await queues.send("sampling", { hello: 1 });
    expect(sent).toEqual([
      { queue: "executions", count: 100 },
      { queue: "executions", count: 100 },
      { queue: "executions", count: 50 },
      { queue: "sampling", count: 1 },
    ]);
    // The real binding enforces the same cap, which is why the port splits.
    await expect((env as unknown as Env).EXECUTIONS_QUEUE.sendBatch(Array.from({ length: 101 }, () => ({ body: "x" })))).rejects.toThrow();
  });
});

describe("retry policy", () => {
  const sequence = (next: (n: number) => number, from: number, count: number) => Array.from({ length: count }, (_, i) => next(from + i));

  it("backs off judging 2, 4, 8, … s up to 5 minutes", () => {
    expect(sequence(judgingRetryDelaySeconds, 1, 10)).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
  });

  it("re-sends sampling after transient failures 1, 2, 4, … s up to a minute, MAX_TRANSIENT_FAILURES times", () => {
    expect(sequence(transientResendDelaySeconds, 0, MAX_TRANSIENT_FAILURES)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
    expect(sequence(samplingRetryDelaySeconds, 1, 7)).toEqual([2, 4, 8, 16, 32, 60, 60]);
  });

  it("doubles polls up to 30 s and sweeps from 30 s up to 5 minutes", () => {
    const polls = [1];
    while (polls.length < 7) polls.push(nextPollDelay(polls.at(-1)!));
    expect(polls).toEqual([1, 2, 4, 8, 16, 30, 30]);
    const sweeps = [nextSweepDelay(1)];
    while (sweeps.length < 6) sweeps.push(nextSweepDelay(sweeps.at(-1)!));
    expect(sweeps).toEqual([30, 60, 120, 240, 300, 300]);
  });

  it("carries the transient failure count in the sampling message schema", () => {
    expect(SamplingMessageSchema.parse({ type: "evaluation.start", evaluation_id: "e", failures: 3 })).toEqual({
      type: "evaluation.start",
      evaluation_id: "e",
      failures: 3,
    });
    expect(SamplingMessageSchema.parse({ type: "merge.poll", merge_id: "m", position: 0 })).toEqual({
      type: "merge.poll",
      merge_id: "m",
      position: 0,
      delay: 1,
    });
    expect(SamplingMessageSchema.safeParse({ type: "evaluation.start", evaluation_id: "e", failures: -1 }).success).toBe(false);
  });
});
