// The Deno KV queue behind the Queues port, run under Deno (test/deno/fixtures/queue-probe.ts) with
// probe consumers and the wrangler.toml semantics at fast timings: delivery, batching, ack/retry,
// a throwing consumer, retries then the dead-letter queue, bodies over KV's 64 KiB, delays, and
// messages that outlive a restart.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDeno, taskArgs } from "./deno-process.ts";

type Delivery = { queue: string; name: string; attempts: number; batch: number; padLength: number };
type Report = {
  deliveries: Delivery[];
  beforeRestart: number;
  deadLetters: Record<string, { name: string; padLength: number; failedAttempts: number }[]>;
  bodyChunksLeft: string[];
};

const folder = mkdtempSync(join(tmpdir(), "frontier-deno-queue-"));
let report: Report;
const of = (name: string) => report.deliveries.filter((d) => d.name === name);

beforeAll(async () => {
  const result = await runDeno(taskArgs("start", "test/deno/fixtures/queue-probe.ts").concat(folder), {});
  if (result.code !== 0) throw new Error(`queue probe failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  report = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("Deno KV queue", () => {
  it("delivers a sent message to its queue's consumer once, on the first attempt", () => {
    for (const name of ["acked", "implicit", "big-acked", "acked-before-throw", "delayed"]) {
      expect(of(name), name).toHaveLength(1);
      expect(of(name)[0].attempts).toBe(1);
    }
    expect(of("acked")[0].queue).toBe("sampling");
    expect(of("acked-before-throw")[0].queue).toBe("executions");
  });

  it("keeps bodies over a KV message's 64 KiB intact, and frees their storage once acknowledged", () => {
    expect(of("big-acked")[0].padLength).toBe(60_000);
    expect(of("big-retried").map((d) => d.padLength)).toEqual([60_000, 60_000, 60_000]);
    // Only the dead-lettered big message still has its body stored (in 2 chunks of ≤ 60 KiB).
    expect(new Set(report.bodyChunksLeft).size).toBe(1);
    expect(report.bodyChunksLeft).toHaveLength(2);
  });

  it("never hands a consumer more than max_batch_size messages at once", () => {
    const bulk = report.deliveries.filter((d) => d.name.startsWith("bulk-"));
    expect(bulk.map((d) => d.name).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `bulk-${i}`));
    expect(Math.max(...report.deliveries.map((d) => d.batch))).toBe(3);
  });

  it("retries a message up to max_retries times, then moves it to the dead-letter queue", () => {
    for (const name of ["retried", "big-retried"]) {
      expect(of(name).map((d) => d.attempts)).toEqual([1, 2, 3]); // max_retries = 2
    }
    expect(report.deadLetters["frontier-sampling-dlq"].map((m) => m.name).sort()).toEqual(["big-retried", "retried"]);
    expect(report.deadLetters["frontier-sampling-dlq"].find((m) => m.name === "big-retried")?.padLength).toBe(60_000);
  });

  it("a throwing consumer retries the messages it did not ack, and only those", () => {
    expect(of("thrown").map((d) => d.attempts)).toEqual([1, 2, 3]);
    expect(of("acked-before-throw")).toHaveLength(1);
    expect(report.deadLetters["frontier-executions-dlq"].map((m) => m.name)).toEqual(["thrown"]);
  });

  it("hands exhausted messages to the dead-letter queue's consumer when it has one", () => {
    const deliveries = of("to-dead-letter-consumer");
    expect(deliveries.map((d) => [d.queue, d.attempts])).toEqual([
      ["sampling", 1],
      ["sampling", 2],
      ["sampling", 3],
      ["frontier-sampling-dlq", 1],
    ]);
  });

  it("delivers a message sent before a restart after the server comes back on the same files", () => {
    expect(report.beforeRestart).toBe(0);
    expect(of("across-restart")).toHaveLength(1);
  });
});
