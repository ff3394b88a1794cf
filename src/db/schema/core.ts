// Core tables: API keys, training runs, checkpoints, webhook deliveries, idempotency records.
// Times are ISO-8601 UTC strings written from the clock port (not SQL defaults), so every runtime
// and every test agrees on "now".
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const API_SCOPES = ["submit", "admin"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const apiKeys = sqliteTable("api_keys", {
  id: text("id").primaryKey(),
  /** SHA-256 (hex) of the whole secret key; the key itself is never stored. */
  hash: text("hash").notNull().unique(),
  /** The first characters of the key, to recognise it in listings. */
  prefix: text("prefix").notNull(),
  scopes: text("scopes", { mode: "json" }).$type<ApiScope[]>().notNull(),
  label: text("label"),
  createdAt: text("created_at").notNull(),
  revokedAt: text("revoked_at"),
});

export const RUN_STATUSES = ["running", "finished"] as const;

export const runs = sqliteTable("runs", {
  /** The run's name as the training job reports it (e.g. "lowcov-7b"). */
  name: text("name").primaryKey(),
  status: text("status", { enum: RUN_STATUSES }).notNull().default("running"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
  finishedAt: text("finished_at"),
});

export const CHECKPOINT_STATUSES = ["pending", "ready", "failed"] as const;
export const CHECKPOINT_SOURCES = ["api", "webhook", "merge"] as const;

export type CheckpointParent = { checkpoint: string; coefficient: number };

export const checkpoints = sqliteTable(
  "checkpoints",
  {
    id: text("id").primaryKey(),
    run: text("run")
      .notNull()
      .references(() => runs.name),
    step: integer("step"),
    url: text("url").notNull(),
    /** Free label, e.g. the coverage setting ("low-coverage") or "merge α=0.5". */
    label: text("label"),
    /** Trained checkpoints are ready on arrival; merged ones are pending until the backend writes them. */
    status: text("status", { enum: CHECKPOINT_STATUSES }).notNull(),
    source: text("source", { enum: CHECKPOINT_SOURCES }).notNull(),
    /** Merged checkpoints: θ = Σ coefficient·θ(parent), Σ coefficients = 1. Null for trained ones. */
    parents: text("parents", { mode: "json" }).$type<CheckpointParent[]>(),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    // Last, as the migration appended them (saveWebhookCheckpoint selects every column in order).
    /**
     * The immutable revision the backend pinned the URL to (Hub commit sha; `etag:`/`version:` for
     * https and s3); null for file:// and merge outputs, or while the pin is deferred.
     */
    revision: text("revision"),
    /** When the pin was made; null while it is deferred (the backend was unreachable at registration). */
    pinnedAt: text("pinned_at"),
  },
  (t) => [index("checkpoints_run_id").on(t.run, t.id)],
);

export const webhookDeliveries = sqliteTable("webhook_deliveries", {
  /** The sender's `webhook-id`: the same across retries, so it is the replay key. */
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  receivedAt: text("received_at").notNull(),
  checkpointId: text("checkpoint_id"),
  run: text("run"),
});

export const idempotencyRecords = sqliteTable(
  "idempotency_records",
  {
    apiKeyId: text("api_key_id").notNull(),
    key: text("key").notNull(),
    /** SHA-256 over method, path and body bytes: the same key with another request is a 422. */
    fingerprint: text("fingerprint").notNull(),
    /** Null while the first request is still being handled. */
    status: integer("status"),
    responseBody: text("response_body"),
    responseHeaders: text("response_headers", { mode: "json" }).$type<Record<string, string>>(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] }), index("idempotency_records_created_at").on(t.createdAt)],
);
