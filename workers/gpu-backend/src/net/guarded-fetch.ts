// Every outbound fetch of a checkpoint goes through here. Each hop (the first request and every
// redirect) resolves its host once, refuses it when any address falls in a refused range of
// @frontier/url-policy (loopback, private, link-local, CGNAT, multicast, IPv4-embedded IPv6…) unless
// FETCH_ALLOW_HOSTS opens it, and then connects to exactly the address it checked (the socket's
// `lookup` answers with it), so a second DNS answer cannot move the connection (no rebinding).
// Plain http:// is only for hosts the allow list names (local doubles); the rest is https://.
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { PassThrough } from "node:stream";
import { classifyAddress, isAllowed, parseAllowList, type AllowList } from "@frontier/url-policy";

export type Resolver = (host: string) => Promise<{ address: string; family: 4 | 6 }[]>;

export interface NetPolicy {
  allow: AllowList;
  /** Name resolution (tests inject one; default: the system resolver). */
  resolve: Resolver;
  maxRedirects: number;
  /** Extra TLS options (tests: a CA for a loopback HTTPS double). */
  tls?: https.AgentOptions;
  /** Seconds without a byte before a request is abandoned. */
  idleTimeoutMs: number;
}

export const systemResolver: Resolver = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export function netPolicyFromEnv(env: Record<string, string | undefined> = process.env): NetPolicy {
  return { allow: parseAllowList(env.FETCH_ALLOW_HOSTS), resolve: systemResolver, maxRedirects: 10, idleTimeoutMs: 60_000 };
}

export class FetchRefused extends Error {
  constructor(
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.name = "FetchRefused";
  }
}

export interface GuardedInit {
  method?: "GET" | "HEAD" | "PUT" | "POST" | "DELETE";
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Headers dropped when a redirect leaves the first request's origin (tokens never go to a CDN). */
  redirect?: "follow" | "manual";
  /** Called with each redirect hop before it is followed (lets callers re-sign or drop headers). */
  onRedirect?: (from: URL, to: URL, headers: Record<string, string>) => Record<string, string>;
  signal?: AbortSignal;
}

export interface GuardedResponse {
  status: number;
  headers: Headers;
  /** The URL that answered (after redirects). */
  url: string;
  /** The address the answer came from. */
  address: string;
  /**
   * The body. An interrupted answer ends it early instead of erroring (so no byte that arrived is
   * dropped with a destroyed stream): check `complete()` once it has ended.
   */
  body: AsyncIterable<Uint8Array>;
  /** Whether the body arrived whole (false after a connection lost mid-body). */
  complete(): boolean;
  text(): Promise<string>;
  bytes(): Promise<Uint8Array>;
  cancel(): void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const SENSITIVE = ["authorization", "cookie", "x-amz-security-token", "x-amz-date", "x-amz-content-sha256"];

/** Checks one hop and returns the address to connect to, or throws FetchRefused. */
export async function checkDestination(url: URL, policy: NetPolicy): Promise<{ address: string; family: 4 | 6 }> {
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new FetchRefused(`scheme ${url.protocol} is not fetched`, url.href);
  if (url.username || url.password) throw new FetchRefused("URLs with credentials are not fetched", url.href);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = classifyAddress(host) !== "invalid";
  const addresses = literal ? [{ address: host, family: (host.includes(":") ? 6 : 4) as 4 | 6 }] : await policy.resolve(host);
  if (addresses.length === 0) throw new FetchRefused(`${host} does not resolve`, url.href);
  for (const { address } of addresses) {
    if (!isAllowed(host, address, policy.allow)) {
      throw new FetchRefused(
        `${host} resolves to ${address} (${classifyAddress(address)}), which is not fetched (FETCH_ALLOW_HOSTS opens chosen hosts)`,
        url.href,
      );
    }
  }
  if (url.protocol === "http:") {
    const named = policy.allow.names.has(host.toLowerCase());
    const ranged = addresses.every(({ address }) => classifyAddress(address) !== "public" || named);
    if (!named && !ranged) throw new FetchRefused("plain http:// is only fetched from hosts FETCH_ALLOW_HOSTS opens", url.href);
  }
  return addresses[0];
}

export async function guardedFetch(input: string, init: GuardedInit, policy: NetPolicy): Promise<GuardedResponse> {
  let url = new URL(input);
  const origin = url.origin;
  let headers = { ...(init.headers ?? {}) };
  let method = init.method ?? "GET";
  let body = init.body;
  for (let hop = 0; ; hop++) {
    const target = await checkDestination(url, policy);
    const response = await request(url, target, method, headers, body, policy, init.signal);
    if (init.redirect === "manual" || !REDIRECTS.has(response.status) || !response.headers.get("location")) return response;
    response.cancel();
    if (hop >= policy.maxRedirects) throw new FetchRefused(`more than ${policy.maxRedirects} redirects`, input);
    const next = new URL(response.headers.get("location")!, url);
    if (next.origin !== origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !SENSITIVE.includes(name.toLowerCase())));
    }
    if (init.onRedirect) headers = init.onRedirect(url, next, headers);
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
    url = next;
  }
}

function request(
  url: URL,
  target: { address: string; family: 4 | 6 },
  method: string,
  headers: Record<string, string>,
  body: Uint8Array | string | undefined,
  policy: NetPolicy,
  signal: AbortSignal | undefined,
): Promise<GuardedResponse> {
  // The socket connects to the checked address whatever the name would resolve to now.
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const module = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = module.request(
      url,
      {
        method,
        headers: { "accept-encoding": "identity", ...headers },
        lookup,
        autoSelectFamily: false,
        signal,
        agent: false,
        ...(url.protocol === "https:" ? { servername: url.hostname.startsWith("[") ? undefined : url.hostname, ...policy.tls } : {}),
      } as https.RequestOptions,
      (res) => {
        const responseHeaders = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        res.setTimeout(policy.idleTimeoutMs, () => res.destroy(new Error(`no data for ${policy.idleTimeoutMs} ms`)));
        // Piped at once: bytes that arrive before the caller reads are kept even if the socket dies.
        const body = new PassThrough({ highWaterMark: 1 << 20 });
        let whole = false;
        res.on("end", () => {
          whole = res.complete;
          body.end();
        });
        res.on("error", () => body.end());
        res.on("aborted", () => body.end());
        res.on("data", (chunk: Buffer) => {
          if (!body.write(chunk)) {
            res.pause();
            body.once("drain", () => res.resume());
          }
        });
        body.on("close", () => {
          if (!res.complete) res.destroy();
        });
        const collect = async () => {
          const chunks: Buffer[] = [];
          for await (const chunk of body) chunks.push(chunk as Buffer);
          if (!whole) throw new Error("connection lost before the whole answer arrived");
          return Buffer.concat(chunks);
        };
        resolve({
          status: res.statusCode ?? 0,
          headers: responseHeaders,
          url: url.href,
          address: target.address,
          body,
          complete: () => whole,
          text: async () => (await collect()).toString("utf8"),
          bytes: async () => new Uint8Array(await collect()),
          cancel: () => {
            res.destroy();
            body.destroy();
          },
        });
      },
    );
    req.setTimeout(policy.idleTimeoutMs, () => req.destroy(new Error(`no answer for ${policy.idleTimeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}
