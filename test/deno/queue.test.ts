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
  held: { queue: string; name: string; failedAttempts: number }[];
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

  it("keeps bodies over a KV message's 64 KiB intact through retries and dead-lettering, then frees them", () => {
    expect(of("big-acked")[0].padLength).toBe(60_000);
    expect(of("big-retried").map((d) => d.padLength)).toEqual([60_000, 60_000, 60_000, 60_000]);
    expect(report.bodyChunksLeft).toEqual([]);
  });

  it("never hands a consumer more than max_batch_size messages at once", () => {
    const bulk = report.deliveries.filter((d) => d.name.startsWith("bulk-"));
    expect(bulk.map((d) => d.name).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `bulk-${i}`));
    expect(Math.max(...report.deliveries.map((d) => d.batch))).toBe(3);
  });

  it("retries a message up to max_retries times, then hands it to the dead-letter consumer", () => {
    for (const name of ["retried", "big-retried"]) {
      // max_retries = 2: three deliveries, then one to the sampling-dlq consumer.
      expect(of(name).map((d) => [d.queue, d.attempts])).toEqual([
        ["sampling", 1],
        ["sampling", 2],
        ["sampling", 3],
        ["sampling-dlq", 1],
      ]);
    }
  });

  it("a throwing consumer retries the messages it did not ack, and only those", () => {
    expect(of("thrown").map((d) => d.attempts)).toEqual([1, 2, 3]);
    expect(of("acked-before-throw")).toHaveLength(1);
  });

  it("keeps dead letters of a dead-letter queue without a consumer, instead of dropping them", () => {
    expect(report.held).toEqual([{ queue: "frontier-executions-dlq", name: "thrown", failedAttempts: 0 }]);
  });

  it("delivers a message sent before a restart after the server comes back on the same files", () => {
    expect(report.beforeRestart).toBe(0);
    expect(of("across-restart")).toHaveLength(1);
  });
});
