// Paired runs inside workerd on real D1 and the real consumers: a declared pair builds its merge
// grid between the two runs' final checkpoints once both send run.finished — exactly one merge of
// len(alphas) outputs, each evaluated once per track — and a replayed or repeated run.finished, or
// a manual build afterwards, builds nothing more.
import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { apiKey, deliverAll, makePack, testStack, readAsTeam } from "../pipeline/doubles.ts";

const completionText = (_checkpoint: string, problemId: string, index: number) => `\`\`\`python\n# verdict: AC\nprint(input()) # ${problemId} ${index}\n\`\`\``;
const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;

describe("paired runs", () => {
  it("builds the grid once both runs finish, evaluates it on the tracks, and never twice", async () => {
    const stack = testStack({ completionText });
    const app = createApp(stack.ports);
    const admin = await apiKey(["operator"]);
    const submitter = await apiKey(["submit"]);
    const post = (path: string, body: unknown, key = submitter) =>
      app.request(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", authorization: `Bearer ${key}` } });
    const secret = (env as unknown as { WEBHOOK_SECRET: string }).WEBHOOK_SECRET;
    let counter = 0;
    const hook = async (payload: unknown, id = `msg_pair_${unique("e")}_${counter++}`) => {
      const body = JSON.stringify(payload);
      const now = new Date();
      const res = await app.request("/v1/hooks/training-runs", {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": new Webhook(secret).sign(id, now, body),
        },
      });
      expect(res.status).toBe(200);
      return { id, receipt: await res.json<any>() };
    };
    const registration = await makePack(unique("pairs"), ["p1", "p2"]);
    expect((await post("/v1/benchmarks", registration, admin)).status).toBe(201);
    const track = unique("t-pairs");
    expect(
      (await post("/v1/tracks", { id: track, benchmark: registration.manifest.name, n: 2, temperature: 0.7, max_tokens: 256, seed: 1 }, admin)).status,
    ).toBe(201);

    const [runA, runB] = [unique("lowcov"), unique("highcov")];
    const finals: Record<string, string> = {};
    for (const run of [runA, runB]) {
      for (const step of [100, 200]) {
        const { receipt } = await hook({
          type: "checkpoint.saved",
          timestamp: new Date().toISOString(),
          data: { run, step, url: `s3://ckpts/${run}/step-${step}` },
        });
        if (step === 200) finals[run] = receipt.checkpoint.id;
      }
    }

    const declared = await post(`/v1/runs/${runA}/pairs`, { with: runB, alphas: [0, 0.5, 1], tracks: [track] });
    expect(declared.status).toBe(201);
    expect(await declared.json<any>()).toMatchObject({ run: runA, with: runB, alphas: [0, 0.5, 1], tracks: [track], merge: null });
    expect((await post(`/v1/runs/${runA}/pairs`, { with: runA, alphas: [0.5], tracks: [track] })).status).toBe(422);
    expect((await post(`/v1/runs/${runA}/pairs`, { with: runB, alphas: [0.5], tracks: ["no-such-track"] })).status).toBe(422);

    // One run finished: nothing yet.
    expect((await hook({ type: "run.finished", timestamp: new Date().toISOString(), data: { run: runA } })).receipt.merges).toEqual([]);
    expect(stack.queues.pending.filter((m) => m.queue === "sampling")).toHaveLength(0);

    // Both finished: one merge, built now.
    const finishedB = await hook({ type: "run.finished", timestamp: new Date().toISOString(), data: { run: runB } });
    expect(finishedB.receipt.merges).toHaveLength(1);
    const mergeId = finishedB.receipt.merges[0];

    // A replay (same webhook-id), a repeat (new id) and a manual build build nothing more.
    const replay = await hook({ type: "run.finished", timestamp: new Date().toISOString(), data: { run: runB } }, finishedB.id);
    expect(replay.receipt).toMatchObject({ duplicate: true });
    expect(replay.receipt.merges).toBeUndefined();
    expect((await hook({ type: "run.finished", timestamp: new Date().toISOString(), data: { run: runB } })).receipt.merges).toEqual([]);
    const manual = await post(`/v1/runs/${runA}/pairs/${runB}/build`, undefined);
    expect(manual.status).toBe(200);
    expect(await manual.json<any>()).toEqual({ merge: mergeId, built: false });
    expect((await post(`/v1/runs/${runA}/pairs`, { with: runB, alphas: [0.25], tracks: [track] })).status).toBe(409);

    await deliverAll(stack.queues, stack.ports);
    // Exactly one grid of three points between the two final checkpoints (step 200 of each).
    expect(stack.backend.merges.size).toBe(3);
    const merge = await (await readAsTeam(app, `/v1/merges/${mergeId}`)).json<any>();
    expect(merge.status).toBe("ready");
    expect(merge.checkpoints.map((c: any) => c.parents)).toEqual(
      [0, 0.5, 1].map((alpha) => [
        { checkpoint: finals[runA], coefficient: 1 - alpha },
        { checkpoint: finals[runB], coefficient: alpha },
      ]),
    );
    // Each point evaluated once on the track, under its protocol, to completion.
    expect(stack.backend.jobs.size).toBe(3);
    for (const point of merge.checkpoints) {
      const evaluation = await (await readAsTeam(app, `/v1/evaluations/${point.evaluation}`)).json<any>();
      expect(evaluation).toMatchObject({ status: "complete", checkpoint: point.id, params: { n: 2, temperature: 0.7, max_tokens: 256, seed: 1 } });
    }
    const pairs = await (await readAsTeam(app, `/v1/runs/${runB}/pairs`)).json<any>();
    expect(pairs.data).toEqual([expect.objectContaining({ run: runA, with: runB, merge: mergeId, built_at: expect.any(String) })]);
    // One ensemble per track over the grid's evaluations, at the track's n.
    expect(Object.keys(pairs.data[0].ensembles)).toEqual([track]);
    const ensemble = await (await readAsTeam(app, `/v1/ensembles/${pairs.data[0].ensembles[track]}`)).json<any>();
    expect(ensemble).toMatchObject({ budget: 2, allocation: "equal" });
    expect([...ensemble.members].sort()).toEqual(merge.checkpoints.map((c: any) => c.evaluation).sort());
    // More deliveries (a replayed completion) compute nothing more.
    await deliverAll(stack.queues, stack.ports);
    expect((await (await readAsTeam(app, `/v1/runs/${runA}/pairs`)).json<any>()).data[0].ensembles).toEqual(pairs.data[0].ensembles);
  });

  it("builds on request before run.finished; 404 for an undeclared pair", async () => {
    const stack = testStack({ completionText });
    const app = createApp(stack.ports);
    const submitter = await apiKey(["operator"]);
    const post = (path: string, body?: unknown) =>
      app.request(path, {
        method: "POST",
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        headers: { "content-type": "application/json", authorization: `Bearer ${submitter}` },
      });
    const registration = await makePack(unique("pairs-manual"), ["p1"]);
    expect((await post("/v1/benchmarks", registration)).status).toBe(201);
    const track = unique("t-manual");
    expect((await post("/v1/tracks", { id: track, benchmark: registration.manifest.name, n: 1, temperature: 0.5, max_tokens: 128 })).status).toBe(201);
    const [runA, runB] = [unique("a"), unique("b")];
    expect((await post(`/v1/runs/${runA}/pairs`, { with: runB, alphas: [0.5], tracks: [track] })).status).toBe(201);
    // No checkpoints yet: 422.
    expect((await post(`/v1/runs/${runA}/pairs/${runB}/build`)).status).toBe(422);
    for (const run of [runA, runB]) expect((await post("/v1/checkpoints", { url: `hf://acme/${run}@final`, run, step: 1 })).status).toBe(201);
    const built = await post(`/v1/runs/${runA}/pairs/${runB}/build`);
    expect(built.status).toBe(202);
    const { merge } = await built.json<any>();
    expect((await (await post(`/v1/runs/${runA}/pairs/${runB}/build`)).json<any>()).merge).toBe(merge);
    expect((await post(`/v1/runs/${runB}/pairs/${runA}/build`)).status).toBe(404);
    await deliverAll(stack.queues, stack.ports);
    expect(stack.backend.merges.size).toBe(1);
    expect(stack.backend.jobs.size).toBe(1);
  });
});
