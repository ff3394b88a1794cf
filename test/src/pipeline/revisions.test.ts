// Pinned revisions (issue 15) inside workerd on real D1: registration asks the backend double to pin
// a checkpoint URL (POST /v1/checkpoints/resolve) and records the revision; with the backend
// unreachable the registration succeeds and the pin is made before the first evaluation or merge
// uses the checkpoint; sampling, merges and de-duplication use URL + revision.
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { apiKey, deliverAll, makePack, testStack, readAsTeam } from "./doubles.ts";

const SHA_A = "a".repeat(40);
const SHA_B = "b".repeat(40);
const completionText = (_checkpoint: string, problemId: string) => `\`\`\`python\n# verdict: AC\nprint(input()) # ${problemId}\n\`\`\``;

async function setup(label: string) {
  const stack = testStack({ completionText });
  const app = createApp(stack.ports);
  const admin = await apiKey(["operator"]);
  const post = (path: string, body: unknown, key = admin) =>
    app.request(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", authorization: `Bearer ${key}` } });
  const registration = await makePack(`pin-${label}-${Math.random().toString(36).slice(2, 8)}`, ["p1", "p2"]);
  expect((await post("/v1/benchmarks", registration)).status).toBe(201);
  const tag = `${label}-${Math.random().toString(36).slice(2, 8)}`;
  return { stack, app, admin, post, benchmark: registration.manifest.name, tag };
}

describe("pinned revisions", () => {
  it("registration records the backend's revision; sampling asks for hf://owner/repo@<sha>", async () => {
    const { stack, app, post, benchmark, tag } = await setup("reg");
    const url = `hf://acme/${tag}@main`;
    stack.backend.revisions.set(url, SHA_A);
    const res = await post("/v1/checkpoints", { url, run: `run-${tag}` });
    expect(res.status).toBe(201);
    const checkpoint = await res.json<any>();
    expect(checkpoint).toMatchObject({ url, revision: SHA_A, pinned_url: `hf://acme/${tag}@${SHA_A}` });
    expect(stack.backend.resolved).toEqual([url]);
    expect(await (await readAsTeam(app, `/v1/checkpoints/${checkpoint.id}`)).json<any>()).toMatchObject({ revision: SHA_A });

    const evaluation = await (await post("/v1/evaluations", { checkpoint: checkpoint.id, benchmark, n: 1 })).json<any>();
    await deliverAll(stack.queues, stack.ports);
    expect((await (await readAsTeam(app, `/v1/evaluations/${evaluation.id}`)).json<any>()).status).toBe("complete");
    const jobs = [...stack.backend.jobs.values()];
    expect(jobs.map((j) => j.request.checkpoint)).toEqual([`hf://acme/${tag}@${SHA_A}`]);
    expect(jobs.map((j) => j.request.revision)).toEqual([SHA_A]);
    // Pinned at registration: nothing asked again.
    expect(stack.backend.resolved).toEqual([url]);
  });

  it("with the backend unreachable registration succeeds unpinned; the first evaluation waits for the pin, then samples the pinned URL", async () => {
    const { stack, app, post, benchmark, tag } = await setup("deferred");
    const url = `hf://acme/${tag}`;
    stack.backend.revisions.set(url, SHA_B);
    stack.backend.resolveDown = true;
    const res = await post("/v1/checkpoints", { url, run: `run-${tag}` });
    expect(res.status).toBe(201);
    const checkpoint = await res.json<any>();
    expect(checkpoint).toMatchObject({ url, revision: null, pinned_url: url });

    const evaluation = await (await post("/v1/evaluations", { checkpoint: checkpoint.id, benchmark, n: 2 })).json<any>();
    // Still unreachable: the start is re-sent, no sampling job is asked for unpinned.
    await deliverAll(stack.queues, stack.ports, { rounds: 1 });
    expect(stack.backend.jobs.size).toBe(0);
    expect(stack.queues.pending.filter((m) => m.queue === "sampling")).toHaveLength(1);

    stack.backend.resolveDown = false;
    await deliverAll(stack.queues, stack.ports);
    const done = await (await readAsTeam(app, `/v1/evaluations/${evaluation.id}`)).json<any>();
    expect(done).toMatchObject({ status: "complete", progress: { requested: 4, received: 4 } });
    expect([...stack.backend.jobs.values()].map((j) => j.request.checkpoint)).toEqual([`hf://acme/${tag}@${SHA_B}`]);
    expect(await (await readAsTeam(app, `/v1/checkpoints/${checkpoint.id}`)).json<any>()).toMatchObject({
      revision: SHA_B,
      pinned_url: `hf://acme/${tag}@${SHA_B}`,
    });
    // The attempts while it was down never reached it: one resolve, by the sampling consumer.
    expect(stack.backend.resolved).toEqual([url]);
  });

  it("a merge pins deferred parents first and sends the pinned URLs", async () => {
    const { stack, app, post, tag } = await setup("merge");
    const a = `hf://acme/${tag}-a@main`;
    const b = `hf://acme/${tag}-b@v1`;
    stack.backend.revisions.set(a, SHA_A);
    stack.backend.revisions.set(b, SHA_B);
    const run = `run-${tag}`;
    const first = (await (await post("/v1/checkpoints", { url: a, run })).json<any>()).id;
    stack.backend.resolveDown = true;
    const second = (await (await post("/v1/checkpoints", { url: b, run })).json<any>()).id;
    expect((await (await readAsTeam(app, `/v1/checkpoints/${second}`)).json<any>()).revision).toBeNull();
    stack.backend.resolveDown = false;
    const merge = await post("/v1/merges", { a: first, b: second, alphas: [0.5] });
    expect(merge.status).toBe(202);
    await deliverAll(stack.queues, stack.ports);
    expect([...stack.backend.merges.values()].map((m) => m.request.parents)).toEqual([
      [
        { url: `hf://acme/${tag}-a@${SHA_A}`, revision: SHA_A, coefficient: 0.5 },
        { url: `hf://acme/${tag}-b@${SHA_B}`, revision: SHA_B, coefficient: 0.5 },
      ],
    ]);
    expect((await (await readAsTeam(app, `/v1/checkpoints/${second}`)).json<any>()).revision).toBe(SHA_B);
  });

  it("https:// and s3:// send their ETag with the URL; a source changed since registration fails the evaluation with the backend's reason", async () => {
    const { stack, app, post, benchmark, tag } = await setup("etag");
    const url = `https://weights-${tag}.example/run/`;
    const s3 = `s3://bucket-${tag}/run/model.safetensors`;
    stack.backend.revisions.set(url, "etag:v1");
    stack.backend.revisions.set(s3, "version:3");
    const checkpoint = await (await post("/v1/checkpoints", { url, run: `run-${tag}` })).json<any>();
    const other = await (await post("/v1/checkpoints", { url: s3, run: `run-${tag}` })).json<any>();
    expect(checkpoint).toMatchObject({ revision: "etag:v1", pinned_url: url });
    const first = await (await post("/v1/evaluations", { checkpoint: checkpoint.id, benchmark, n: 1 })).json<any>();
    const second = await (await post("/v1/evaluations", { checkpoint: other.id, benchmark, n: 1 })).json<any>();
    await deliverAll(stack.queues, stack.ports);
    expect((await (await readAsTeam(app, `/v1/evaluations/${first.id}`)).json<any>()).status).toBe("complete");
    expect((await (await readAsTeam(app, `/v1/evaluations/${second.id}`)).json<any>()).status).toBe("complete");
    expect([...stack.backend.jobs.values()].map((j) => [j.request.checkpoint, j.request.revision])).toEqual([
      [url, "etag:v1"],
      [s3, "version:3"],
    ]);

    // The object was overwritten after registration: the backend refuses it, the evaluation says why.
    stack.backend.revisions.set(url, "etag:v2");
    const again = await (await post("/v1/evaluations", { checkpoint: checkpoint.id, benchmark, n: 1, seed: 2 })).json<any>();
    await deliverAll(stack.queues, stack.ports);
    const failed = await (await readAsTeam(app, `/v1/evaluations/${again.id}`)).json<any>();
    expect(failed.status).toBe("failed");
    expect(JSON.stringify(failed)).toContain("Checkpoint changed since it was registered");
  });

  it("a URL the backend refuses is a 422 at registration and nothing is stored", async () => {
    const { stack, app, post, tag } = await setup("refused");
    const url = `https://weights-${tag}.example/model/`;
    stack.backend.refused.add(url);
    const res = await post("/v1/checkpoints", { url, run: `run-${tag}` });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect((await res.json<any>()).errors[0]).toMatchObject({ path: "url" });
    expect((await (await readAsTeam(app, `/v1/checkpoints?run=run-${tag}`)).json<any>()).data).toEqual([]);
  });

  it("submissions de-duplicate on URL + revision: the same branch at a new commit is a new evaluation", async () => {
    const { stack, post, admin, benchmark, tag } = await setup("dedup");
    const submitter = await apiKey(["submit"]);
    const track = `t-${tag}`;
    expect((await post("/v1/tracks", { id: track, benchmark, n: 1, temperature: 0.7, top_p: 0.9, max_tokens: 256, seed: 1 }, admin)).status).toBe(201);
    const url = `hf://acme/${tag}@main`;
    stack.backend.revisions.set(url, SHA_A);
    const firstRes = await post("/v1/submissions", { url, track }, submitter);
    expect(firstRes.status).toBe(202);
    const first = await firstRes.json<any>();
    const same = await post("/v1/submissions", { url, track }, submitter);
    expect(same.status).toBe(200);
    expect((await same.json<any>()).id).toBe(first.id);
    // main moved on: another revision, another checkpoint and evaluation.
    stack.backend.revisions.set(url, SHA_B);
    const moved = await post("/v1/submissions", { url, track }, submitter);
    expect(moved.status).toBe(202);
    const submission = await moved.json<any>();
    expect(submission.checkpoint).not.toBe(first.checkpoint);
    await deliverAll(stack.queues, stack.ports);
    expect([...stack.backend.jobs.values()].map((j) => j.request.checkpoint).sort()).toEqual([`hf://acme/${tag}@${SHA_A}`, `hf://acme/${tag}@${SHA_B}`]);
  });
});
