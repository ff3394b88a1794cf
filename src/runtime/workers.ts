// Cloudflare Workers entry: builds the ports from the bindings declared in wrangler.toml and
// serves the app; queue batches go to the consumers registered below.
import { drizzle } from "drizzle-orm/d1";
import { createApp, type App } from "../app.ts";
import * as schema from "../db/schema/index.ts";
import { invalidatePublicVersion, publicHit } from "../http/public-cache.ts";
import type { CompletionStore, Database, PackBucket, Ports, QueueName, Queues, ResponseCache } from "../ports.ts";
import { dispatchQueueBatch, type QueueConsumers } from "../queue/dispatch.ts";
import { containerExecutor, type ExecutorContainer } from "./executor-container.ts";
import { portsFromVars, QUEUE_CONSUMERS } from "./shared.ts";
import { sweepOutputs } from "../services/gc.ts";

export { ExecutorContainer } from "./executor-container.ts";

export interface Env {
  DB: D1Database;
  SAMPLING_QUEUE: Queue;
  EXECUTIONS_QUEUE: Queue;
  WEBHOOKS_QUEUE: Queue;
  /** Workers rate-limiting binding for write endpoints. */
  WRITE_LIMITER?: RateLimit;
  TEAM_WRITE_LIMITER?: RateLimit;
  /** Executor and backend over plain HTTP (local and demo); production binds the executor Container instead. */
  EXECUTOR_URL?: string;
  BACKEND_URL?: string;
  /** Production: the executor Container (a Durable Object namespace); preferred over EXECUTOR_URL when bound. */
  EXECUTOR?: DurableObjectNamespace<ExecutorContainer>;
  /** Executor instances to spread judging over (default 4; keep ≤ max_instances in wrangler.toml). */
  EXECUTOR_INSTANCES?: string;
  /** R2 bucket of pack archives (`frontier benchmark upload`), pushed to executor Containers on a miss. */
  PACKS?: R2Bucket;
  /** R2 bucket for completion text (services/completion-store.ts); unbound: the text stays in D1. */
  COMPLETIONS?: R2Bucket;
  /** Bearer tokens the executor and the backend require. */
  EXECUTOR_TOKEN?: string;
  BACKEND_TOKEN?: string;
  /** Secret the backend signs its callbacks with, and the base URL it can reach this API at. */
  BACKEND_WEBHOOK_SECRET?: string;
  /** 32 bytes, base64 (a Worker secret): seals teams' webhook signing secrets at rest (services/secret-box.ts). */
  SECRETS_KEY?: string;
  PUBLIC_URL?: string;
  WEBHOOK_SECRET?: string;
  /** Development only: hosts outbound webhook URLs may name although the URL policy refuses them. */
  WEBHOOK_ALLOW_HOSTS?: string;
  ALLOW_FILE_URLS?: string;
  MAX_BODY_BYTES?: string;
  /** Submission quotas per API key (see docs/api.md). */
  SUBMISSION_SAMPLES_PER_DAY?: string;
  SUBMISSIONS_IN_FLIGHT?: string;
  EXECUTOR_RETRY_HORIZON_SECONDS?: string;
  /** Milliseconds an isolate trusts the public-read version before reading it again (default 1000). */
  PUBLIC_VERSION_TTL_MS?: string;
  /** The in-memory write limit used only when WRITE_LIMITER is not bound (default 100 per 10 s). */
  WRITE_LIMIT?: string;
  WRITE_LIMIT_PERIOD_SECONDS?: string;
}

/** Consumers by logical queue name: the list src/runtime/shared.ts keeps for both runtimes. */
export { QUEUE_CONSUMERS };

export function buildPorts(env: Env): Ports {
  const limiter = env.WRITE_LIMITER;
  const teamLimiter = env.TEAM_WRITE_LIMITER;
  const ports = portsFromVars({
    db: drizzle(env.DB, { schema }) as unknown as Database,
    queues: cloudflareQueues(env),
    vars: env as unknown as Record<string, unknown>,
    executor: env.EXECUTOR
      ? containerExecutor(env.EXECUTOR, env.EXECUTOR_TOKEN, {
          packs: env.PACKS,
          ...(Number(env.EXECUTOR_INSTANCES) > 0 ? { instances: Number(env.EXECUTOR_INSTANCES) } : {}),
        })
      : undefined,
    packs: env.PACKS ? r2PackBucket(env.PACKS) : undefined,
    rateLimit: limiter ? { limit: async (key) => (await limiter.limit({ key })).success } : undefined,
    teamRateLimit: teamLimiter ? { limit: async (key) => (await teamLimiter.limit({ key })).success } : undefined,
  });
  return {
    ...ports,
    cache: workersCache(),
    readSession: d1ReadSession(env.DB),
    completions: env.COMPLETIONS ? r2CompletionStore(env.COMPLETIONS) : undefined,
  };
}

/** The COMPLETIONS R2 bucket as the app's completion store. */
export function r2CompletionStore(bucket: R2Bucket): CompletionStore {
  return {
    async put(key, body) {
      await bucket.put(key, body, { httpMetadata: { contentType: "application/gzip" } });
    },
    async get(key) {
      const object = await bucket.get(key);
      return object ? new Uint8Array(await object.arrayBuffer()) : null;
    },
  };
}

/** The Cache API's default cache (a no-op on *.workers.dev hosts: put a custom domain in front for it to keep anything). */
function workersCache(): ResponseCache | undefined {
  const cache = typeof caches === "undefined" ? undefined : (caches as CacheStorage & { default?: Cache }).default;
  if (!cache) return undefined;
  return { match: (key) => cache.match(key), put: (key, response) => cache.put(key, response) };
}

/**
 * D1 read replication: a session per read that misses the cache. "first-unconstrained" lets its
 * first query go to the nearest replica; later queries in the session are sequentially consistent.
 */
function d1ReadSession(db: D1Database): (() => Database) | undefined {
  if (typeof db.withSession !== "function") return undefined;
  return () => drizzle(db.withSession("first-unconstrained") as unknown as D1Database, { schema }) as unknown as Database;
}

/** The PACKS R2 bucket as the app's pack-archive port. */
export function r2PackBucket(bucket: R2Bucket): PackBucket {
  return {
    async put(key, body) {
      await bucket.put(key, body, { httpMetadata: { contentType: "application/json" } });
    },
    async has(key) {
      return (await bucket.head(key)) !== null;
    },
  };
}

export function createWorker(consumers: QueueConsumers) {
  // The env object is stable across requests in an isolate: build the app once per env.
  const apps = new WeakMap<Env, { app: App; ports: Ports }>();
  const built = (env: Env) => {
    let entry = apps.get(env);
    if (!entry) {
      const ports = buildPorts(env);
      entry = { app: createApp(ports), ports };
      apps.set(env, entry);
    }
    return entry;
  };
  return {
    fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
      const { app, ports } = built(env);
      // A repeated anonymous public read is answered from the isolate's memo before Hono routes it.
      return publicHit(ports, request) ?? app.fetch(request, env, ctx);
    },
    async queue(batch: MessageBatch, env: Env): Promise<void> {
      const { ports } = built(env);
      try {
        await dispatchQueueBatch(batch, ports, consumers);
      } finally {
        invalidatePublicVersion(ports);
      }
    },
    // wrangler.toml [triggers]: the retention sweep of merge outputs (a no-op unless OUTPUT_RETENTION_SECONDS is set).
    async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
      ctx.waitUntil(sweepOutputs(built(env).ports).then(() => undefined));
    },
  } satisfies ExportedHandler<Env>;
}

export default createWorker(QUEUE_CONSUMERS);

export function cloudflareQueues(env: Env): Queues {
  const bindings: Record<QueueName, Queue> = { sampling: env.SAMPLING_QUEUE, executions: env.EXECUTIONS_QUEUE, webhooks: env.WEBHOOKS_QUEUE };
  const binding = (queue: QueueName): Queue => bindings[queue];
  return {
    async send(queue, body, options) {
      await binding(queue).send(body, { contentType: "json", ...options });
    },
    async sendBatch(queue, bodies, options) {
      // Cloudflare caps a sendBatch at 100 messages.
      for (let i = 0; i < bodies.length; i += 100) {
        await binding(queue).sendBatch(
          bodies.slice(i, i + 100).map((body) => ({ body, contentType: "json" as const })),
          options,
        );
      }
    },
  };
}
