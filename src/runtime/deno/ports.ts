// The app's ports on Deno, built from environment variables the way the Workers entry builds them
// from bindings: SQLite for D1, the Deno KV queue for Cloudflare Queues, an in-memory rate limiter
// for the rate-limiting binding, and the executor and backend over HTTP (as without Containers).
import { memoryRateLimiter } from "../../http/rate-limit.ts";
import { configFromVars, type Database, type Ports } from "../../ports.ts";
import { httpServiceClient } from "../../services/clients.ts";
import { kvQueueProducer } from "./kv-queue.ts";
import type { QueueTopology } from "./queue-settings.ts";

/** wrangler.toml's development WRITE_LIMITER: 100 writes per key per 10 seconds. */
export const DEFAULT_WRITE_LIMIT = { limit: 100, periodSeconds: 10 };

export function buildDenoPorts(options: {
  db: Database;
  kv: Deno.Kv;
  topology: QueueTopology;
  vars: Record<string, string | undefined>;
}): Ports {
  const { vars } = options;
  const clock = { now: () => new Date() };
  const limit = positiveInteger(vars.WRITE_LIMIT) ?? DEFAULT_WRITE_LIMIT.limit;
  const periodSeconds = positiveInteger(vars.WRITE_LIMIT_PERIOD_SECONDS) ?? DEFAULT_WRITE_LIMIT.periodSeconds;
  return {
    db: options.db,
    queues: kvQueueProducer(options.kv, options.topology.producers),
    executor: httpServiceClient("executor", vars.EXECUTOR_URL, vars.EXECUTOR_TOKEN),
    backend: httpServiceClient("backend", vars.BACKEND_URL, vars.BACKEND_TOKEN),
    clock,
    config: configFromVars(vars),
    rateLimit: memoryRateLimiter({ limit, periodSeconds, clock }),
  };
}

function positiveInteger(value: string | undefined): number | undefined {
  const number = Number(value);
  return value !== undefined && Number.isInteger(number) && number > 0 ? number : undefined;
}
