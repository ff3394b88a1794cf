// Core tables: API keys, training runs, checkpoints, webhook deliveries, idempotency records.
// Times are ISO-8601 UTC strings written from the clock port (not SQL defaults), so every runtime
// and every test agrees on "now".
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** read < submit < admin within a key's team; `operator` is deployment-wide (teams, tracks, benchmarks, dead letters). */
export const API_SCOPES = ["read", "submit", "admin", "operator"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** The team every row belongs to unless a key of another team wrote it (and every row from before teams). */
export const DEFAULT_TEAM = "default";
/** `team_id text not null default 'default'` on every table holding a team's data. */
const teamId = () => text("team_id").notNull().default(DEFAULT_TEAM);

export const teams = sqliteTable("teams", {
  /** A slug, e.g. "acme". */
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: text("created_at").notNull(),
});

/**
 * A team's Standard Webhooks signing secrets for /v1/hooks/{team}/training-runs. Several may be live
 * during a rotation: an old one keeps verifying until `expires_at`; a revoked one never does.
 */
export const webhookSecrets = sqliteTable(
  "webhook_secrets",
  {
    id: text("id").primaryKey(),
    teamId: teamId(),
    /** `whsec_<base64>`; kept because verifying an HMAC needs the secret itself. */
    secret: text("secret").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("webhook_secrets_team").on(t.teamId, t.createdAt)],
);

/** Every accepted write, once: who (key), what (method, path, status), when. Team admins read their team's. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    teamId: teamId(),
    /** The API key, or "webhook:<secret id>" for a signed training-run event. */
    actor: text("actor").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    status: integer("status").notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("audit_log_team").on(t.teamId, t.id)],
);

export const apiKeys = sqliteTable("api_keys", {
  id: text("id").primaryKey(),
  /** SHA-256 (hex) of the whole secret key; the key itself is never stored. */
  hash: text("hash").notNull().unique(),
  /** The first characters of the key, to recognise it in listings. */
  prefix: text("prefix").notNull(),
  scopes: text("scopes", { mode: "json" }).$type<ApiScope[]>().notNull(),
  teamId: teamId(),
  label: text("label"),
  createdAt: text("created_at").notNull(),
  revokedAt: text("revoked_at"),
});

export const RUN_STATUSES = ["running", "finished"] as const;

/** A run name is unique within its team. */
export const runs = sqliteTable(
  "runs",
  {
    teamId: teamId(),
    /** The run's name as the training job reports it (e.g. "lowcov-7b"). */
    name: text("name").notNull(),
    status: text("status", { enum: RUN_STATUSES }).notNull().default("running"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    finishedAt: text("finished_at"),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.name] })],
);

export const CHECKPOINT_STATUSES = ["pending", "ready", "failed"] as const;
export const CHECKPOINT_SOURCES = ["api", "webhook", "merge"] as const;

export type CheckpointParent = { checkpoint: string; coefficient: number };

export const checkpoints = sqliteTable(
  "checkpoints",
  {
    id: text("id").primaryKey(),
    teamId: teamId(),
    /** The run (within the team). */
    run: text("run").notNull(),
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
    // saveWebhookCheckpoint selects every column in this order.
    /**
     * The immutable revision the backend pinned the URL to (Hub commit sha; `etag:`/`version:` for
     * https and s3); null for file:// and merge outputs, or while the pin is deferred.
     */
    revision: text("revision"),
    /** When the pin was made; null while it is deferred (the backend was unreachable at registration). */
    pinnedAt: text("pinned_at"),
    /** Public reads show the storage URL in full only when the team says so (else scheme and host). */
    urlPublic: integer("url_public", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("checkpoints_run_id").on(t.run, t.id), index("checkpoints_team").on(t.teamId, t.id)],
);

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    teamId: teamId(),
    /** The sender's `webhook-id`: the same across retries, so it is the replay key (per team). */
    id: text("id").notNull(),
    type: text("type").notNull(),
    receivedAt: text("received_at").notNull(),
    checkpointId: text("checkpoint_id"),
    run: text("run"),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.id] })],
);

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
