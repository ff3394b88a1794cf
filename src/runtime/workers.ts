// Cloudflare Workers entry: builds the ports from the bindings declared in wrangler.toml and
// serves the app; queue batches go to the consumers registered below.
import { drizzle } from "drizzle-orm/d1";
import { createApp, type App } from "../app.ts";
import * as schema from "../db/schema/index.ts";
import type { Database, Ports, QueueName, Queues } from "../ports.ts";
import { dispatchQueueBatch, type QueueConsumers } from "../queue/dispatch.ts";
import { containerExecutor, type ExecutorContainer } from "./executor-container.ts";
import { portsFromVars, QUEUE_CONSUMERS } from "./shared.ts";

export { ExecutorContainer } from "./executor-container.ts";

export interface Env {
  DB: D1Database;
  SAMPLING_QUEUE: Queue;
  EXECUTIONS_QUEUE: Queue;
  /** Workers rate-limiting binding for write endpoints. */
  WRITE_LIMITER?: RateLimit;
  TEAM_WRITE_LIMITER?: RateLimit;
  /** Executor and backend over plain HTTP (local and demo); production binds the executor Container instead. */
  EXECUTOR_URL?: string;
  BACKEND_URL?: string;
  /** Production: the executor Container (a Durable Object namespace); preferred over EXECUTOR_URL when bound. */
  EXECUTOR?: DurableObjectNamespace<ExecutorContainer>;
  /** Bearer tokens the executor and the backend require. */
  EXECUTOR_TOKEN?: string;
  BACKEND_TOKEN?: string;
  /** Secret the backend signs its callbacks with, and the base URL it can reach this API at. */
  BACKEND_WEBHOOK_SECRET?: string;
  PUBLIC_URL?: string;
  WEBHOOK_SECRET?: string;
  ALLOW_FILE_URLS?: string;
  MAX_BODY_BYTES?: string;
  /** Submission quotas per API key (see docs/api.md). */
  SUBMISSION_SAMPLES_PER_DAY?: string;
  SUBMISSIONS_IN_FLIGHT?: string;
  EXECUTOR_RETRY_HORIZON_SECONDS?: string;
  /** The in-memory write limit used only when WRITE_LIMITER is not bound (default 100 per 10 s). */
  WRITE_LIMIT?: string;
  WRITE_LIMIT_PERIOD_SECONDS?: string;
}

/** Consumers by logical queue name: the list src/runtime/shared.ts keeps for both runtimes. */
export { QUEUE_CONSUMERS };

export function buildPorts(env: Env): Ports {
  const limiter = env.WRITE_LIMITER;
  const teamLimiter = env.TEAM_WRITE_LIMITER;
  return portsFromVars({
    db: drizzle(env.DB, { schema }) as unknown as Database,
    queues: cloudflareQueues(env),
    vars: env as unknown as Record<string, unknown>,
    executor: env.EXECUTOR ? containerExecutor(env.EXECUTOR, env.EXECUTOR_TOKEN) : undefined,
    rateLimit: limiter ? { limit: async (key) => (await limiter.limit({ key })).success } : undefined,
    teamRateLimit: teamLimiter ? { limit: async (key) => (await teamLimiter.limit({ key })).success } : undefined,
  });
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
      return built(env).app.fetch(request, env, ctx);
    },
    async queue(batch: MessageBatch, env: Env): Promise<void> {
      await dispatchQueueBatch(batch, built(env).ports, consumers);
    },
  } satisfies ExportedHandler<Env>;
}

export default createWorker(QUEUE_CONSUMERS);

export function cloudflareQueues(env: Env): Queues {
  const binding = (queue: QueueName): Queue => (queue === "sampling" ? env.SAMPLING_QUEUE : env.EXECUTIONS_QUEUE);
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
