// Cancel inside workerd on real D1 and the real consumers: a queued and a running evaluation stop
// (the consumers drop their messages: no backend job, nothing judged), cancelling twice answers the
// same, finished work is 409; a submission's cancel cancels its evaluation; a merge's cancel stops
// its outputs before the backend merges anything.
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { apiKey, deliverAll, makePack, readAsTeam, testStack } from "../pipeline/doubles.ts";

const completionText = (_checkpoint: string, problemId: string, index: number) => `\`\`\`python\n# verdict: AC\nprint(input()) # ${problemId} ${index}\n\`\`\``;
const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;

async function setup(label: string) {
  const stack = testStack({ completionText });
  const app = createApp(stack.ports);
  const admin = await apiKey(["operator"]);
  const post = (path: string, body?: unknown) =>
    app.request(path, {
      method: "POST",
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
    });
  const registration = await makePack(unique(`cancel-${label}`), ["p1", "p2"]);
  expect((await post("/v1/benchmarks", registration)).status).toBe(201);
  const run = unique(`run-${label}`);
  const checkpoint = (await (await post("/v1/checkpoints", { url: `hf://acme/${unique(label)}@step-1`, run })).json<any>()).id as string;
  const read = async (path: string) => (await readAsTeam(app, path)).json<any>();
  return { stack, app, post, read, run, checkpoint, benchmark: registration.manifest.name as string };
}

describe("POST /v1/{evaluations|merges|submissions}/{id}/cancel", () => {
  it("cancels a queued evaluation before any backend job, idempotently; the consumers drop its messages", async () => {
    const { stack, post, read, checkpoint, benchmark } = await setup("queued");
    const evaluation = await (await post("/v1/evaluations", { checkpoint, benchmark, n: 2 })).json<any>();
    const jobsBefore = stack.backend.jobs.size;
    const res = await post(`/v1/evaluations/${evaluation.id}/cancel`);
    expect(res.status).toBe(200);
    expect((await res.json<any>()).status).toBe("cancelled");
    const again = await post(`/v1/evaluations/${evaluation.id}/cancel`);
    expect(again.status).toBe(200);
    expect((await again.json<any>()).status).toBe("cancelled");
    expect(stack.queues.pending.filter((m) => m.queue === "sampling")).toHaveLength(1);
    await deliverAll(stack.queues, stack.ports);
    expect(stack.backend.jobs.size).toBe(jobsBefore);
    const after = await read(`/v1/evaluations/${evaluation.id}`);
    expect(after).toMatchObject({ status: "cancelled", progress: { requested: 4, received: 0 } });
  });

  it("cancels a running evaluation: its pending programs are never judged and it never completes", async () => {
    const { stack, post, read, checkpoint, benchmark } = await setup("running");
    const evaluation = await (await post("/v1/evaluations", { checkpoint, benchmark, n: 2 })).json<any>();
    await deliverAll(stack.queues, stack.ports, { only: "sampling", rounds: 2 });
    expect(stack.queues.pending.filter((m) => m.queue === "executions")).toHaveLength(2);
    expect((await read(`/v1/evaluations/${evaluation.id}`)).status).toBe("judging");
    expect((await post(`/v1/evaluations/${evaluation.id}/cancel`)).status).toBe(200);
    await deliverAll(stack.queues, stack.ports);
    expect(stack.executor.submissions).toBe(0);
    const after = await read(`/v1/evaluations/${evaluation.id}`);
    expect(after.status).toBe("cancelled");
    expect(after.progress).toMatchObject({ requested: 4, received: 4, judged: 0 });
  });

  it("answers 409 for finished work and 404 for unknown ids", async () => {
    const { stack, post, checkpoint, benchmark } = await setup("finished");
    const evaluation = await (await post("/v1/evaluations", { checkpoint, benchmark, n: 1 })).json<any>();
    await deliverAll(stack.queues, stack.ports);
    const res = await post(`/v1/evaluations/${evaluation.id}/cancel`);
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect((await res.json<any>()).detail).toContain("complete");
    for (const resource of ["evaluations", "merges", "submissions"]) expect((await post(`/v1/${resource}/nope_1/cancel`)).status).toBe(404);
  });

  it("cancels a queued submission and the evaluation it started; a finished one is 409", async () => {
    const { stack, post, read, benchmark } = await setup("submission");
    const track = unique("t-cancel");
    expect((await post("/v1/tracks", { id: track, benchmark, n: 2, temperature: 0.7, top_p: 0.9, max_tokens: 512, seed: 3 })).status).toBe(201);
    const submission = await (await post("/v1/submissions", { url: `hf://acme/${unique("s")}@rev-1`, track })).json<any>();
    const res = await post(`/v1/submissions/${submission.id}/cancel`);
    expect(res.status).toBe(200);
    expect(await res.json<any>()).toMatchObject({ status: "cancelled", cancelled_at: expect.any(String) });
    expect((await post(`/v1/submissions/${submission.id}/cancel`)).status).toBe(200);
    await deliverAll(stack.queues, stack.ports);
    expect((await read(`/v1/evaluations/${submission.evaluation}`)).status).toBe("cancelled");
    expect((await read(`/v1/submissions/${submission.id}`)).status).toBe("cancelled");

    const done = await (await post("/v1/submissions", { url: `hf://acme/${unique("s")}@rev-1`, track })).json<any>();
    await deliverAll(stack.queues, stack.ports);
    expect((await read(`/v1/submissions/${done.id}`)).status).toBe("complete");
    expect((await post(`/v1/submissions/${done.id}/cancel`)).status).toBe(409);
  });

  it("cancels a merge before the backend merges: no merge job, outputs cancelled, no evaluation", async () => {
    const { stack, post, read, run, checkpoint: a, benchmark } = await setup("merge");
    const b = (await (await post("/v1/checkpoints", { url: `hf://acme/${unique("b")}@step-1`, run })).json<any>()).id;
    const merge = await (await post("/v1/merges", { a, b, alphas: [0, 0.5, 1], run: `${run}-grid`, evaluate: { benchmark, n: 1 } })).json<any>();
    const res = await post(`/v1/merges/${merge.id}/cancel`);
    expect(res.status).toBe(200);
    const cancelled = await res.json<any>();
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.checkpoints.map((c: any) => c.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect((await post(`/v1/merges/${merge.id}/cancel`)).status).toBe(200);
    const mergesBefore = stack.backend.merges.size;
    await deliverAll(stack.queues, stack.ports);
    expect(stack.backend.merges.size).toBe(mergesBefore);
    const after = await read(`/v1/merges/${merge.id}`);
    expect(after.status).toBe("cancelled");
    expect(after.checkpoints.every((c: any) => c.evaluation === null)).toBe(true);
  });
});
