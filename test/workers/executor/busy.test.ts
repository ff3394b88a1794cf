// EXECUTOR_MAX_QUEUE: an instance whose sandboxes are all taken and whose queue is full answers
// 503 + Retry-After (the edge then tries the pack's next instance) instead of queueing more.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExecutor, type StartedExecutor } from "../../../workers/executor/src/server.ts";

const token = "busy-token-123";
let executor: StartedExecutor;

beforeAll(async () => {
  executor = await startExecutor({ PORT: "0", EXECUTOR_TOKEN: token, EXECUTOR_CONCURRENCY: "1", EXECUTOR_MAX_QUEUE: "1" });
});
afterAll(async () => executor?.close());

const judge = (code: string) =>
  fetch(`http://127.0.0.1:${executor.port}/v1/judge`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      problem: { id: "p", kind: "stdin", limits: { time_ms: 5000, memory_mb: 64 }, tiers: [{ name: "t", tests: [{ input: "", output: "ok" }] }] },
      submissions: [{ language: "python", code }],
    }),
  });

async function until(predicate: (health: { running: number; queue_depth: number }) => boolean): Promise<void> {
  for (;;) {
    const health = (await (await fetch(`http://127.0.0.1:${executor.port}/v1/health`)).json()) as { running: number; queue_depth: number };
    if (predicate(health)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a full executor", () => {
  it("answers 503 + Retry-After once its queue is full, and judges again when it drains", async () => {
    // The first holds the only sandbox, sleeping (no CPU) long enough for the two requests below.
    const first = judge("import time\ntime.sleep(5)\nprint('ok')");
    await until((h) => h.running === 1);
    const second = judge("print('ok')");
    await until((h) => h.queue_depth === 1);
    const third = await judge("print('ok')");
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("2");
    expect(await third.json()).toMatchObject({ title: "Executor busy" });
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    const fourth = await judge("print('ok')");
    expect(fourth.status).toBe(200);
    expect(await fourth.json()).toMatchObject({ results: [{ verdict: "AC" }] });
  });
});
