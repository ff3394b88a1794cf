// Submissions inside workerd on real D1 and the recorded queues: the track's protocol whatever the
// request says, the existing result for a URL already on the track, per-key quotas (429 problems)
// and the public queue with position and progress, through to completion by the real consumers.
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { apiKey, deliverAll, makePack, testStack } from "../pipeline/doubles.ts";

const completionText = (_checkpoint: string, problemId: string) => `\`\`\`python\n# verdict: AC\nprint(input()) # ${problemId}\n\`\`\``;

async function setup(label: string) {
  const stack = testStack({ completionText });
  const app = createApp(stack.ports);
  const admin = await apiKey(["operator"]);
  const submitter = await apiKey(["submit"]);
  const post = (path: string, body: unknown, key: string) =>
    app.request(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", authorization: `Bearer ${key}` } });
  const registration = await makePack(`sub-${label}-${Math.random().toString(36).slice(2, 8)}`, ["p1", "p2", "p3"]);
  expect((await post("/v1/benchmarks", registration, admin)).status).toBe(201);
  const track = `t-${label}-${Math.random().toString(36).slice(2, 8)}`;
  const created = await post(
    "/v1/tracks",
    { id: track, benchmark: registration.manifest.name, n: 2, temperature: 0.7, top_p: 0.9, max_tokens: 512, seed: 3 },
    admin,
  );
  expect(created.status).toBe(201);
  return { stack, app, admin, submitter, post, track };
}

describe("POST /v1/submissions", () => {
  it("evaluates under the track's protocol whatever the request says, answers a repeat with the existing result, completes", async () => {
    const { stack, app, submitter, post, track } = await setup("protocol");
    // The attack through the submission API: a subset, a low temperature, one sample.
    const res = await post("/v1/submissions", { url: "hf://acme/sub@rev-1", track, label: "mine", temperature: 0.1, n: 1, problems: ["p1"] }, submitter);
    expect(res.status).toBe(202);
    const submission = await res.json<any>();
    expect(submission).toMatchObject({
      url: "hf://acme/sub@rev-1",
      track,
      label: "mine",
      status: "queued",
      position: 1,
      progress: { requested: 6, received: 0 },
    });
    const evaluation = await (await app.request(`/v1/evaluations/${submission.evaluation}`, { headers: { authorization: `Bearer ${submitter}` } })).json<any>();
    expect(evaluation.params).toEqual({ n: 2, temperature: 0.7, top_p: 0.9, max_tokens: 512, seed: 3 });
    expect(evaluation.problems).toBe(3);
    expect(evaluation.checkpoint).toBe(submission.checkpoint);

    // The same URL on the same track: the submission already there, no second evaluation.
    const again = await post("/v1/submissions", { url: "hf://acme/sub@rev-1", track }, submitter);
    expect(again.status).toBe(200);
    expect((await again.json<any>()).id).toBe(submission.id);

    const queue = await (await app.request("/v1/submissions?status=pending")).json<any>();
    expect(queue.data.find((s: any) => s.id === submission.id)).toMatchObject({ status: "queued", position: expect.any(Number) });

    await deliverAll(stack.queues, stack.ports);
    const done = await (await app.request(`/v1/submissions/${submission.id}`)).json<any>();
    expect(done).toMatchObject({ status: "complete", position: null, progress: { requested: 6, received: 6, judged: 6 } });
    const finished = await (await app.request("/v1/submissions?status=finished")).json<any>();
    expect(finished.data.map((s: any) => s.id)).toContain(submission.id);
    expect((await (await app.request("/v1/submissions?status=pending")).json<any>()).data.map((s: any) => s.id)).not.toContain(submission.id);

    // It ranks on the track: it followed the protocol and covered the problem set.
    const board = await (await app.request(`/v1/leaderboard?track=${track}`)).json<any>();
    expect(board.data.map((r: any) => r.id)).toContain(submission.checkpoint);
    // Finished on the track: a repeat still answers the existing result.
    expect((await post("/v1/submissions", { url: "hf://acme/sub@rev-1", track }, submitter)).status).toBe(200);
  });

  it("enforces submissions in flight and samples per day per key with 429 problems", async () => {
    const { stack, post, track, submitter } = await setup("quota");
    stack.ports.config.SUBMISSIONS_IN_FLIGHT = 1;
    expect((await post("/v1/submissions", { url: "hf://acme/q@rev-1", track }, submitter)).status).toBe(202);
    const busy = await post("/v1/submissions", { url: "hf://acme/q@rev-2", track }, submitter);
    expect(busy.status).toBe(429);
    expect(busy.headers.get("content-type")).toContain("application/problem+json");
    expect(busy.headers.get("retry-after")).toBeTruthy();
    expect((await busy.json<any>()).detail).toContain("queued or running");
    // Another key has its own quota.
    expect((await post("/v1/submissions", { url: "hf://acme/q@rev-2", track }, await apiKey(["submit"]))).status).toBe(202);

    stack.ports.config.SUBMISSIONS_IN_FLIGHT = 10;
    stack.ports.config.SUBMISSION_SAMPLES_PER_DAY = 10; // each submission needs 3 problems × 2
    const daily = await post("/v1/submissions", { url: "hf://acme/q@rev-3", track }, submitter);
    expect(daily.status).toBe(429);
    expect((await daily.json<any>()).detail).toContain("last 24 hours");
  });

  it("answers 422 for an unknown track or a refused URL, 401/403 without a submit key", async () => {
    const { post, track, submitter, app } = await setup("errors");
    const unknown = await post("/v1/submissions", { url: "hf://acme/e@rev-1", track: "nope" }, submitter);
    expect(unknown.status).toBe(422);
    expect((await unknown.json<any>()).errors[0].path).toBe("track");
    const refused = await post("/v1/submissions", { url: "http://127.0.0.1/ckpt", track }, submitter);
    expect(refused.status).toBe(422);
    const anonymous = await app.request("/v1/submissions", { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(anonymous.status).toBe(401);
    expect((await app.request("/v1/submissions/sub_missing")).status).toBe(404);
  });
});
