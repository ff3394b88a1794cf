// Teams' webhook signing secrets at rest (services/secret-box.ts): with SECRETS_KEY set, a new
// secret is stored sealed (AES-256-GCM) and the database row alone signs nothing; the hook still
// verifies with it, a row stored before the key still verifies, and the wrong key verifies nothing.
import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { buildPorts, type Env } from "../../../src/runtime/workers.ts";
import { openSecret, sealSecret, secretPrefix } from "../../../src/services/secret-box.ts";
import { apiKey } from "../pipeline/doubles.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const keyOf = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes));
};

describe("secrets at rest", () => {
  it("seals and opens; the wrong key or no key opens nothing; plaintext passes through", async () => {
    const key = keyOf();
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const sealed = await sealSecret(secret, key);
    expect(sealed.startsWith("enc:v1:whsec_MfKQ9r:")).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(await openSecret(sealed, key)).toBe(secret);
    expect(await openSecret(sealed, keyOf())).toBeNull();
    expect(await openSecret(sealed, undefined)).toBeNull();
    expect(await sealSecret(secret, undefined)).toBe(secret);
    expect(await openSecret(secret, key)).toBe(secret);
    expect(secretPrefix(sealed)).toBe(secretPrefix(secret));
    // Two seals of one secret differ (a fresh IV each time).
    expect(await sealSecret(secret, key)).not.toBe(sealed);
    // A key that is not 32 bytes of base64 is the deployment's mistake: a 503 problem that says so.
    for (const bad of ["c2hvcnQ=", "not base64!"]) {
      await expect(sealSecret(secret, bad)).rejects.toMatchObject({ problem: { status: 503, title: "Secrets key misconfigured" } });
      expect(await openSecret(sealed, bad)).toBeNull();
    }
  });

  it("stores a team's new secret sealed; the hook verifies it, an older plaintext one too, and nothing under the wrong key", async () => {
    const team = `sealed-${Math.random().toString(36).slice(2, 8)}`;
    const admin = await apiKey(["admin"], team);
    const appWith = (secretsKey: string) => {
      const app = createApp(buildPorts({ ...(env as unknown as Env), SECRETS_KEY: secretsKey }));
      return (path: string, init?: RequestInit) => app.fetch(new Request(new URL(path, "https://frontier.test"), init), env);
    };
    const key = keyOf();
    const fetchApp = appWith(key);
    // A secret stored before SECRETS_KEY was set: plaintext, as before.
    const legacy = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    await DB.prepare("INSERT INTO webhook_secrets (id, team_id, secret, created_at) VALUES (?, ?, ?, ?)")
      .bind(`whs_legacy_${team}`, team, legacy, new Date(Date.now() - 1000).toISOString())
      .run();

    const created = await fetchApp("/v1/webhook-secrets", {
      method: "POST",
      body: JSON.stringify({ overlap_seconds: 3600 }),
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
    });
    expect(created.status).toBe(201);
    const { id, secret, prefix } = await created.json<{ id: string; secret: string; prefix: string }>();
    expect(secret.startsWith("whsec_")).toBe(true);
    expect(prefix).toBe(secret.slice(0, 12));
    const stored = await DB.prepare("SELECT secret FROM webhook_secrets WHERE id = ?").bind(id).first<{ secret: string }>();
    expect(stored!.secret.startsWith("enc:v1:")).toBe(true);
    expect(stored!.secret).not.toContain(secret.slice(12));
    const listed = await (await fetchApp("/v1/webhook-secrets", { headers: { authorization: `Bearer ${admin}` } })).json<{ data: any[] }>();
    expect(listed.data.find((s) => s.id === id).prefix).toBe(prefix);

    let step = 0;
    const post = (app: typeof fetchApp, signingSecret: string) => {
      const body = JSON.stringify({
        type: "checkpoint.saved",
        timestamp: new Date().toISOString(),
        data: { run: `run-${team}`, step: ++step, url: `hf://acme/${team}@step-${step}` },
      });
      const messageId = `msg_${team}_${step}`;
      const now = new Date();
      return app(`/v1/hooks/${team}/training-runs`, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "webhook-id": messageId,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": new Webhook(signingSecret).sign(messageId, now, body),
        },
      });
    };
    expect((await post(fetchApp, secret)).status).toBe(200);
    expect((await post(fetchApp, legacy)).status).toBe(200);
    // Another key (or none) cannot open the sealed secret: its signatures no longer verify.
    expect((await post(appWith(keyOf()), secret)).status).toBe(401);
  });
});
