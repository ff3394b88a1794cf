// The ports the app is built from. `createApp(ports)` never imports a runtime: the Workers entry
// (src/runtime/workers.ts) and the Deno entry build these from their own bindings.
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import type * as schema from "./db/schema/index.ts";

export type Schema = typeof schema;

/**
 * A drizzle sqlite-core database (D1 on Workers, SQLite on Deno). Always awaited; `batch()` is the
 * only way to group writes atomically because D1 has no interactive transactions.
 */
export type Database = BaseSQLiteDatabase<"async", unknown, Schema> & Pick<DrizzleD1Database<Schema>, "batch">;

export const QUEUE_NAMES = ["sampling", "executions", "webhooks"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Producers for the work queues (sampling, executions, outbound webhooks) (Cloudflare Queues on Workers; Deno KV queue on Deno). */
export interface Queues {
  send(queue: QueueName, body: unknown, options?: { delaySeconds?: number }): Promise<void>;
  sendBatch(queue: QueueName, bodies: unknown[], options?: { delaySeconds?: number }): Promise<void>;
}

/** One delivered queue message, as a consumer sees it whatever the runtime. */
export interface QueueMessage<Body = unknown> {
  readonly id: string;
  readonly body: Body;
  /** 1 on the first delivery. */
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** A consumer handles one batch from one queue; unacknowledged messages are retried by the runtime. */
export type QueueConsumer = (messages: readonly QueueMessage[], ports: Ports) => Promise<void>;

/**
 * An HTTP service reached by path: the executor (a Container on Workers, a URL locally) and the
 * GPU backend. Typed clients for their endpoints are built on top of this.
 */
export interface ServiceClient {
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export interface Clock {
  now(): Date;
}

/** Per-key limiter for write endpoints (Workers rate-limiting binding, or an in-memory window). */
export interface RateLimiter {
  /** true when the call is within the key's budget. */
  limit(key: string): Promise<boolean>;
}

export interface Config {
  /** Standard Webhooks secret (`whsec_<base64>`) for POST /v1/hooks/training-runs; unset disables the hook (503). */
  WEBHOOK_SECRET?: string;
  /** Accept file:// checkpoint URLs (the local demo only). */
  ALLOW_FILE_URLS: boolean;
  /** Request body limit in bytes (413 above it). */
  MAX_BODY_BYTES: number;
  /** 32 bytes, base64: seals teams' webhook signing secrets at rest (services/secret-box.ts); unset: stored as given. */
  SECRETS_KEY?: string;
  /** Standard Webhooks secret the GPU backend signs its callbacks with; unset disables POST /v1/backend/events (503). */
  BACKEND_WEBHOOK_SECRET?: string;
  /** Base URL at which the backend can reach this API for callbacks; unset: the pipeline polls the backend instead. */
  PUBLIC_URL?: string;
  /** Samples (problems × n) one API key may submit per 24 hours through POST /v1/submissions (default 100000). */
  SUBMISSION_SAMPLES_PER_DAY?: number;
  /** Submissions one API key may have queued or running at once (default 3). */
  SUBMISSIONS_IN_FLIGHT?: number;
  /** Seconds the executor may stay unreachable before pending programs become SE (default EXECUTOR_RETRY_HORIZON_SECONDS, one hour). */
  EXECUTOR_RETRY_HORIZON_SECONDS?: number;
  /** How long an isolate trusts the public-read version it last read before reading it again (default 1000 ms; 0: every request). */
  PUBLIC_VERSION_TTL_MS?: number;
  /** When set, the hourly cron deletes merge outputs nothing references and older than this many seconds (POST /v1/gc with apply); unset: no automatic sweep. */
  OUTPUT_RETENTION_SECONDS?: number;
  /** Upper bound in ms on the wait for one executor judge request (default: sized to the work, at most ten minutes). */
  EXECUTOR_JUDGE_TIMEOUT_MS?: number;
  /**
   * Host names, addresses or CIDRs an outbound webhook URL may point at although the URL policy
   * refuses them (loopback, plain http): tests and `npm start` only. Unset in production.
   */
  WEBHOOK_ALLOW_HOSTS?: string;
}

/** A shared response cache for public reads (Workers: the Cache API's `caches.default`). */
export interface ResponseCache {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
}

/**
 * Pack archives (PackArchiveSchema JSON, hidden tests included) in an object store: R2 on Workers.
 * Written by `PUT /v1/packs/{name}` only; read by the executor client, never by an API response.
 */
export interface PackBucket {
  put(key: string, body: string): Promise<void>;
  has(key: string): Promise<boolean>;
}

/**
 * Completion text outside D1 (R2 on Workers): one gzip object per ingested batch of an evaluation,
 * so D1 keeps only what queries need. Absent (Deno, or no binding): the text stays in D1.
 */
export interface CompletionStore {
  put(key: string, body: Uint8Array): Promise<void>;
  /** The object's bytes; null when it does not exist. */
  get(key: string): Promise<Uint8Array | null>;
}

export interface Ports {
  db: Database;
  queues: Queues;
  executor: ServiceClient;
  backend: ServiceClient;
  clock: Clock;
  config: Config;
  rateLimit: RateLimiter;
  /** Shared cache for public reads; absent (Deno), only the isolate's memo serves them. */
  cache?: ResponseCache;
  /**
   * A read session for the public reads that miss the cache (Workers: a D1 Sessions API session,
   * which may read from a replica; its reads are sequentially consistent). Absent: `db`.
   */
  readSession?: () => Database;
  /** Unset where no bucket is bound (Deno, local): `PUT /v1/packs/{name}` answers 503. */
  packs?: PackBucket;
  /** Per-team limiter for write endpoints, over all of a team's keys (absent: none). */
  teamRateLimit?: RateLimiter;
  /** Where completion text is kept (absent: in D1's samples.text). */
  completions?: CompletionStore;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Reads the string-typed deployment variables every runtime passes in the same way. */
export function configFromVars(vars: Record<string, unknown>): Config {
  const flag = (value: unknown) => value === true || (typeof value === "string" && /^(1|true|yes)$/i.test(value));
  const bytes = Number(vars.MAX_BODY_BYTES);
  return {
    WEBHOOK_SECRET: typeof vars.WEBHOOK_SECRET === "string" && vars.WEBHOOK_SECRET !== "" ? vars.WEBHOOK_SECRET : undefined,
    ALLOW_FILE_URLS: flag(vars.ALLOW_FILE_URLS),
    MAX_BODY_BYTES: Number.isInteger(bytes) && bytes > 0 ? bytes : DEFAULT_MAX_BODY_BYTES,
    BACKEND_WEBHOOK_SECRET: nonEmptyString(vars.BACKEND_WEBHOOK_SECRET),
    SECRETS_KEY: nonEmptyString(vars.SECRETS_KEY),
    PUBLIC_URL: nonEmptyString(vars.PUBLIC_URL),
    SUBMISSION_SAMPLES_PER_DAY: positiveInteger(vars.SUBMISSION_SAMPLES_PER_DAY),
    SUBMISSIONS_IN_FLIGHT: positiveInteger(vars.SUBMISSIONS_IN_FLIGHT),
    EXECUTOR_RETRY_HORIZON_SECONDS: positiveInteger(vars.EXECUTOR_RETRY_HORIZON_SECONDS),
    PUBLIC_VERSION_TTL_MS: nonNegativeInteger(vars.PUBLIC_VERSION_TTL_MS),
    OUTPUT_RETENTION_SECONDS: positiveInteger(vars.OUTPUT_RETENTION_SECONDS),
    EXECUTOR_JUDGE_TIMEOUT_MS: positiveInteger(vars.EXECUTOR_JUDGE_TIMEOUT_MS),
    WEBHOOK_ALLOW_HOSTS: nonEmptyString(vars.WEBHOOK_ALLOW_HOSTS),
  };
}

function positiveInteger(value: unknown): number | undefined {
  const number = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(number) && number > 0 ? number : undefined;
}

function nonNegativeInteger(value: unknown): number | undefined {
  const number = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(number) && number >= 0 ? number : undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
