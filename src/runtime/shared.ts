// What the Workers entry (workers.ts) and the Deno entry (deno.ts) share: the queue consumers they
// dispatch to and the ports that come from deployment variables alone. Runtime-free, so the Deno
// entry can use it without loading workers.ts (which pulls in Cloudflare's Containers).
import { memoryRateLimiter } from "../http/rate-limit.ts";
import { configFromVars, type Database, type PackBucket, type Ports, type Queues, type RateLimiter, type ServiceClient } from "../ports.ts";
import { pipelineConsumers } from "../queue/consumers.ts";
import type { QueueConsumers } from "../queue/dispatch.ts";
import { httpServiceClient } from "../services/clients.ts";

/** Consumers by logical queue name: the one list both runtimes register. */
export const QUEUE_CONSUMERS: QueueConsumers = pipelineConsumers;

/** wrangler.toml's development WRITE_LIMITER: 100 writes per key per 10 seconds. */
export const DEFAULT_WRITE_LIMIT = { limit: 100, periodSeconds: 10 };

/** The in-memory write limit: WRITE_LIMIT per WRITE_LIMIT_PERIOD_SECONDS, else DEFAULT_WRITE_LIMIT. */
export function writeLimitFromVars(vars: Record<string, unknown>): { limit: number; periodSeconds: number } {
  return {
    limit: positiveInteger(vars.WRITE_LIMIT) ?? DEFAULT_WRITE_LIMIT.limit,
    periodSeconds: positiveInteger(vars.WRITE_LIMIT_PERIOD_SECONDS) ?? DEFAULT_WRITE_LIMIT.periodSeconds,
  };
}

/**
 * The app's ports from what a runtime brings (a database and queue producers, optionally its own
 * executor and rate limiter) plus deployment variables: config, the executor and backend over HTTP
 * (EXECUTOR_URL, BACKEND_URL and their tokens) and an in-memory write limiter.
 */
export function portsFromVars(parts: {
  db: Database;
  queues: Queues;
  vars: Record<string, unknown>;
  /** Replaces the executor over EXECUTOR_URL (the Workers Container binding). */
  executor?: ServiceClient;
  /** Replaces the in-memory limiter (the Workers rate-limiting binding). */
  rateLimit?: RateLimiter;
  /** Where uploaded pack archives go (the Workers PACKS R2 bucket). */
  packs?: PackBucket;
  /** Replaces the in-memory per-team limiter (TEAM_WRITE_LIMITER on Workers). */
  teamRateLimit?: RateLimiter;
}): Ports {
  const { vars } = parts;
  const clock = { now: () => new Date() };
  return {
    db: parts.db,
    queues: parts.queues,
    executor: parts.executor ?? httpServiceClient("executor", text(vars.EXECUTOR_URL), text(vars.EXECUTOR_TOKEN)),
    backend: httpServiceClient("backend", text(vars.BACKEND_URL), text(vars.BACKEND_TOKEN)),
    clock,
    config: configFromVars(vars),
    rateLimit: parts.rateLimit ?? memoryRateLimiter({ ...writeLimitFromVars(vars), clock }),
    ...(parts.packs ? { packs: parts.packs } : {}),
    teamRateLimit: parts.teamRateLimit ?? memoryRateLimiter({ ...teamWriteLimit(writeLimitFromVars(vars)), clock }),
  };
}

/** A team's keys together may write TEAM_WRITE_FACTOR times one key's budget. */
export const TEAM_WRITE_FACTOR = 10;

function teamWriteLimit(perKey: { limit: number; periodSeconds: number }) {
  return { limit: perKey.limit * TEAM_WRITE_FACTOR, periodSeconds: perKey.periodSeconds };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : undefined;
}
