// End to end with the real processes: wrangler dev (local D1 + Queues), the executor (bubblewrap
// sandboxes) and the GPU backend with its demo sampler. Evaluations run from POST to complete
// with exact counts, the verdict cache is shared, a merge grid is evaluated, and faults (executor
// killed mid-batch, backend failing and hanging, a replayed and a malformed callback) end with
// every sample accounted for.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackManifestSchema } from "@frontier/contracts";
import { signWebhook, webhookSigner } from "../../src/domain/webhooks.ts";
import { registrationFromPack } from "../../src/services/benchmarks.ts";
import { DEV_BACKEND_WEBHOOK_SECRET, ROOT, startStack, waitFor, type Stack } from "../../scripts/stack.ts";

const PACK_DIR = join(ROOT, "packs", "bundled");
const CHECKPOINTS = join(ROOT, "packs", "demo-policy", "checkpoints");
/** Few problems and small n: CI has two cores. */
const PROBLEMS = ["fib-mod", "range-sum"];
/** Problems no other test samples, so the kill test's programs are not in the verdict cache yet. */
const KILL_PROBLEMS = ["knapsack", "lis-length"];

let stack: Stack;
let submitKey: string;
let benchmark: string;
const checkpoints: Record<string, string> = {};

async function api(path: string, init: RequestInit = {}, key = submitKey) {
  const res = await fetch(`${stack.edge.url}${path}`, {
    ...init,
    headers: { ...(init.body ? { "content-type": "application/json" } : {}), authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

async function evaluation(id: string) {
  return (await api(`/v1/evaluations/${id}`)).body;
}

async function untilFinished(id: string, timeoutMs = 180_000) {
  return waitFor(
    async () => {
      const e = await evaluation(id);
      return e.status === "complete" || e.status === "failed" ? e : null;
    },
    timeoutMs,
    `evaluation ${id} to finish`,
    500,
  );
}

function expectAccountedFor(e: any, requested: number) {
  expect(e.status).toBe("complete");
  expect(e.progress.requested).toBe(requested);
  expect(e.progress.received).toBe(requested);
  expect(e.progress.pending).toBe(0);
  const total = Object.values(e.progress.verdicts as Record<string, number>).reduce((a, b) => a + b, 0);
  expect(total).toBe(requested);
  expect(e.progress.cached + e.progress.judged + e.progress.extraction_errors + e.progress.dead_lettered).toBe(requested);
}

const judgeCalls = () => stack.executorProxy.requests.get("POST /v1/judge") ?? 0;

beforeAll(async () => {
  stack = await startStack();
  const admin = await stack.edge.apiKey(["operator"]);
  submitKey = await stack.edge.apiKey(["submit"]);
  const manifest = PackManifestSchema.parse(JSON.parse(readFileSync(join(PACK_DIR, "manifest.json"), "utf8")));
  const files = new Map(manifest.problems.map((p) => [p.id, JSON.parse(readFileSync(join(PACK_DIR, p.file), "utf8"))]));
  const registered = await api("/v1/benchmarks", { method: "POST", body: JSON.stringify(registrationFromPack(manifest, files, "bundled")) }, admin);
  expect(registered.status).toBe(201);
  benchmark = registered.body.id;
  for (const name of ["low-coverage", "high-coverage"]) {
    const res = await api("/v1/checkpoints", {
      method: "POST",
      body: JSON.stringify({ url: `file://${join(CHECKPOINTS, name)}`, run: "demo-e2e", label: name }),
    });
    expect(res.status).toBe(201);
    checkpoints[name] = res.body.id;
  }
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

describe("evaluations through the real stack", () => {
  it("runs from POST to complete with exact counts, then again from the shared cache with zero executor calls", async () => {
    const before = judgeCalls();
    const created = await api("/v1/evaluations", {
      method: "POST",
      body: JSON.stringify({ checkpoint: checkpoints["low-coverage"], benchmark, n: 3, problems: PROBLEMS, seed: 1 }),
    });
    expect(created.status).toBe(202);
    const cold = await untilFinished(created.body.id);
    expectAccountedFor(cold, 6);
    expect(cold.progress.cached).toBe(0);
    expect(judgeCalls()).toBeGreaterThan(before);

    const metrics = (await api(`/v1/evaluations/${created.body.id}/metrics?k=1,3`)).body;
    expect(metrics.per_problem.map((p: { problem: string; n: number }) => [p.problem, p.n])).toEqual(PROBLEMS.map((p) => [p, 3]));
    const samples = (await api(`/v1/evaluations/${created.body.id}/samples?problem=fib-mod`)).body;
    expect(samples.data).toHaveLength(3);
    expect(samples.data.every((s: { verdict: string | null }) => s.verdict !== null)).toBe(true);

    const warmBefore = judgeCalls();
    const again = await api("/v1/evaluations", {
      method: "POST",
      body: JSON.stringify({ checkpoint: checkpoints["low-coverage"], benchmark, n: 3, problems: PROBLEMS, seed: 1 }),
    });
    const warm = await untilFinished(again.body.id);
    expectAccountedFor(warm, 6);
    expect(warm.progress.judged).toBe(0);
    expect(warm.progress.cached).toBe(6 - warm.progress.extraction_errors);
    expect(warm.progress.verdicts).toEqual(cold.progress.verdicts);
    expect(judgeCalls()).toBe(warmBefore);
  });

  it("evaluates every point of a merge grid once it is merged", async () => {
    const res = await api("/v1/merges", {
      method: "POST",
      body: JSON.stringify({
        a: checkpoints["low-coverage"],
        b: checkpoints["high-coverage"],
        alphas: [0, 0.5, 1.5],
        run: "demo-e2e-grid",
        evaluate: { benchmark, n: 2, problems: PROBLEMS },
      }),
    });
    expect(res.status).toBe(202);
    const merge = await waitFor(
      async () => {
        const m = (await api(`/v1/merges/${res.body.id}`)).body;
        return m.status !== "merging" && m.checkpoints.every((c: { evaluation: string | null }) => c.evaluation) ? m : null;
      },
      120_000,
      "the merge grid",
      500,
    );
    expect(merge.status).toBe("ready");
    for (const output of merge.checkpoints) {
      expect(output.url).toMatch(/^file:\/\//);
      expectAccountedFor(await untilFinished(output.evaluation), 4);
    }
    const frontier = (await api(`/v1/runs/demo-e2e-grid/frontier?k=1`)).body;
    expect(frontier.points.map((p: { alpha: number }) => p.alpha)).toEqual([0, 0.5, 1.5]);
  });
});

describe("faults", () => {
  it("the executor killed mid-batch and restarted: every sample still gets its verdict", async () => {
    const seen = judgeCalls();
    const created = await api("/v1/evaluations", {
      method: "POST",
      body: JSON.stringify({ checkpoint: checkpoints["high-coverage"], benchmark, n: 3, problems: KILL_PROBLEMS, seed: 2 }),
    });
    await waitFor(async () => judgeCalls() > seen, 60_000, "the first judge request", 20);
    await stack.executor.stop("SIGKILL");
    await new Promise((r) => setTimeout(r, 1500));
    await stack.restartExecutor();
    const done = await untilFinished(created.body.id);
    expectAccountedFor(done, 6);
    expect(done.progress.verdicts.SE).toBe(0);
    expect(done.errors.some((e: { stage: string }) => e.stage === "judging")).toBe(true);
  });

  it("the backend answering 500, then hanging, for a while: the evaluation still completes", async () => {
    stack.backendProxy.mode = "500";
    const created = await api("/v1/evaluations", {
      method: "POST",
      body: JSON.stringify({ checkpoint: checkpoints["low-coverage"], benchmark, n: 2, problems: PROBLEMS, seed: 3 }),
    });
    await waitFor(async () => stack.backendProxy.faults >= 2, 60_000, "two failed backend calls", 100);
    stack.backendProxy.mode = "hang";
    const hung = stack.backendProxy.faults;
    await waitFor(async () => stack.backendProxy.faults > hung, 60_000, "a hanging backend call", 100);
    await new Promise((r) => setTimeout(r, 1000));
    stack.backendProxy.mode = "pass";
    stack.backendProxy.dropHanging();
    const done = await untilFinished(created.body.id);
    expectAccountedFor(done, 4);
    expect(done.errors.some((e: { message: string }) => /500/.test(e.message))).toBe(true);
  });

  it("a replayed callback changes nothing and a malformed one is rejected with nothing written", async () => {
    const created = await api("/v1/evaluations", {
      method: "POST",
      body: JSON.stringify({ checkpoint: checkpoints["low-coverage"], benchmark, n: 2, problems: PROBLEMS, seed: 4 }),
    });
    const done = await untilFinished(created.body.id);
    expectAccountedFor(done, 4);
    const samples = (await api(`/v1/evaluations/${created.body.id}/samples?limit=100`)).body.data;
    const body = JSON.stringify({
      type: "samples.chunk",
      timestamp: new Date().toISOString(),
      // As the backend sends it (a samples.chunk event of @frontier/contracts): the job's checkpoint URL included.
      data: {
        job_id: done.sampling.job,
        checkpoint: `file://${join(CHECKPOINTS, "low-coverage")}`,
        seq: 0,
        final: true,
        completions: samples.map((s: any) => ({ problem_id: s.problem, index: s.index, text: "```python\nprint('replayed')\n```", finish_reason: "stop" })),
      },
    });
    const signer = webhookSigner(DEV_BACKEND_WEBHOOK_SECRET);
    const send = (id: string, payload: string, signature?: string) => {
      const ts = Math.floor(Date.now() / 1000);
      return fetch(`${stack.edge.url}/v1/backend/events`, {
        method: "POST",
        body: payload,
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(ts),
          "webhook-signature": signature ?? signWebhook(signer, id, ts, payload),
        },
      });
    };
    const id = `${done.sampling.job}.chunk.replay`;
    expect((await send(id, body)).status).toBe(200);
    const replay = await send(id, body);
    expect(await replay.json()).toMatchObject({ duplicate: true });
    expect((await send(`${id}.forged`, body, "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")).status).toBe(401);
    expect((await send(`${id}.broken`, '{"type": "samples.chunk", "data": ')).status).toBe(400);
    const after = await evaluation(created.body.id);
    expect(after.progress).toEqual(done.progress);
    const unchanged = (await api(`/v1/evaluations/${created.body.id}/samples?limit=100`)).body.data;
    expect(unchanged.map((s: any) => s.code)).toEqual(samples.map((s: any) => s.code));
  });
});
