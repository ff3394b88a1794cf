// Public reads served from a cache: tracks, the leaderboard and the page. An isolate-level memo sits
// in front of the shared cache (Workers: the Cache API), both keyed by the request URL and the
// public version, a counter in D1 that triggers bump on every write a public read shows
// (migrations/0006_public_cache.sql). A new result changes the version, so it shows on the next
// read, not after a max-age. The isolate trusts the version it read for PUBLIC_VERSION_TTL_MS
// (default one second) and forgets it at once after any write that goes through it.
//
// Never cached: a request with Authorization or Cookie (issue 20 may answer those with a team's
// private rows), any path outside PUBLIC_CACHED_PATHS (runs, checkpoints and evaluations are a
// team's), the page showing one run (`/?run=`), and anything but a 200.
import { eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { publicVersions } from "../db/schema/index.ts";
import type { Database, Ports } from "../ports.ts";
import type { App, AppEnv } from "./env.ts";

/** Hono patterns served from the cache. The submissions queue is public but shows live progress, so it is read each time. */
export const PUBLIC_CACHED_PATHS = ["/", "/v1/leaderboard", "/v1/tracks", "/v1/tracks/*"] as const;

export const DEFAULT_PUBLIC_VERSION_TTL_MS = 1000;
/** Entries the isolate memo keeps (least recently used dropped first) and the largest body it keeps. */
const MEMO_ENTRIES = 256;
const MEMO_MAX_BODY_CHARS = 1 << 20;
/** What the shared cache keeps a versioned entry for; a new version makes it unreachable sooner. */
const SHARED_CACHE_CONTROL = "public, max-age=3600";
/** Headers of a stored response that are the route's own (the CORS, ETag and Cache-Control middleware add theirs outside). */
const DROPPED_HEADERS = new Set(["cache-control", "age", "expires", "cf-cache-status", "x-cache", "set-cookie", "date"]);

interface Stored {
  status: number;
  headers: [string, string][];
  body: string;
}

/** A read answered in full once, kept ready to answer again: the body encoded once, the headers of a hit and of a 304. */
interface Finished {
  body: Uint8Array<ArrayBuffer>;
  headers: [string, string][];
  etag: string | undefined;
  notModifiedHeaders: [string, string][];
}

interface State {
  version: number | undefined;
  readAt: number;
  memoVersion: number | undefined;
  memo: Map<string, Stored>;
  /** The same entries as answered in full (CORS, ETag, Cache-Control added), for the fast path. */
  finished: Map<string, Finished>;
}

const states = new WeakMap<Ports, State>();

function stateOf(ports: Ports): State {
  let state = states.get(ports);
  if (!state) {
    state = { version: undefined, readAt: Number.NEGATIVE_INFINITY, memoVersion: undefined, memo: new Map(), finished: new Map() };
    states.set(ports, state);
  }
  return state;
}

/** Forget the version this isolate read: the next public read asks D1 again. Called after every write through the app and every queue batch. */
export function invalidatePublicVersion(ports: Ports): void {
  const state = states.get(ports);
  if (state) state.readAt = Number.NEGATIVE_INFINITY;
}

export async function readPublicVersion(db: Database): Promise<number> {
  const [row] = await db.select({ version: publicVersions.version }).from(publicVersions).where(eq(publicVersions.scope, "public")).limit(1);
  return row?.version ?? 0;
}

/** The database a public read should use: the request's read session when the cache opened one. */
export function readDb(c: Context<AppEnv>, ports: Ports): Database {
  return c.get("readDb") ?? ports.db;
}

function isPrivateRequest(c: Context): boolean {
  return c.req.header("authorization") !== undefined || c.req.header("cookie") !== undefined;
}

/** The shared cache's key: a URL (the Cache API wants one); the memo keys by `${version} ${url}` without parsing. */
function cacheKey(url: string, version: number): string {
  const key = new URL(url);
  key.searchParams.append("__public_version", String(version));
  return key.href;
}

function respond(stored: Stored, status: "hit"): Response {
  const headers = new Headers(stored.headers);
  headers.set("x-cache", status);
  return new Response(stored.body, { status: stored.status, headers });
}

async function toStored(response: Response): Promise<Stored> {
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => {
    if (!DROPPED_HEADERS.has(name)) headers.push([name, value]);
  });
  const body = await response.text();
  if (!headers.some(([name]) => name === "etag")) headers.push(["etag", `"${await sha1Hex(body)}"`]);
  return { status: response.status, headers, body };
}

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

function remember<T extends { body: { length: number } }>(memo: Map<string, T>, key: string, stored: T) {
  if (stored.body.length > MEMO_MAX_BODY_CHARS) return;
  memo.delete(key);
  memo.set(key, stored);
  if (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
}

/** Headers a 304 keeps (hono/etag's list plus the CORS headers, as src/http/cache.ts keeps them). */
const NOT_MODIFIED_HEADERS = new Set([
  "cache-control",
  "content-location",
  "date",
  "etag",
  "expires",
  "vary",
  "access-control-allow-origin",
  "access-control-expose-headers",
]);

export function etagMatches(etag: string, ifNoneMatch: string): boolean {
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => strip(tag) === strip(etag));
}

const encoder = new TextEncoder();

/**
 * The fast path on a bare Request: while the isolate trusts its version, a read it has answered in
 * full before is answered again from memory (a 304 when If-None-Match matches), without routing or
 * middleware. Only reads that went through the public cache and were answered 200 are kept
 * (publicFastPath stores them), so a URL found here is a public cached path. Undefined: go on to the app.
 * The Workers entry calls it before the app; publicFastPath calls it first in the app (Deno, tests).
 */
export function publicHit(ports: Ports, request: Request): Response | undefined {
  if (request.method !== "GET") return undefined;
  const state = states.get(ports);
  if (!state || state.version === undefined || state.memoVersion !== state.version) return undefined;
  const headers = request.headers;
  if (headers.has("authorization") || headers.has("cookie")) return undefined;
  const ttl = ports.config.PUBLIC_VERSION_TTL_MS ?? DEFAULT_PUBLIC_VERSION_TTL_MS;
  if (ports.clock.now().getTime() - state.readAt >= ttl) return undefined;
  const key = `${state.version} ${request.url}`;
  const finished = state.finished.get(key);
  if (!finished) return undefined;
  remember(state.finished, key, finished);
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch && finished.etag && etagMatches(finished.etag, ifNoneMatch)) {
    return new Response(null, { status: 304, headers: finished.notModifiedHeaders });
  }
  return new Response(finished.body, { status: 200, headers: finished.headers });
}

/**
 * The fast path as the app's first middleware (mountPublicFastPath): a hit is answered by publicHit;
 * anything else goes down the chain, and a 200 the inner cache stored is kept as finally answered.
 */
export function publicFastPath(ports: Ports): MiddlewareHandler<AppEnv> {
  const state = stateOf(ports);
  return async (c, next) => {
    if (c.req.method !== "GET" || isPrivateRequest(c) || (c.req.path === "/" && c.req.query("run") !== undefined)) return next();
    const hit = publicHit(ports, c.req.raw);
    if (hit) return hit;
    await next();
    const key = `${state.memoVersion} ${c.req.url}`;
    const stored = state.memo.get(key);
    // Only when this answer is the memo's entry (the same ETag): a concurrent version change may have replaced it.
    const storedEtag = stored?.headers.find(([name]) => name === "etag")?.[1];
    if (c.res.status !== 200 || !stored || !c.res.headers.has("x-cache") || c.res.headers.get("etag") !== storedEtag) return;
    const headers: [string, string][] = [];
    c.res.headers.forEach((value, name) => {
      if (name !== "x-cache" && name !== "set-cookie") headers.push([name, value]);
    });
    remember(state.finished, key, {
      body: encoder.encode(stored.body),
      headers: [...headers, ["x-cache", "hit"]],
      etag: storedEtag,
      notModifiedHeaders: headers.filter(([name]) => NOT_MODIFIED_HEADERS.has(name)),
    });
  };
}

function waitUntil(c: Context, promise: Promise<unknown>) {
  const settled = promise.catch((error) => console.error("public cache: put failed", error));
  try {
    c.executionCtx.waitUntil(settled);
  } catch {
    // No execution context (Deno, tests that call app.fetch directly): the promise runs on its own.
  }
}

/** The cache for one public path: memo, then the shared cache, then the route on a read session. */
export function publicCache(ports: Ports): MiddlewareHandler<AppEnv> {
  const state = stateOf(ports);
  const ttl = ports.config.PUBLIC_VERSION_TTL_MS ?? DEFAULT_PUBLIC_VERSION_TTL_MS;
  const openSession = () => ports.readSession?.() ?? ports.db;
  return async (c, next) => {
    if (c.req.method !== "GET") return next();
    if (isPrivateRequest(c)) {
      await next();
      if (!c.res.headers.has("cache-control")) c.res.headers.set("cache-control", "private, no-store");
      return;
    }
    if (c.req.path === "/" && c.req.query("run") !== undefined) return next();

    let session: Database | undefined;
    /** The version the request's own session read, once it read one. */
    let seen: number | undefined;
    let version = state.version;
    const now = ports.clock.now().getTime();
    if (version === undefined || now - state.readAt >= ttl) {
      session = openSession();
      const read = (seen = await readPublicVersion(session));
      // A replica behind what this isolate already saw must not take it back to older results.
      version = state.version === undefined ? read : Math.max(state.version, read);
      state.version = version;
      state.readAt = now;
    }
    if (state.memoVersion !== version) {
      state.memo.clear();
      state.finished.clear();
      state.memoVersion = version;
    }
    const memoKey = `${version} ${c.req.url}`;
    const memo = state.memo.get(memoKey);
    if (memo) {
      remember(state.memo, memoKey, memo);
      return respond(memo, "hit");
    }
    const key = cacheKey(c.req.url, version);
    const shared = ports.cache ? await ports.cache.match(key).catch(() => undefined) : undefined;
    if (shared && shared.status === 200) {
      const stored = await toStored(shared);
      remember(state.memo, memoKey, stored);
      return respond(stored, "hit");
    }

    // A miss: the route reads through one session, which first reads the version. Its later reads
    // see at least that version's rows, so what it answers may be stored under that version; a
    // session behind the isolate's version (a lagging replica) answers without storing.
    if (!session || seen === undefined) {
      session = openSession();
      seen = await readPublicVersion(session);
    }
    c.set("readDb", session);
    await next();
    if (c.res.status !== 200 || seen < version) {
      c.res.headers.set("x-cache", "miss");
      return;
    }
    const stored = await toStored(c.res.clone());
    c.res.headers.set("x-cache", "miss");
    if (!c.res.headers.has("etag")) c.res.headers.set("etag", stored.headers.find(([name]) => name === "etag")![1]);
    if (state.memoVersion === version) remember(state.memo, memoKey, stored);
    if (ports.cache) {
      const headers = new Headers(stored.headers);
      headers.set("cache-control", SHARED_CACHE_CONTROL);
      waitUntil(c, ports.cache.put(key, new Response(stored.body, { status: 200, headers })));
    }
  };
}

/** Any write through this app may have changed what public reads show: forget the version. */
function forgetVersionAfterWrites(ports: Ports): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
    try {
      await next();
    } finally {
      invalidatePublicVersion(ports);
    }
  };
}

/** Mounts the cache on the public paths; called by mountPublicReads after the CORS/ETag middleware, before the routes. */
export function mountPublicCache(app: App, ports: Ports) {
  app.use("*", forgetVersionAfterWrites(ports));
  for (const path of PUBLIC_CACHED_PATHS) app.use(path, publicCache(ports));
}
