// API key rows. The secret key exists only in the creator's hands; the row keeps its SHA-256.
import { and, eq, isNull } from "drizzle-orm";
import { generateApiKey, hashApiKey } from "../domain/api-keys.ts";
import { newId } from "../domain/ids.ts";
import type { Database } from "../ports.ts";
import { apiKeys, type ApiScope, DEFAULT_TEAM } from "./schema/index.ts";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** A new key and the row to store for it (the row never contains the key). */
export async function newApiKey(scopes: ApiScope[], label: string | null, now: Date, teamId: string = DEFAULT_TEAM): Promise<{ key: string; row: ApiKeyRow }> {
  const { key, prefix } = generateApiKey();
  const row: ApiKeyRow = {
    id: newId("key", now),
    hash: await hashApiKey(key),
    prefix,
    scopes: [...new Set(scopes)],
    teamId,
    label,
    createdAt: now.toISOString(),
    revokedAt: null,
  };
  return { key, row };
}

/** The same row as one SQL statement, for `wrangler d1 execute` (scripts/keys.ts). */
export function apiKeyInsertSql(row: ApiKeyRow): string {
  const quote = (value: string | null) => (value === null ? "NULL" : `'${value.replace(/'/g, "''")}'`);
  const values = [row.id, row.hash, row.prefix, JSON.stringify(row.scopes), row.teamId, row.label, row.createdAt, row.revokedAt].map(quote);
  return `INSERT INTO api_keys (id, hash, prefix, scopes, team_id, label, created_at, revoked_at) VALUES (${values.join(", ")});`;
}

export function apiKeyJson(row: ApiKeyRow) {
  return { id: row.id, prefix: row.prefix, scopes: row.scopes, team: row.teamId, label: row.label, created_at: row.createdAt, revoked_at: row.revokedAt };
}

export async function insertApiKey(db: Database, row: ApiKeyRow): Promise<void> {
  await db.insert(apiKeys).values(row);
}

/** true when a live key was revoked. */
export async function revokeApiKey(db: Database, id: string, now: Date, teamId?: string): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: now.toISOString() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt), teamId === undefined ? undefined : eq(apiKeys.teamId, teamId)))
    .returning({ id: apiKeys.id });
  return rows.length === 1;
}
