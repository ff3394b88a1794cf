// Public reads (the leaderboard, benchmarks, tracks and the web page; run frontiers are private to the run's team): cacheable by browsers
// and CDNs, revalidated by ETag (304 on If-None-Match), and readable from any origin.
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { etag, RETAINED_304_HEADERS } from "hono/etag";
import type { Ports } from "../ports.ts";
import type { App } from "./env.ts";
import { mountPublicCache, PUBLIC_CACHED_PATHS, publicFastPath } from "./public-cache.ts";

/** Fresh for a minute, then served stale for up to ten while a revalidation runs. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600";

/** Paths (Hono patterns) that anyone may read. Registered before any route so every handler gets it. */
export const PUBLIC_READ_PATHS = ["/", "/v1/leaderboard", "/v1/benchmarks", "/v1/benchmarks/*", "/v1/tracks", "/v1/tracks/*"] as const;

/** Cache-Control on successful reads only: an error or a write must never be cached publicly. */
function publicCacheControl(value: string): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const method = c.req.method;
    if ((method === "GET" || method === "HEAD") && c.res.status === 200 && !c.res.headers.has("cache-control")) {
      c.res.headers.set("cache-control", value);
    }
  };
}

/**
 * ETags only for reads: a POST to /v1/benchmarks answers as it always did. The 304 keeps the CORS
 * headers the 200 carried: hono's etag builds a fresh 304 and drops all but a short list of headers,
 * and a cross-origin revalidation without Access-Control-Allow-Origin fails in the browser.
 */
function etagForReads(): MiddlewareHandler {
  const tag = etag({ retainedHeaders: [...RETAINED_304_HEADERS, "access-control-allow-origin", "access-control-expose-headers"] });
  return async (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? tag(c, next) : next());
}

export function publicRead(cacheControl = PUBLIC_CACHE_CONTROL): MiddlewareHandler[] {
  return [
    cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["ETag", "Cache-Control"], maxAge: 86_400 }),
    etagForReads(),
    publicCacheControl(cacheControl),
  ];
}

/** Mounts the public-read middleware, then the cache inside it; must come before the routes it wraps (the fast path is mounted first of all, by mountPublicFastPath). */
export function mountPublicReads(app: App, ports: Ports) {
  for (const path of PUBLIC_READ_PATHS) app.use(path, ...publicRead());
  mountPublicCache(app, ports);
}

/**
 * The public cache's fast path, before every other middleware (body limits, identify): a repeated
 * anonymous public read is answered from the isolate's memo without running the chain.
 */
export function mountPublicFastPath(app: App, ports: Ports) {
  for (const path of PUBLIC_CACHED_PATHS) app.use(path, publicFastPath(ports));
}
