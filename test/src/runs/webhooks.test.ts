// Outbound webhooks inside workerd on real D1, delivered by the real consumer to a local receiver
// (test/src/runs/webhook-receiver.ts, a Node HTTP server reached at its loopback URL): signatures
// verified with standardwebhooks, retries after 500s with exact attempt counts, the delivery log,
// manual redelivery under the same webhook-id, and nothing delivered twice.
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { WEBHOOK_MAX_ATTEMPTS } from "../../../src/queue/retry-policy.ts";
import { evaluationFinished } from "../../../src/services/events.ts";
import { apiKey, deliverAll, makePack, testStack } from "../pipeline/doubles.ts";

const receiver = inject("webhookReceiver");
const completionText = (_checkpoint: string, problemId: string) => `\`\`\`python\n# verdict: AC\nprint(input()) # ${problemId}\n\`\`\``;
type Received = { headers: Record<string, string>; body: string; answered: number };
const received = async (name: string): Promise<Received[]> => (await fetch(`${receiver}/log/${name}`)).json();
const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;

async function setup(label: string) {
  const stack = testStack({ completionText });
  stack.ports.config.WEBHOOK_ALLOW_HOSTS = "127.0.0.1";
  const app = createApp(stack.ports);
  const admin = await apiKey(["operator"]);
  const submitter = await apiKey(["submit"]);
  const request = (method: string, path: string, body: unknown, key: string) =>
    app.request(path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    });
  const post = (path: string, body: unknown, key = submitter) => request("POST", path, body, key);
  const get = (path: string, key = submitter) => request("GET", path, undefined, key);
  const registration = await makePack(unique(`wh-${label}`), ["p1", "p2"]);
  expect((await post("/v1/benchmarks", registration, admin)).status).toBe(201);
  const track = unique(`t-${label}`);
  expect(
    (await post("/v1/tracks", { id: track, benchmark: registration.manifest.name, n: 2, temperature: 0.7, top_p: 0.9, max_tokens: 512, seed: 3 }, admin))
      .status,
  ).toBe(201);
  return { stack, app, post, get, request, track, submitter };
}

describe("outbound webhooks", () => {
  it("refuses URLs outside the checkpoint URL policy unless WEBHOOK_ALLOW_HOSTS names the host", async () => {
    const { stack, post, request, submitter } = await setup("policy");
    stack.ports.config.WEBHOOK_ALLOW_HOSTS = undefined;
    for (const url of [`${receiver}/hook/x`, "http://example.com/hook", "https://localhost/hook", "https://10.0.0.1/hook", "https://u:p@example.com/hook"]) {
      const res = await post("/v1/webhooks", { url, events: ["evaluation.completed"] });
      expect(res.status, url).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await post("/v1/webhooks", { url: "https://hooks.example.com/frontier", events: ["nope"] })).status).toBe(422);
    const ok = await post("/v1/webhooks", { url: "https://hooks.example.com/frontier", events: ["evaluation.completed"] });
    expect(ok.status).toBe(201);
    const created = await ok.json<any>();
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    // Every test shares one D1 database: remove it, so other tests' events are not sent to it.
    expect((await request("DELETE", `/v1/webhooks/${created.id}`, undefined, submitter)).status).toBe(204);
  });

  it("delivers signed events, retries after 500s (exact attempts), logs them, redelivers on request, never twice", async () => {
    const { stack, app, post, get, request, track } = await setup("deliver");
    const flaky = unique("flaky");
    const steady = unique("steady");
    const a = await (await post("/v1/webhooks", { url: `${receiver}/hook/${flaky}?fail=2`, events: ["evaluation.completed"] })).json<any>();
    const b = await (await post("/v1/webhooks", { url: `${receiver}/hook/${steady}`, events: ["submission.completed", "evaluation.failed"] })).json<any>();
    expect(a.secret).toMatch(/^whsec_/);
    // The secret is shown once: the list has none.
    const listed = (await (await get("/v1/webhooks")).json<any>()).data;
    expect(listed.find((w: any) => w.id === a.id)).toEqual({
      id: a.id,
      url: `${receiver}/hook/${flaky}?fail=2`,
      events: ["evaluation.completed"],
      created_at: a.created_at,
    });

    const submission = await (await post("/v1/submissions", { url: `hf://acme/${unique("wh")}@rev-1`, track })).json<any>();
    await deliverAll(stack.queues, stack.ports);
    expect((await (await app.request(`/v1/submissions/${submission.id}`)).json<any>()).status).toBe("complete");

    // Endpoint A: 500, 500, then 200 — three attempts of one event, same webhook-id, each correctly signed.
    const mine = (list: Received[]) => list.filter((r) => JSON.parse(r.body).data.evaluation === submission.evaluation);
    const flakyLog = mine(await received(flaky));
    expect(flakyLog.map((r) => r.answered)).toEqual([500, 500, 200]);
    expect(new Set(flakyLog.map((r) => r.headers["webhook-id"])).size).toBe(1);
    for (const r of flakyLog) {
      const payload = new Webhook(a.secret).verify(r.body, r.headers) as any;
      expect(payload).toMatchObject({ type: "evaluation.completed", data: { evaluation: submission.evaluation, status: "complete" } });
    }
    expect(() => new Webhook(b.secret).verify(flakyLog[0].body, flakyLog[0].headers)).toThrow();
    // Endpoint B: one submission.completed, accepted at once; no evaluation.completed (not subscribed).
    const steadyLog = mine(await received(steady));
    expect(steadyLog.map((r) => r.answered)).toEqual([200]);
    expect(new Webhook(b.secret).verify(steadyLog[0].body, steadyLog[0].headers)).toMatchObject({
      type: "submission.completed",
      data: { submission: submission.id, status: "complete", track },
    });

    // The delivery log.
    const deliveries = (await (await get(`/v1/webhooks/${a.id}/deliveries`)).json<any>()).data.filter(
      (d: any) => d.payload.data.evaluation === submission.evaluation,
    );
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ type: "evaluation.completed", status: "delivered", attempts: 3, event_id: flakyLog[0].headers["webhook-id"] });
    expect(deliveries[0].attempt_log.map((e: any) => e.status)).toEqual([500, 500, 200]);

    // Nothing delivered twice: the event emitted again, a duplicated queue message, another round.
    await evaluationFinished(stack.ports, submission.evaluation);
    stack.queues.push("webhooks", { type: "webhook.deliver", delivery_id: deliveries[0].id, generation: 0 });
    await deliverAll(stack.queues, stack.ports);
    expect(mine(await received(flaky))).toHaveLength(3);
    expect(mine(await received(steady))).toHaveLength(1);

    // Manual redelivery: once more, same webhook-id; a second request while it is pending is 409.
    const path = `/v1/webhooks/${a.id}/deliveries/${deliveries[0].id}/redeliver`;
    const again = await post(path, undefined);
    expect(again.status).toBe(202);
    expect((await again.json<any>()).status).toBe("pending");
    expect((await post(path, undefined)).status).toBe(409);
    await deliverAll(stack.queues, stack.ports);
    const after = mine(await received(flaky));
    expect(after.map((r) => r.answered)).toEqual([500, 500, 200, 200]);
    expect(after[3].headers["webhook-id"]).toBe(after[0].headers["webhook-id"]);
    const redelivered = (await (await get(`/v1/webhooks/${a.id}/deliveries`)).json<any>()).data.find((d: any) => d.id === deliveries[0].id);
    expect(redelivered).toMatchObject({ status: "delivered", attempts: 4 });

    // Another team's (or an unknown) webhook is 404; deleting one stops its deliveries.
    expect((await get("/v1/webhooks/whk_unknown/deliveries")).status).toBe(404);
    expect((await request("DELETE", `/v1/webhooks/${a.id}`, undefined, (await apiKey(["submit"])) as string)).status).toBe(204);
    expect((await get(`/v1/webhooks/${a.id}/deliveries`)).status).toBe(404);
    expect((await request("DELETE", `/v1/webhooks/${b.id}`, undefined, (await apiKey(["submit"])) as string)).status).toBe(204);
  });

  it("gives up after WEBHOOK_MAX_ATTEMPTS attempts and records the delivery failed", async () => {
    const { stack, post, get, request, submitter, track } = await setup("exhaust");
    const down = unique("down");
    const hook = await (await post("/v1/webhooks", { url: `${receiver}/hook/${down}?fail=1000`, events: ["submission.completed"] })).json<any>();
    const submission = await (await post("/v1/submissions", { url: `hf://acme/${unique("wh")}@rev-1`, track })).json<any>();
    await deliverAll(stack.queues, stack.ports);
    const attempts = (await received(down)).filter((r) => JSON.parse(r.body).data.submission === submission.id);
    expect(attempts).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
    const [delivery] = (await (await get(`/v1/webhooks/${hook.id}/deliveries`)).json<any>()).data.filter(
      (d: any) => d.payload.data.submission === submission.id,
    );
    expect(delivery).toMatchObject({ status: "failed", attempts: WEBHOOK_MAX_ATTEMPTS });
    expect(delivery.attempt_log.at(-1)).toMatchObject({ status: 500, error: "HTTP 500: receiver says no" });
    expect(stack.queues.pending).toHaveLength(0);
    expect((await request("DELETE", `/v1/webhooks/${hook.id}`, undefined, submitter)).status).toBe(204);
  });
});
