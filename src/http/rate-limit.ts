// Per-key and per-team limits on write endpoints. On Workers the ports are rate-limiting bindings;
// elsewhere memoryRateLimiter simulates them (a fixed window per key, like the binding's simple
// limit). A write refused for its key does not count against its team.
import { createMiddleware } from "hono/factory";
import type { Clock, Ports, RateLimiter } from "../ports.ts";
import type { AppEnv } from "./env.ts";
import { ProblemError } from "@frontier/http";

export function rateLimitWrites(ports: Pick<Ports, "rateLimit" | "teamRateLimit">, retryAfterSeconds = 60) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get("principal");
    const key = principal ? `key:${principal.keyId}` : `anon:${c.req.header("cf-connecting-ip") ?? "unknown"}`;
    if (!(await ports.rateLimit.limit(key))) {
      throw new ProblemError({
        status: 429,
        type: "rate-limited",
        title: "Too many requests",
        detail: "this API key is over its write budget; retry later",
        headers: { "retry-after": String(retryAfterSeconds) },
      });
    }
    if (principal && ports.teamRateLimit && !(await ports.teamRateLimit.limit(`team:${principal.teamId}`))) {
      throw new ProblemError({
        status: 429,
        type: "rate-limited",
        title: "Too many requests",
        detail: "this team's keys together are over the team's write budget; retry later",
        headers: { "retry-after": String(retryAfterSeconds) },
      });
    }
    await next();
  });
}

export function memoryRateLimiter(options: { limit: number; periodSeconds: number; clock: Clock }): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const periodMs = options.periodSeconds * 1000;
  return {
    async limit(key) {
      const now = options.clock.now().getTime();
      const start = now - (now % periodMs);
      const window = windows.get(key);
      if (!window || window.start !== start) {
        if (windows.size > 10_000) windows.clear(); // bound memory; only stale windows are lost in practice
        windows.set(key, { start, count: 1 });
        return options.limit >= 1;
      }
      window.count += 1;
      return window.count <= options.limit;
    },
  };
}
