import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, webhookSigner } from "../../../src/domain/webhooks.ts";
import { SPEC_VECTOR } from "../../contract/webhooks.ts";

const headers = (signature = SPEC_VECTOR.signature, timestamp = String(SPEC_VECTOR.timestamp)) => ({
  "webhook-id": SPEC_VECTOR.id,
  "webhook-timestamp": timestamp,
  "webhook-signature": signature,
});
const at = (seconds: number) => new Date(seconds * 1000);

describe("Standard Webhooks verification", () => {
  const signer = webhookSigner(SPEC_VECTOR.secret);

  it("verifies the spec's published test vector at its own timestamp", () => {
    expect(verifyWebhook(signer, headers(), SPEC_VECTOR.body, at(SPEC_VECTOR.timestamp))).toEqual({
      ok: true,
      id: SPEC_VECTOR.id,
      timestamp: SPEC_VECTOR.timestamp,
    });
    expect(signWebhook(signer, SPEC_VECTOR.id, SPEC_VECTOR.timestamp, SPEC_VECTOR.body)).toBe(SPEC_VECTOR.signature);
  });

  it("agrees with the reference package's own verify() on the vector", () => {
    // The package checks against the real clock, so re-sign the vector's message at now.
    const now = Math.floor(Date.now() / 1000);
    const signature = new Webhook(SPEC_VECTOR.secret).sign(SPEC_VECTOR.id, at(now), SPEC_VECTOR.body);
    expect(new Webhook(SPEC_VECTOR.secret).verify(SPEC_VECTOR.body, headers(signature, String(now)))).toEqual({ test: 2432232314 });
    expect(verifyWebhook(signer, headers(signature, String(now)), SPEC_VECTOR.body, at(now)).ok).toBe(true);
  });

  it("holds the 5-minute tolerance on both sides, inclusive", () => {
    const t = SPEC_VECTOR.timestamp;
    expect(verifyWebhook(signer, headers(), SPEC_VECTOR.body, at(t + 300)).ok).toBe(true);
    expect(verifyWebhook(signer, headers(), SPEC_VECTOR.body, at(t - 300)).ok).toBe(true);
    expect(verifyWebhook(signer, headers(), SPEC_VECTOR.body, at(t + 301))).toEqual({ ok: false, reason: "stale" });
    expect(verifyWebhook(signer, headers(), SPEC_VECTOR.body, at(t - 301))).toEqual({ ok: false, reason: "stale" });
  });

  it("refuses a changed body, id, or signature, and finds the valid one among several", () => {
    const now = at(SPEC_VECTOR.timestamp);
    expect(verifyWebhook(signer, headers(), '{"test": 2432232315}', now)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyWebhook(signer, { ...headers(), "webhook-id": "msg_other" }, SPEC_VECTOR.body, now).ok).toBe(false);
    expect(verifyWebhook(signer, headers(`v1,AAAA${SPEC_VECTOR.signature.slice(7)}`), SPEC_VECTOR.body, now).ok).toBe(false);
    expect(verifyWebhook(signer, headers(`v1,Zm9v ${SPEC_VECTOR.signature}`), SPEC_VECTOR.body, now).ok).toBe(true);
    expect(verifyWebhook(signer, headers(SPEC_VECTOR.signature.replace("v1,", "v1a,")), SPEC_VECTOR.body, now).ok).toBe(false);
    expect(verifyWebhook(signer, headers("", String(SPEC_VECTOR.timestamp)), SPEC_VECTOR.body, now)).toEqual({ ok: false, reason: "missing-headers" });
    expect(verifyWebhook(signer, headers(SPEC_VECTOR.signature, "1e9"), SPEC_VECTOR.body, now)).toEqual({ ok: false, reason: "bad-timestamp" });
  });

  it("refuses a secret that is not whsec_<base64>", () => {
    expect(() => webhookSigner("not a secret!")).toThrow(/whsec_/);
    expect(() => webhookSigner(SPEC_VECTOR.secret.slice("whsec_".length))).not.toThrow();
  });
});
