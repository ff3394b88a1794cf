// Per-team signing secrets for training-run webhooks (/v1/hooks/{team}/training-runs). A rotation
// creates a new secret and lets the previous live ones expire after an overlap, so senders can
// switch over without a window where nothing verifies; a revoked secret stops verifying at once.
import { and, asc, eq, gt, isNull, or } from "drizzle-orm";
import { webhookSecrets } from "../db/schema/index.ts";
import { newId } from "../domain/ids.ts";
import { webhookSigner } from "../domain/webhooks.ts";
import type { Database } from "../ports.ts";
import { openSecret, sealSecret, secretPrefix } from "./secret-box.ts";

export type WebhookSecretRow = typeof webhookSecrets.$inferSelect;

/** Default overlap: the old secret keeps verifying for a day after a rotation. */
export const DEFAULT_OVERLAP_SECONDS = 24 * 60 * 60;

function newSecret(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `whsec_${btoa(binary)}`;
}

/** The secret as listings show it: never the secret itself. */
export function webhookSecretJson(row: WebhookSecretRow) {
  return { id: row.id, team: row.teamId, prefix: secretPrefix(row.secret), created_at: row.createdAt, expires_at: row.expiresAt, revoked_at: row.revokedAt };
}

/**
 * A new secret for the team. Live secrets made before it expire after `overlapSeconds` (0: at
 * once) unless they already expire sooner. Stored sealed under `secretsKey` when there is one; the
 * row answered carries the secret itself (shown once).
 */
export async function createWebhookSecret(
  db: Database,
  teamId: string,
  now: Date,
  overlapSeconds = DEFAULT_OVERLAP_SECONDS,
  secretsKey?: string,
): Promise<WebhookSecretRow> {
  const secret = newSecret();
  const row: WebhookSecretRow = {
    id: newId("whs", now),
    teamId,
    secret: await sealSecret(secret, secretsKey),
    createdAt: now.toISOString(),
    expiresAt: null,
    revokedAt: null,
  };
  const until = new Date(now.getTime() + overlapSeconds * 1000).toISOString();
  await db.batch([
    db
      .update(webhookSecrets)
      .set({ expiresAt: until })
      .where(
        and(eq(webhookSecrets.teamId, teamId), isNull(webhookSecrets.revokedAt), or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, until))),
      ),
    db.insert(webhookSecrets).values(row),
  ]);
  return { ...row, secret };
}

/** The team's secrets, newest first is not needed: oldest first, every state. */
export async function listWebhookSecrets(db: Database, teamId: string) {
  return db.select().from(webhookSecrets).where(eq(webhookSecrets.teamId, teamId)).orderBy(asc(webhookSecrets.createdAt), asc(webhookSecrets.id));
}

/** true when a live secret of the team was revoked. */
export async function revokeWebhookSecret(db: Database, teamId: string, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(webhookSecrets)
    .set({ revokedAt: now.toISOString() })
    .where(and(eq(webhookSecrets.id, id), eq(webhookSecrets.teamId, teamId), isNull(webhookSecrets.revokedAt)))
    .returning({ id: webhookSecrets.id });
  return rows.length === 1;
}

/** Signers of the team's secrets that verify now (not revoked, not expired); a sealed one needs `secretsKey`. */
export async function liveSigners(db: Database, teamId: string, now: Date, secretsKey?: string) {
  const rows = await db
    .select()
    .from(webhookSecrets)
    .where(
      and(
        eq(webhookSecrets.teamId, teamId),
        isNull(webhookSecrets.revokedAt),
        or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, now.toISOString())),
      ),
    );
  const signers: { id: string; signer: ReturnType<typeof webhookSigner> }[] = [];
  for (const row of rows) {
    const secret = await openSecret(row.secret, secretsKey);
    if (secret === null) console.error(`webhook secret ${row.id}: sealed, and SECRETS_KEY is missing or not the key it was sealed with`);
    else signers.push({ id: row.id, signer: webhookSigner(secret) });
  }
  return signers;
}
