// Standard Webhooks (https://www.standardwebhooks.com) verification with an explicit clock.
// The `standardwebhooks` package computes the signature (secret decoding, "id.timestamp.body",
// HMAC-SHA256, base64). Its own verify() reads Date.now() for the tolerance check, which would
// bypass the clock port, so the tolerance check and the walk over the space-separated signatures
// (several during a key rotation) are done here around the package's sign().
import { Webhook } from "standardwebhooks";

export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export type WebhookHeaders = {
  "webhook-id"?: string | null;
  "webhook-timestamp"?: string | null;
  "webhook-signature"?: string | null;
};

export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: "missing-headers" | "bad-timestamp" | "stale" | "bad-signature" };

/** Throws if the secret is not `whsec_<base64>` (or bare base64), so a misconfiguration surfaces at startup. */
export function webhookSigner(secret: string): Webhook {
  if (!/^(whsec_)?[A-Za-z0-9+/]+={0,2}$/.test(secret)) throw new Error("webhook secret must be whsec_<base64>");
  return new Webhook(secret);
}

export function verifyWebhook(signer: Webhook, headers: WebhookHeaders, body: string, now: Date): WebhookVerification {
  const id = headers["webhook-id"];
  const timestampText = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (!id || !timestampText || !signatures) return { ok: false, reason: "missing-headers" };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: "bad-timestamp" };
  const timestamp = Number(timestampText);
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > WEBHOOK_TOLERANCE_SECONDS) return { ok: false, reason: "stale" };
  const expected = signer.sign(id, new Date(timestamp * 1000), body);
  for (const candidate of signatures.split(" ")) {
    if (candidate.startsWith("v1,") && constantTimeEqual(candidate, expected)) return { ok: true, id, timestamp };
  }
  return { ok: false, reason: "bad-signature" };
}

/** The `webhook-signature` value for a message (senders and tests). */
export function signWebhook(signer: Webhook, id: string, timestampSeconds: number, body: string): string {
  return signer.sign(id, new Date(timestampSeconds * 1000), body);
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let diff = left.length ^ right.length;
  for (let i = 0; i < Math.max(left.length, right.length); i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
}
