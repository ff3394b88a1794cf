// The pipeline inside workerd on real D1: evaluation POST → sampling consumer → backend job →
// completions (poll or signed callbacks) → verdict cache / executions consumer → complete + metrics.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { signWebhook, webhookSigner } from "../../../src/domain/webhooks.ts";
import { BACKEND_SECRET, TestClock, apiKey, deliverAll, makePack, testStack, type TestStack } from "./doubles.ts";

// Reads of a team's rows need a key of its team (every key here is in the default team).
let readKey: Promise<string> | undefined;
const readInit = async () => ({ headers: { authorization: `Bearer ${await (readKey ??= apiKey(["read"]))}` } });

/** index 0 and 3: the same accepted program (3 with CRLF and trailing blanks); 1: wrong; 2: no code at all. */
function completionText(_checkpoint: string, problemId: string, index: number): string {
  switch (index % 4) {
    case 0:
      return `Here is my solution for ${problemId}:\n\`\`\`python\n# verdict: AC\nprint(input())\n\`\`\`\n`;
    case 1:
      return "```python\n# verdict: WA\nprint(0)\n```";
    case 2:
      return "I am not sure how to solve this one.";
    default:
      return `Reusing it:\r\n\`\`\`py\r\n# verdict: AC   \r\nprint(input())\r\n\r\n\`\`\``;
  }
}

async function setup(stack: TestStack, label: string, problems = ["p1", "p2"]) {
  const app = createApp(stack.ports);
  const admin = await apiKey(["operator"]);
  const registration = await makePack(`bench-${label}-${Math.random().toString(36).slice(2, 8)}`, problems);
  const post = (path: string, body: unknown, key = admin, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers },
    });
  const registered = await post("/v1/benchmarks", registration);
  expect(registered.status).toBe(201);
  const checkpoint = await (await post("/v1/checkpoints", { url: `hf://acme/${label}@step-1`, run: `run-${label}-${Date.now()}` })).json<any>();
  return {
    app,
    post,
    admin,
    benchmark: registration.manifest.name,
    version: registration.manifest.version,
    checkpoint: checkpoint.id as string,
    run: checkpoint.run as string,
  };
}

async function progressOf(app: ReturnType<typeof createApp>, id: string) {
  const res = await app.request(`/v1/evaluations/${id}`, await readInit());
  expect(res.status).toBe(200);
  return res.json<any>();
}

describe("benchmarks", () => {
  it("registers once per version (admin only), checks the version against the hashes, never stores tests", async () => {
    const stack = testStack({ completionText });
    const app = createApp(stack.ports);
    const registration = await makePack(`reg-${Date.now()}`, ["a", "b"]);
    const submitKey = await apiKey(["submit"]);
    const adminKey = await apiKey(["operator"]);
    const post = (body: unknown, key: string) =>
      app.request("/v1/benchmarks", {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      });
    expect((await post(registration, submitKey)).status).toBe(403);
    const first = await post(registration, adminKey);
    expect(first.status).toBe(201);
    expect(await first.json<any>()).toMatchObject({
      name: registration.manifest.name,
      version: registration.manifest.version,
      problems: 2,
      tiers: ["small", "medium", "large"],
    });
    expect((await post(registration, adminKey)).status).toBe(200);

    const tampered = structuredClone(registration);
    tampered.manifest.problems[0].sha256 = "0".repeat(64);
    const bad = await post(tampered, adminKey);
    expect(bad.status).toBe(422);
    expect((await bad.json<any>()).errors.map((e: { path: string }) => e.path)).toContain("manifest.version");
    const missing = await post({ ...registration, problems: registration.problems.slice(1) }, adminKey);
    expect(missing.status).toBe(422);

    const read = await app.request(`/v1/benchmarks/${registration.manifest.name}`);
    const body = await read.json<any>();
    expect(body.problem_list.map((p: { id: string }) => p.id)).toEqual(["a", "b"]);
    expect(JSON.stringify(body)).not.toContain("tests");
  });
});

describe("completion text in R2 (the COMPLETIONS bucket)", () => {
  it("keeps text out of D1 (one gzip object per ingested batch); the samples page and the export read it back; D1 mode is unchanged", async () => {
    const DB = (env as any).DB as D1Database;
    const bucket = (env as any).COMPLETIONS as R2Bucket;
    const expected = (id: string) => completionText("", id.split("/")[0]!, Number(id.split("/")[1]));
    for (const mode of ["r2", "d1"] as const) {
      const stack = testStack({ completionText, completions: mode === "r2" });
      const { app, post, checkpoint, benchmark } = await setup(stack, `text-${mode}`);
      const evaluation = await (await post("/v1/evaluations", { checkpoint, benchmark, n: 4 })).json<any>();
      await deliverAll(stack.queues, stack.ports);
      expect((await progressOf(app, evaluation.id)).status).toBe("complete");

      const stored = await DB.prepare("SELECT problem_id, idx, text, text_ref FROM samples WHERE evaluation_id = ? ORDER BY problem_id, idx")
        .bind(evaluation.id)
        .all<any>();
      expect(stored.results).toHaveLength(8);
      const listed = await bucket.list({ prefix: `completions/${evaluation.id}/` });
      if (mode === "r2") {
        expect(stored.results.every((r: any) => r.text === "" && r.text_ref?.startsWith(`completions/${evaluation.id}/`))).toBe(true);
        expect(listed.objects.length).toBeGreaterThan(0);
        expect(new Set(stored.results.map((r: any) => r.text_ref)).size).toBe(listed.objects.length);
      } else {
        expect(stored.results.every((r: any) => r.text_ref === null && r.text === expected(`${r.problem_id}/${r.idx}`))).toBe(true);
        expect(listed.objects).toHaveLength(0);
      }

      // Whichever way it is stored, the API answers the same completions.
      const page = await (await app.request(`/v1/evaluations/${evaluation.id}/samples?limit=100`, await readInit())).json<any>();
      expect(page.data.map((s: any) => [`${s.problem}/${s.index}`, s.completion])).toEqual(
        page.data.map((s: any) => [`${s.problem}/${s.index}`, expected(`${s.problem}/${s.index}`)]),
      );
      expect(page.data).toHaveLength(8);
      const exported = await (await app.request(`/v1/evaluations/${evaluation.id}/export`, await readInit())).text();
      const lines = exported
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(lines.filter((l) => l.type === "sample").map((l) => l.completion)).toEqual(page.data.map((s: any) => s.completion));
    }
  });
});

describe("evaluations (polling the backend)", () => {
  it("goes from POST to complete with exact counts; identical code is judged once; metrics are stored", async () => {
    const stack = testStack({ completionText });
    const { app, post, checkpoint, benchmark } = await setup(stack, "poll");
    const res = await post("/v1/evaluations", { checkpoint, benchmark, n: 4, seed: 7 });
    expect(res.status).toBe(202);
    const evaluation = await res.json<any>();
    expect(res.headers.get("location")).toBe(`/v1/evaluations/${evaluation.id}`);
    expect(evaluation).toMatchObject({ status: "queued", progress: { requested: 8, received: 0 } });

    await deliverAll(stack.queues, stack.ports);
    const done = await progressOf(app, evaluation.id);
    expect(done.status).toBe("complete");
    expect(done.progress).toMatchObject({ requested: 8, received: 8, cached: 0, judged: 6, extraction_errors: 2, pending: 0 });
    expect(done.progress.verdicts).toMatchObject({ AC: 4, WA: 2, NC: 2, CE: 0, SE: 0 });
    // the weights each sample came from are recorded and shown on the evaluation
    expect(done.models).toEqual([expect.objectContaining({ served_name: "double", dir: "/models/double", sha256: "ab".repeat(32), samples: 8 })]);
    expect(done.truncated).toBe(0);
    // two problems × two distinct programs (index 3 normalises to index 0's program)
    expect(stack.executor.submissions).toBe(4);
    expect(stack.executor.calls.map((c) => c.problem_id).sort()).toEqual(["p1", "p2"]);
    expect(stack.backend.jobs.size).toBe(1);
    const job = [...stack.backend.jobs.values()][0];
    expect(job.request).toMatchObject({ n: 4, seed: 7, checkpoint: expect.stringContaining("hf://acme/poll") });
    expect(job.request.callback).toBeUndefined();
    // chat messages from the LiveCodeBench-style template, never a raw prompt string
    expect(job.request.problems[0].prompt).toBeUndefined();
    expect(job.request.problems[0].messages?.map((m: { role: string }) => m.role)).toEqual(["system", "user"]);
    expect(job.request.problems[0].messages?.[0].content).toMatch(/expert Python 3 programmer/);
    expect(job.request.problems[0].messages?.[1].content).toContain("Read a number");
    expect(job.request.problems[0].messages?.[1].content).toMatch(/standard input[\s\S]*```python/);

    const metrics = await (await app.request(`/v1/evaluations/${evaluation.id}/metrics?k=1,2,4,8`, await readInit())).json<any>();
    expect(metrics.complete).toBe(true);
    expect(metrics.pass_at_k["pass@1"]).toBeCloseTo(0.5, 12);
    expect(metrics.pass_at_k["pass@2"]).toBeCloseTo(1 - (2 * 1) / (4 * 3), 12);
    expect(metrics.skipped_k).toEqual([8]);
    // The stored metrics carry pass@n even when n is not a standard k, so the leaderboard ranks at k = n
    // (the ad-hoc view, a benchmark without a track: the team's own rows, so read with its key).
    const board = await (await app.request(`/v1/leaderboard?benchmark=${benchmark}&k=4&kind=checkpoint`, await readInit())).json<any>();
    const row = board.data.find((r: any) => r.evaluation === evaluation.id);
    expect(row.pass_at_k).toBe(1); // 2 of 4 samples pass: every draw of 4 includes one (C(2,4) = 0)
    expect(row.samples_per_problem).toBe(4);
    expect(metrics.per_problem).toEqual([
      { problem: "p1", n: 4, c: 2, verdicts: { AC: 2, WA: 1, NC: 1 } },
      { problem: "p2", n: 4, c: 2, verdicts: { AC: 2, WA: 1, NC: 1 } },
    ]);

    const samples = await (await app.request(`/v1/evaluations/${evaluation.id}/samples?problem=p1&limit=3`, await readInit())).json<any>();
    expect(samples.data.map((s: { index: number }) => s.index)).toEqual([0, 1, 2]);
    expect(samples.data[2]).toMatchObject({ verdict: "NC", source: "extraction", code: null });
    expect(samples.data[2].failure.message).toContain("no code found");
    expect(samples.data[0]).toMatchObject({ verdict: "AC", language: "python", code: "# verdict: AC\nprint(input())\n" });
    const rest = await (
      await app.request(`/v1/evaluations/${evaluation.id}/samples?problem=p1&limit=3&cursor=${samples.next_cursor}`, await readInit())
    ).json<any>();
    expect(rest.data.map((s: { index: number }) => s.index)).toEqual([3]);
    expect(rest.next_cursor).toBeNull();
    expect((await app.request(`/v1/evaluations/${evaluation.id}/samples?cursor=%%%`, await readInit())).status).toBe(400);

    // The cache is shared: a second evaluation of the same programs makes no executor call.
    const again = await (await post("/v1/evaluations", { checkpoint, benchmark, n: 4, seed: 7 })).json<any>();
    await deliverAll(stack.queues, stack.ports);
    const second = await progressOf(app, again.id);
    expect(second.status).toBe("complete");
    expect(second.progress).toMatchObject({ received: 8, cached: 6, judged: 0, extraction_errors: 2 });
    expect(stack.executor.submissions).toBe(4);
  });

  it("rejects bad input with problem+json 4xx and writes nothing", async () => {
    const stack = testStack({ completionText });
    const { post, checkpoint, benchmark } = await setup(stack, "bad");
    const cases: [unknown, number][] = [
      [{ checkpoint, benchmark, n: 0 }, 422],
      [{ checkpoint: "ckpt_nope", benchmark, n: 2 }, 422],
      [{ checkpoint, benchmark: "no-such-bench", n: 2 }, 422],
      [{ checkpoint, benchmark, n: 2, problems: ["zzz"] }, 422],
      [{ checkpoint, benchmark, n: 2, temperature: -1 }, 422],
      [{ checkpoint, benchmark, n: 2, extra: true }, 422],
    ];
    for (const [body, status] of cases) {
      const res = await post("/v1/evaluations", body);
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(stack.queues.pending).toEqual([]);
  });
});

describe("idempotency", () => {
  it("a judging message delivered twice counts once and the second delivery is served by the cache", async () => {
    const stack = testStack({ completionText });
    const { post, app, checkpoint, benchmark } = await setup(stack, "dup");
    const evaluation = await (await post("/v1/evaluations", { checkpoint, benchmark, n: 4 })).json<any>();
    await deliverAll(stack.queues, stack.ports, { only: "sampling", rounds: 2 });
    const judging = stack.queues.pending.filter((m) => m.queue === "executions");
    expect(judging).toHaveLength(2);
    // duplicate every executions message (at-least-once delivery)
    for (const m of judging) stack.queues.push("executions", m.body);
    await deliverAll(stack.queues, stack.ports);
    const done = await progressOf(app, evaluation.id);
    expect(done.status).toBe("complete");
    expect(done.progress).toMatchObject({ received: 8, judged: 6, extraction_errors: 2, pending: 0 });
    expect(done.progress.verdicts).toMatchObject({ AC: 4, WA: 2, NC: 2 });
    expect(stack.executor.submissions).toBe(4);
  });

  it("re-sends after transient executor failures with backoff and the first failure's time; dead letters become SE with the reason", async () => {
    const stack = testStack({ completionText });
    const { post, app, checkpoint, benchmark } = await setup(stack, "faults", ["p1"]);
    const evaluation = await (await post("/v1/evaluations", { checkpoint, benchmark, n: 4 })).json<any>();
    await deliverAll(stack.queues, stack.ports, { only: "sampling", rounds: 2 });
    stack.executor.failNext("500", "throw", "SE");
    const log = await deliverAll(stack.queues, stack.ports);
    // re-sent by the consumer (not queue retries, which max_retries bounds)
    expect(log.retried).toBe(0);
    const resent = (stack.queues.sent.executions as any[]).filter((m) => m.failures !== undefined);
    expect(resent.map((m) => m.failures)).toEqual([1, 2, 3]);
    expect(new Set(resent.map((m) => m.first_failure_at)).size).toBe(1);
    const recovered = await progressOf(app, evaluation.id);
    expect(recovered.status).toBe("complete");
    expect(recovered.progress.verdicts).toMatchObject({ AC: 2, WA: 1, NC: 1, SE: 0 });
    expect(recovered.errors.map((e: { message: string }) => e.message).join("\n")).toMatch(/500[\s\S]*connection refused[\s\S]*SE/);

    // A message that reaches the dead-letter queue anyway: what it carries becomes SE with the reason.
    const other = testStack({
      completionText: (c, p, i) => completionText(c, p, i).replace("print(0)", "print(1)").replace("print(input())", "print(input().strip())"),
    });
    const fresh = await setup(other, "down", ["p1"]);
    const failing = await (await fresh.post("/v1/evaluations", { checkpoint: fresh.checkpoint, benchmark: fresh.benchmark, n: 4 })).json<any>();
    await deliverAll(other.queues, other.ports, { only: "sampling", rounds: 2 });
    for (const m of other.queues.take("executions")) other.queues.push("executions-dlq", m.body);
    await deliverAll(other.queues, other.ports);
    const dead = await progressOf(fresh.app, failing.id);
    expect(dead.status).toBe("complete_with_errors");
    expect(dead.progress).toMatchObject({ received: 4, dead_lettered: 3, extraction_errors: 1, pending: 0 });
    expect(dead.progress.verdicts).toMatchObject({ SE: 3, NC: 1 });
    const se = await (await fresh.app.request(`/v1/evaluations/${failing.id}/samples?verdict=SE`, await readInit())).json<any>();
    expect(se.data[0].failure.message).toMatch(/not judged after every retry/);
    expect(dead.errors.some((e: { stage: string }) => e.stage === "dead-letter")).toBe(true);
  });
});

describe("executor outages", () => {
  /** Sampled and dispatched, with the executor down from now on for `outageSeconds` of test time. */
  async function outage(label: string, outageSeconds: number) {
    const stack = testStack({
      completionText: (c, p, i) => completionText(c, p, i).replace("print(0)", `print(0)  # ${label}`).replace("print(input())", `print(input())  # ${label}`),
    });
    const clock = new TestClock();
    stack.ports.clock = clock;
    const ctx = await setup(stack, label, ["p1", "p2"]);
    const evaluation = await (await ctx.post("/v1/evaluations", { checkpoint: ctx.checkpoint, benchmark: ctx.benchmark, n: 4 })).json<any>();
    const recoverAt = clock.ms + outageSeconds * 1000;
    stack.executor.down = () => clock.ms < recoverAt;
    await deliverAll(stack.queues, stack.ports, { clock, rounds: 2000 });
    return { stack, clock, ...ctx, id: evaluation.id as string };
  }

  it("an outage shorter than the horizon (default one hour) leaves no SE and the evaluation completes", async () => {
    const { stack, app, id } = await outage(`short${Date.now()}`, 50 * 60);
    expect(stack.ports.config.EXECUTOR_RETRY_HORIZON_SECONDS).toBeUndefined();
    const done = await progressOf(app, id);
    expect(done.status).toBe("complete");
    expect(done.progress).toMatchObject({ received: 8, judged: 6, extraction_errors: 2, pending: 0 });
    expect(done.progress.verdicts).toMatchObject({ AC: 4, WA: 2, NC: 2, SE: 0 });
    expect(stack.executor.submissions).toBe(4);
    const metrics = await (await app.request(`/v1/evaluations/${id}/metrics`, await readInit())).json<any>();
    expect(metrics).toMatchObject({ complete: true, se_left_out: 0 });
  });

  it("past the horizon the samples become SE: complete_with_errors, never ranked, metrics count what they leave out; retry-errors re-queues exactly them", async () => {
    const label = `long${Date.now()}`;
    const { stack, clock, app, post, id, benchmark } = await outage(label, 2 * 3600);
    const done = await progressOf(app, id);
    expect(done.status).toBe("complete_with_errors");
    expect(done.progress).toMatchObject({ received: 8, extraction_errors: 2, pending: 0 });
    expect(done.progress.verdicts).toMatchObject({ SE: 6, NC: 2, AC: 0, WA: 0 });
    expect(stack.executor.submissions).toBe(0);
    const se = await (await app.request(`/v1/evaluations/${id}/samples?verdict=SE`, await readInit())).json<any>();
    expect(se.data[0].failure.message).toMatch(/executor unavailable for \d+ s \(retry horizon 3600 s; last error: .*connection refused/);
    const metrics = await (await app.request(`/v1/evaluations/${id}/metrics`, await readInit())).json<any>();
    expect(metrics).toMatchObject({ complete: true, se_left_out: 6 });
    const board = await (await app.request(`/v1/leaderboard?benchmark=${benchmark}`, await readInit())).json<any>();
    expect(JSON.stringify(board)).not.toContain(id);

    // retry-errors: admin only, problem+json for every refusal
    const submitter = await apiKey(["submit"]);
    const retry = (evaluation: string, key?: string) =>
      app.request(`/v1/evaluations/${evaluation}/retry-errors`, { method: "POST", headers: key ? { authorization: `Bearer ${key}` } : {} });
    for (const [res, status] of [
      [await retry(id), 401],
      [await retry(id, submitter), 403],
      [await retry("eval_missing", (await apiKey(["operator"])) as string), 404],
    ] as const) {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const admin = await apiKey(["operator"]);
    const before = stack.queues.sent.executions?.length ?? 0;
    const res = await retry(id, admin);
    expect(res.status).toBe(202);
    const body = await res.json<any>();
    expect(body).toMatchObject({ requeued: 6, cached: 0, evaluation: { status: "judging", progress: { pending: 6 } } });
    const requeued = (stack.queues.sent.executions as any[]).slice(before);
    expect(requeued.flatMap((m) => m.submissions.flatMap((s: { samples: number[] }) => s.samples)).length).toBe(6);
    expect(requeued.every((m) => m.first_failure_at === undefined)).toBe(true);
    // a second call while it is judging: 409
    const again = await retry(id, admin);
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");

    await deliverAll(stack.queues, stack.ports, { clock, rounds: 2000 });
    const fixed = await progressOf(app, id);
    expect(fixed.status).toBe("complete");
    expect(fixed.progress.verdicts).toMatchObject({ AC: 4, WA: 2, NC: 2, SE: 0 });
    expect(stack.executor.submissions).toBe(4);
    expect(await (await app.request(`/v1/evaluations/${id}/metrics`, await readInit())).json<any>()).toMatchObject({ complete: true, se_left_out: 0 });
    // complete now: nothing to retry
    expect((await retry(id, admin)).status).toBe(409);
    void post;
  });

  it("a judge request lost on the way (no answer ever) times out, is re-sent through the outage path, and the evaluation completes with exact counts", async () => {
    const label = `drop${Date.now()}`;
    const stack = testStack({
      completionText: (c, p, i) => completionText(c, p, i).replace("print(0)", `print(0)  # ${label}`).replace("print(input())", `print(input())  # ${label}`),
    });
    // The wait is sized to the work (judgeTimeoutMs); capped low here so the lost request is given up on at once.
    stack.ports.config.EXECUTOR_JUDGE_TIMEOUT_MS = 50;
    const ctx = await setup(stack, label, ["p1", "p2"]);
    const evaluation = await (await ctx.post("/v1/evaluations", { checkpoint: ctx.checkpoint, benchmark: ctx.benchmark, n: 4 })).json<any>();
    await deliverAll(stack.queues, stack.ports, { only: "sampling", rounds: 2 });
    stack.executor.failNext("drop", "drop");
    const log = await deliverAll(stack.queues, stack.ports, { rounds: 200 });
    expect(stack.executor.dropped).toBe(2);
    expect(log.retried).toBe(0);
    const resent = (stack.queues.sent.executions as any[]).filter((m) => m.failures !== undefined);
    expect(resent.length).toBeGreaterThanOrEqual(1);
    const done = await progressOf(ctx.app, evaluation.id);
    expect(done.status).toBe("complete");
    expect(done.progress).toMatchObject({ received: 8, judged: 6, extraction_errors: 2, pending: 0 });
    expect(done.progress.verdicts).toMatchObject({ AC: 4, WA: 2, NC: 2, SE: 0 });
    // each distinct program judged once in the end (two per problem), none lost
    expect(stack.executor.submissions).toBe(4);
    expect(done.errors.map((e: { message: string }) => e.message).join("\n")).toMatch(/no answer within 50 ms/);
  });

  it("honours EXECUTOR_RETRY_HORIZON_SECONDS", async () => {
    const stack = testStack({ completionText: (c, p, i) => completionText(c, p, i).replace("print(0)", "print(0)  # horizon") });
    const clock = new TestClock();
    stack.ports.clock = clock;
    stack.ports.config.EXECUTOR_RETRY_HORIZON_SECONDS = 60;
    const ctx = await setup(stack, `h${Date.now()}`, ["p1"]);
    const evaluation = await (await ctx.post("/v1/evaluations", { checkpoint: ctx.checkpoint, benchmark: ctx.benchmark, n: 4 })).json<any>();
    const recoverAt = clock.ms + 120_000;
    stack.executor.down = () => clock.ms < recoverAt;
    await deliverAll(stack.queues, stack.ports, { clock, rounds: 2000 });
    const done = await progressOf(ctx.app, evaluation.id);
    expect(done.status).toBe("complete_with_errors");
    expect(done.progress.verdicts).toMatchObject({ SE: 3, NC: 1 });
  });
});

describe("backend callbacks", () => {
  const signer = webhookSigner(BACKEND_SECRET);
  const signed = (id: string, body: string, secret = signer) => ({
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
    "webhook-signature": signWebhook(secret, id, Math.floor(Date.now() / 1000), body),
  });

  it("ingests signed chunks; a replay changes nothing; malformed or badly signed callbacks write nothing", async () => {
    const stack = testStack({ completionText, callbacks: true });
    const { post, app, checkpoint, benchmark } = await setup(stack, "callback", ["p1"]);
    const evaluation = await (await post("/v1/evaluations", { checkpoint, benchmark, n: 4 })).json<any>();
    // start the job only (the watchdog poll it schedules is not delivered here)
    const start = stack.queues.take("sampling");
    stack.queues.pending.push(...start);
    await deliverAll(stack.queues, stack.ports, { only: "sampling", rounds: 1 });
    const job = [...stack.backend.jobs.values()][0];
    expect(job.request.callback).toBe("https://frontier.test/v1/backend/events");
    const watchdog = stack.queues.take("sampling");
    expect(watchdog).toHaveLength(1);
    expect(watchdog[0].delaySeconds).toBeGreaterThanOrEqual(10);

    const send = (id: string, body: string, headers = signed(id, body)) => app.request("/v1/backend/events", { method: "POST", body, headers });
    const chunk = (seq: number, from: number, to: number, final: boolean) =>
      JSON.stringify({
        type: "samples.chunk",
        timestamp: new Date().toISOString(),
        data: { job_id: job.id, checkpoint: job.request.checkpoint, seq, completions: job.completions.slice(from, to), final },
      });

    // badly signed, unsigned, malformed: 4xx, nothing written
    const first = chunk(0, 0, 2, false);
    expect((await send(`${job.id}.chunk.0`, first, signed(`${job.id}.chunk.0`, first, webhookSigner(`whsec_${btoa("another secret of ours")}`)))).status).toBe(
      401,
    );
    expect((await app.request("/v1/backend/events", { method: "POST", body: first, headers: { "content-type": "application/json" } })).status).toBe(401);
    expect((await send("bad.json", "{not json")).status).toBe(400);
    expect((await send("bad.shape", JSON.stringify({ type: "samples.chunk", timestamp: "x", data: { job_id: job.id } }))).status).toBe(422);
    expect((await send("unknown.job", chunk(0, 0, 1, false).replace(job.id, "smp_unknown"))).status).toBe(404);
    expect((await progressOf(app, evaluation.id)).progress.received).toBe(0);

    const ok = await send(`${job.id}.chunk.0`, first);
    expect(ok.status).toBe(200);
    expect(await ok.json<any>()).toMatchObject({ duplicate: false, accepted: 2 });
    const replay = await send(`${job.id}.chunk.0`, first);
    expect(await replay.json<any>()).toMatchObject({ duplicate: true });
    expect((await progressOf(app, evaluation.id)).progress.received).toBe(2);
    expect(await (await send(`${job.id}.chunk.1`, chunk(1, 2, 4, true))).json<any>()).toMatchObject({ duplicate: false, accepted: 2 });
    expect(
      (
        await send(
          `${job.id}.completed`,
          JSON.stringify({
            type: "samples.completed",
            timestamp: new Date().toISOString(),
            data: { job_id: job.id, checkpoint: job.request.checkpoint, completions: 4, chunks: 2 },
          }),
        )
      ).status,
    ).toBe(200);

    await deliverAll(stack.queues, stack.ports);
    // replaying after everything was judged still changes nothing
    await send(`${job.id}.chunk.1`, chunk(1, 2, 4, true));
    await deliverAll(stack.queues, stack.ports);
    const done = await progressOf(app, evaluation.id);
    expect(done.status).toBe("complete");
    expect(done.progress).toMatchObject({ requested: 4, received: 4, judged: 3, extraction_errors: 1, pending: 0 });
    expect(done.progress.verdicts).toMatchObject({ AC: 2, WA: 1, NC: 1 });
    expect(stack.executor.submissions).toBe(2);
  });
});

describe("merges, ensembles and the frontier", () => {
  it("a merge grid makes derived checkpoints with lineage, evaluates each when ready, and feeds the frontier and ensembles", async () => {
    // Each merged checkpoint writes a different program, so the points differ.
    const stack = testStack({
      completionText: (checkpoint, _problem, index) =>
        index === 0
          ? `\`\`\`python\n# verdict: ${checkpoint.includes("-0.5_0.5/") ? "TLE" : "AC"}\nprint(${JSON.stringify(checkpoint)})\n\`\`\``
          : `\`\`\`python\n# verdict: WA\nprint(${index})\n\`\`\``,
    });
    const { post, app, checkpoint: a, run, benchmark } = await setup(stack, "merge", ["p1", "p2"]);
    const b = (await (await post("/v1/checkpoints", { url: "hf://acme/highcov@step-1", run })).json<any>()).id;
    const bad = await post("/v1/merges", {
      parents: [
        { checkpoint: a, coefficient: 0.7 },
        { checkpoint: b, coefficient: 0.7 },
      ],
    });
    expect(bad.status).toBe(422);
    expect((await post("/v1/merges", { a, b: a, alphas: [0.5] })).status).toBe(422);
    expect((await post("/v1/merges", { a, b: "ckpt_missing", alphas: [0.5] })).status).toBe(422);

    const res = await post("/v1/merges", { a, b, alphas: [-0.5, 0.5, 1.5], run: `${run}-grid`, evaluate: { benchmark, n: 2 } });
    expect(res.status).toBe(202);
    const merge = await res.json<any>();
    expect(merge.status).toBe("merging");
    expect(merge.checkpoints.map((c: { alpha: number }) => c.alpha)).toEqual([-0.5, 0.5, 1.5]);
    expect(merge.checkpoints[0].parents).toEqual([
      { checkpoint: a, coefficient: 1.5 },
      { checkpoint: b, coefficient: -0.5 },
    ]);
    const pending = await (await app.request(`/v1/checkpoints/${merge.checkpoints[0].id}`, await readInit())).json<any>();
    expect(pending).toMatchObject({ status: "pending", source: "merge" });

    await deliverAll(stack.queues, stack.ports);
    const ready = await (await app.request(`/v1/merges/${merge.id}`, await readInit())).json<any>();
    expect(ready.status).toBe("ready");
    expect([...stack.backend.merges.values()].map((m) => m.request.parents.map((p: { coefficient: number }) => p.coefficient))).toEqual([
      [1.5, -0.5],
      [0.5, 0.5],
      [-0.5, 1.5],
    ]);
    for (const output of ready.checkpoints) {
      expect(output.url).toMatch(/^file:\/\/\/merged\//);
      const evaluation = await progressOf(app, output.evaluation);
      expect(evaluation.status).toBe("complete");
      expect(evaluation.progress).toMatchObject({ requested: 4, received: 4, pending: 0 });
    }

    const frontier = await (await app.request(`/v1/runs/${encodeURIComponent(`${run}-grid`)}/frontier?k=1,2`, await readInit())).json<any>();
    expect(frontier.points.map((p: { alpha: number }) => p.alpha)).toEqual([-0.5, 0.5, 1.5]);
    expect(frontier.points[1]).toMatchObject({ efficiency_failure_rate: 0.5, correctness_failure_rate: 0.5, pass_at_k: { "pass@1": 0 } });
    expect(frontier.points[0]).toMatchObject({ efficiency_failure_rate: 0, correctness_failure_rate: 0.5, pass_at_k: { "pass@1": 0.5 } });
    expect(frontier.pareto.length).toBeGreaterThan(0);

    const members = ready.checkpoints.map((c: { evaluation: string }) => c.evaluation);
    const ensemble = await post("/v1/ensembles", { members: [members[0], members[2]], budget: 2, allocation: "equal" });
    expect(ensemble.status).toBe(201);
    const stored = await ensemble.json<any>();
    expect(stored.result).toMatchObject({ allocation: { [members[0]]: 1, [members[2]]: 1 }, ensemble: 0.75 });
    expect(await (await app.request(`/v1/ensembles/${stored.id}`, await readInit())).json<any>()).toEqual(stored);
    expect((await post("/v1/ensembles", { members: [members[0]], budget: 50 })).status).toBe(422);
    expect((await app.request("/v1/ensembles/ens_nope")).status).toBe(404);

    // Paired comparison of two grid points on the same problems.
    const points = Object.fromEntries(frontier.points.map((p: { evaluation: string; pass_at_k: Record<string, number> }) => [p.evaluation, p.pass_at_k]));
    const compared = await post("/v1/comparisons", { a: members[0], b: members[2], k: [1, 2, 99], seed: 3 });
    expect(compared.status).toBe(200);
    const comparison = await compared.json<any>();
    expect(comparison).toMatchObject({ a: members[0], b: members[2], skipped_k: [99], seed: 3, resamples: 1000 });
    expect(comparison.differences.map((d: { k: number }) => d.k)).toEqual([1, 2]);
    const [d1] = comparison.differences;
    expect(d1.a).toBeCloseTo(points[members[0]]["pass@1"], 15);
    expect(d1.b).toBeCloseTo(points[members[2]]["pass@1"], 15);
    expect(d1.difference).toBeCloseTo(d1.b - d1.a, 15);
    expect(d1.ci[0]).toBeLessThanOrEqual(d1.ci[1]);
    const same = await post("/v1/comparisons", { a: members[0], b: members[0] });
    expect(same.status).toBe(422);
    expect(same.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect((await post("/v1/comparisons", { a: members[0], b: "ev_nope" })).status).toBe(422);
  });

  it("a backend merge failure marks the derived checkpoint failed with the reason", async () => {
    const stack = testStack({ completionText });
    stack.backend.failMergesWith = "tensor shapes differ: embed.weight";
    const { post, app, checkpoint: a, run } = await setup(stack, "mergefail", ["p1"]);
    const b = (await (await post("/v1/checkpoints", { url: "hf://acme/other@1", run })).json<any>()).id;
    const merge = await (
      await post("/v1/merges", {
        parents: [
          { checkpoint: a, coefficient: 0.25 },
          { checkpoint: b, coefficient: 0.75 },
        ],
      })
    ).json<any>();
    await deliverAll(stack.queues, stack.ports);
    const failed = await (await app.request(`/v1/merges/${merge.id}`, await readInit())).json<any>();
    expect(failed.status).toBe("failed");
    expect(failed.checkpoints[0].error).toContain("tensor shapes differ");
    expect((await (await app.request(`/v1/checkpoints/${failed.checkpoints[0].id}`, await readInit())).json<any>()).status).toBe("failed");
  });
});
