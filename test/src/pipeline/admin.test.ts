// The operator's view inside workerd on real D1: GET /v1/admin/status counts each queue's pending
// work, the oldest pending sample and dead letters, and probes the executor and the backend;
// POST /v1/admin/replay-dlq re-queues exactly the dead-lettered programs.
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import type { ServiceClient } from "../../../src/ports.ts";
import { apiKey, deliverAll, makePack, testStack, readAsTeam } from "./doubles.ts";

/** index 0: accepted; 1: wrong; 2: no code; 3: another accepted program. */
function completionText(_checkpoint: string, problemId: string, index: number): string {
  switch (index % 4) {
    case 0:
      return `\`\`\`python\n# verdict: AC\nprint(input())  # admin ${problemId}\n\`\`\``;
    case 1:
      return `\`\`\`python\n# verdict: WA\nprint(0)  # admin ${problemId}\n\`\`\``;
    case 2:
      return "no code here";
    default:
      return `\`\`\`python\n# verdict: AC\nprint(input().strip())  # admin ${problemId}\n\`\`\``;
  }
}

/** The executor answers its health route; the backend is down. */
function withHealth(client: ServiceClient, health: "ok" | "down"): ServiceClient {
  return {
    fetch: async (path, init) => {
      if (path !== "/v1/health") return client.fetch(path, init);
      if (health === "down") throw new TypeError("fetch failed: connection refused");
      return new Response(JSON.stringify({ status: "ok", sandbox: { available: true } }), { headers: { "content-type": "application/json" } });
    },
  };
}

describe("operator view", () => {
  it("needs the operator scope (a team admin is 403)", async () => {
    const stack = testStack({ completionText });
    const app = createApp(stack.ports);
    expect((await app.request("/v1/admin/status")).status).toBe(401);
    const submit = await apiKey(["submit"]);
    const forbidden = await app.request("/v1/admin/status", { headers: { authorization: `Bearer ${submit}` } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("content-type")).toMatch(/problem\+json/);
    expect((await app.request("/v1/admin/replay-dlq", { method: "POST", headers: { authorization: `Bearer ${submit}` } })).status).toBe(403);
    const teamAdmin = await apiKey(["admin"]);
    expect((await app.request("/v1/admin/status", { headers: { authorization: `Bearer ${teamAdmin}` } })).status).toBe(403);
  });

  it("counts pending work and dead letters from D1, probes the services, and replays exactly the dead letters", async () => {
    const stack = testStack({ completionText });
    let now = Date.parse("2026-12-01T12:00:00Z");
    stack.ports.clock = { now: () => new Date(now) };
    stack.ports.executor = withHealth(stack.ports.executor, "ok");
    stack.ports.backend = withHealth(stack.ports.backend, "down");
    const app = createApp(stack.ports);
    const admin = await apiKey(["operator"]);
    const auth = { authorization: `Bearer ${admin}` };
    const post = (path: string, body?: unknown) =>
      app.request(path, {
        method: "POST",
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: { ...auth, "content-type": "application/json" },
      });
    const status = async () => {
      const res = await app.request("/v1/admin/status", { headers: auth });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      return res.json<any>();
    };

    const idle = await status();
    expect(idle.queues).toMatchObject({
      exposed: false,
      sampling: { evaluations: 0, merges: 0 },
      executions: { pending_samples: 0, dispatched: 0, oldest_pending_sample: null },
      dead_letters: { samples: 0, replayable_evaluations: 0, failed_evaluations: 0 },
    });
    expect(idle.executor).toMatchObject({ status: "ok", detail: { status: "ok" } });
    expect(idle.backend).toMatchObject({ status: "unreachable", latency_ms: null });
    expect(idle.backend.error).toMatch(/connection refused/);

    const registration = await makePack(`admin-${Math.random().toString(36).slice(2, 8)}`, ["p1"]);
    expect((await post("/v1/benchmarks", registration)).status).toBe(201);
    const checkpoint = await (await post("/v1/checkpoints", { url: "hf://acme/admin@step-1", run: "admin-run" })).json<any>();
    const evaluation = await (await post("/v1/evaluations", { checkpoint: checkpoint.id, benchmark: registration.manifest.name, n: 4 })).json<any>();
    expect((await status()).queues.sampling.evaluations).toBe(1);

    // Sampled: 4 samples, 3 with code waiting for the executor, one without (NC, no verdict to wait for).
    await deliverAll(stack.queues, stack.ports, { only: "sampling", rounds: 2 });
    now += 90_000;
    const judging = (await status()).queues;
    expect(judging.sampling.evaluations).toBe(0);
    expect(judging.executions).toMatchObject({ pending_samples: 3, dispatched: 3 });
    expect(judging.executions.oldest_pending_sample).toMatchObject({ evaluation: evaluation.id, problem: "p1", index: 0 });
    expect(judging.executions.oldest_pending_sample.age_seconds).toBeGreaterThanOrEqual(90);

    // Every executions message dead-lettered: its programs become SE.
    for (const m of stack.queues.take("executions")) stack.queues.push("executions-dlq", m.body);
    await deliverAll(stack.queues, stack.ports);
    const dead = (await status()).queues;
    expect(dead.executions).toMatchObject({ pending_samples: 0, dispatched: 0, oldest_pending_sample: null });
    expect(dead.dead_letters).toMatchObject({ samples: 3, replayable_evaluations: 1, failed_evaluations: 0 });
    expect(stack.executor.submissions).toBe(0);

    // Replay: exactly those 3 go back to the executions queue, and the evaluation completes.
    const replay = await post("/v1/admin/replay-dlq");
    expect(replay.status).toBe(202);
    const replayed = await replay.json<any>();
    expect(replayed).toMatchObject({ requeued: 3, evaluations: [{ id: evaluation.id, requeued: 3 }] });
    expect((await status()).queues.executions.pending_samples).toBe(3);
    await deliverAll(stack.queues, stack.ports);
    expect(stack.executor.submissions).toBe(3);
    const done = await (await readAsTeam(app, `/v1/evaluations/${evaluation.id}`)).json<any>();
    expect(done.status).toBe("complete");
    expect(done.progress.verdicts).toMatchObject({ AC: 2, WA: 1, NC: 1, SE: 0 });
    expect((await status()).queues.dead_letters).toMatchObject({ samples: 0, replayable_evaluations: 0 });

    // Nothing left: a second replay re-queues nothing.
    expect(await (await post("/v1/admin/replay-dlq")).json<any>()).toEqual({ evaluations: [], requeued: 0 });
  });
});
