// The checkpoint cache against real loopback doubles: a Hub (revision API, resolve/<sha>/<file>
// redirecting to a second host, the CDN), an S3 endpoint that verifies SigV4, and a plain HTTP
// server without Range support. Names resolve through an injected resolver to 127.0.0.1 only.
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowList } from "@frontier/url-policy";
import { CheckpointCache } from "../../../workers/gpu-backend/src/checkpoints/cache.ts";
import { mergeCheckpoints } from "../../../workers/gpu-backend/src/merge/engine.ts";
import { acquireCheckpoint } from "../../../workers/gpu-backend/src/checkpoints/materialise.ts";
import type { SourceConfig } from "../../../workers/gpu-backend/src/checkpoints/sources.ts";
import { resolverConfigFromEnv } from "../../../workers/gpu-backend/src/safetensors/source.ts";
import { verifySigV4 } from "./doubles/s3.ts";
import { removeTempDirs, shardedCheckpoint, tempDir } from "./fixtures.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const AK = "AKIDEXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

interface Double {
  server: Server;
  port: number;
  log: { method: string; path: string; range?: string; authorization?: string; host?: string }[];
  /** path → how many bytes to send before cutting the connection (consumed once). */
  cut: Map<string, number>;
  bytesServed: number;
}

async function listen(handler: (req: IncomingMessage, res: import("node:http").ServerResponse, d: Double) => void): Promise<Double> {
  const d: Double = { server: undefined as unknown as Server, port: 0, log: [], cut: new Map(), bytesServed: 0 };
  d.server = createServer((req, res) => {
    d.log.push({ method: req.method!, path: req.url!, range: req.headers.range, authorization: req.headers.authorization, host: req.headers.host });
    handler(req, res, d);
  });
  await new Promise<void>((resolve) => d.server.listen(0, "127.0.0.1", resolve));
  d.port = (d.server.address() as AddressInfo).port;
  return d;
}

/** Sends `bytes` (honouring Range when `ranges`), cutting the connection where `cut` says. */
function sendFile(
  req: IncomingMessage,
  res: import("node:http").ServerResponse,
  d: Double,
  key: string,
  bytes: Buffer,
  ranges: boolean,
  headers: Record<string, string> = {},
) {
  let start = 0;
  const match = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
  if (ranges && match) {
    start = Number(match[1]);
    const end = match[2] ? Number(match[2]) : bytes.length - 1;
    res.writeHead(206, { ...headers, "content-length": end - start + 1, "content-range": `bytes ${start}-${end}/${bytes.length}`, "accept-ranges": "bytes" });
    if (req.method === "HEAD") return res.end();
    return write(res, d, key, bytes.subarray(start, end + 1));
  }
  res.writeHead(200, { ...headers, "content-length": bytes.length, ...(ranges ? { "accept-ranges": "bytes" } : {}) });
  if (req.method === "HEAD") return res.end();
  write(res, d, key, bytes);
}

function write(res: import("node:http").ServerResponse, d: Double, key: string, body: Buffer) {
  const cut = d.cut.get(key);
  if (cut !== undefined) {
    d.cut.delete(key);
    d.bytesServed += cut;
    // A graceful FIN after the partial body (a reset could discard bytes the client already received).
    res.write(body.subarray(0, cut), () => res.socket?.end());
    return;
  }
  d.bytesServed += body.length;
  res.end(body);
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

let root: string;
let files: Map<string, Buffer>;
let hub: Double;
let cdn: Double;
let s3: Double;
let plain: Double;

const resolve = async (host: string) => {
  if (!host.endsWith(".test")) throw new Error(`test resolver: unknown ${host}`);
  return [{ address: "127.0.0.1", family: 4 as const }];
};

function sources(extra: Partial<SourceConfig> = {}): SourceConfig {
  return {
    net: { allow: parseAllowList("127.0.0.0/8"), resolve, maxRedirects: 5, idleTimeoutMs: 5000 },
    hfEndpoint: `http://hub.test:${hub.port}`,
    hfToken: "hf_secret",
    s3: { accessKeyId: AK, secretAccessKey: SECRET, region: "auto", endpoint: `http://s3.test:${s3.port}`, pathStyle: true },
    ...extra,
  };
}

async function cache(dir?: string, budgetBytes = 1 << 30, attempts = 5): Promise<CheckpointCache> {
  return new CheckpointCache({ dir: dir ?? (await tempDir("cache-")), budgetBytes, attempts, retryBaseMs: 1 }, sources());
}

const SHARD = "model-00002-of-00002.safetensors";

beforeAll(async () => {
  root = await shardedCheckpoint(await tempDir("src-"), 7);
  files = new Map();
  for (const name of await readdir(root)) files.set(name, await readFile(path.join(root, name)));
  cdn = await listen((req, res, d) => {
    const blob = [...files.values()].find((b) => `/blobs/${sha256(b)}` === new URL(req.url!, "http://x").pathname);
    if (!blob) return res.writeHead(404).end();
    sendFile(req, res, d, req.url!, blob, true);
  });
  hub = await listen((req, res) => {
    const url = new URL(req.url!, "http://x");
    if (req.headers.authorization !== "Bearer hf_secret") return res.writeHead(401).end();
    if (url.pathname === "/api/models/org/model/revision/main" || url.pathname === `/api/models/org/model/revision/${SHA}`) {
      const siblings = [...files].map(([name, b]) =>
        name.endsWith(".safetensors") ? { rfilename: name, size: b.length, lfs: { sha256: sha256(b), size: b.length } } : { rfilename: name, size: b.length },
      );
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ id: "org/model", sha: SHA, siblings }));
    }
    const m = new RegExp(`^/org/model/resolve/${SHA}/(.+)$`).exec(url.pathname);
    const b = m && files.get(decodeURIComponent(m[1]));
    if (!b) return res.writeHead(404).end();
    if (m[1].endsWith(".safetensors")) return res.writeHead(302, { location: `http://cdn.test:${cdn.port}/blobs/${sha256(b)}` }).end();
    res.writeHead(200, { "content-length": b.length, "x-repo-commit": SHA }).end(b);
  });
  s3 = await listen((req, res, d) => {
    if (!verifySigV4(req, AK, SECRET))
      return res.writeHead(403, { "content-type": "application/xml" }).end("<Error><Code>SignatureDoesNotMatch</Code></Error>");
    const m = /^\/bucket\/runs\/a\/(.+)$/.exec(new URL(req.url!, "http://x").pathname);
    const b = m && files.get(decodeURIComponent(m[1]));
    if (!b) return res.writeHead(404).end();
    sendFile(req, res, d, req.url!, b, true, { etag: `"${sha256(b).slice(0, 32)}"` });
  });
  plain = await listen((req, res, d) => {
    const b = files.get(new URL(req.url!, "http://x").pathname.replace(/^\/ckpt\//, ""));
    if (!b) return res.writeHead(404).end();
    sendFile(req, res, d, new URL(req.url!, "http://x").pathname, b, false, { etag: `"${sha256(b).slice(0, 16)}"` });
  });
});

afterAll(async () => {
  for (const d of [hub, cdn, s3, plain]) await new Promise<void>((r) => d.server.close(() => r()));
  await removeTempDirs();
});

async function expectSameFiles(dir: string) {
  for (const [name, bytes] of files) expect(sha256(await readFile(path.join(dir, name)))).toBe(sha256(bytes));
}

describe("checkpoint cache", () => {
  it("hf://: resolves main to the commit sha, verifies LFS sha256, fetches from the CDN without the token, once", async () => {
    const c = await cache();
    hub.log.length = 0;
    cdn.log.length = 0;
    const lease = await c.acquire("hf://org/model@main");
    expect(lease.revision).toBe(SHA);
    await expectSameFiles(lease.dir);
    expect(cdn.log.filter((r) => r.method === "GET").length).toBe(2);
    expect(cdn.log.every((r) => r.authorization === undefined)).toBe(true);
    expect(hub.log.every((r) => r.authorization === "Bearer hf_secret")).toBe(true);
    const again = await c.acquire("hf://org/model@main");
    expect(again.dir).toBe(lease.dir);
    expect(again.sha256).toBe(lease.sha256);
    expect(cdn.log.filter((r) => r.method === "GET").length).toBe(2);
    expect(c.stats).toMatchObject({ materialised: 1, hits: 1 });
    lease.release();
    again.release();
  });

  it("resumes a download cut halfway with a Range request: every byte served once", async () => {
    const c = await cache();
    const shard = files.get(SHARD)!;
    const key = `/blobs/${sha256(shard)}`;
    const half = Math.floor(shard.length / 2);
    cdn.cut.set(key, half);
    cdn.log.length = 0;
    cdn.bytesServed = 0;
    const lease = await c.acquire("hf://org/model");
    await expectSameFiles(lease.dir);
    const shardGets = cdn.log.filter((r) => r.path === key);
    expect(shardGets.map((r) => r.range)).toEqual([undefined, `bytes=${half}-`]);
    const total = [...files].filter(([n]) => n.endsWith(".safetensors")).reduce((s, [, b]) => s + b.length, 0);
    expect(cdn.bytesServed).toBe(total);
    lease.release();
  });

  it("a partial never looks complete, and a new process resumes it", async () => {
    const dir = await tempDir("cache-");
    const shard = files.get(SHARD)!;
    const key = `/blobs/${sha256(shard)}`;
    const half = Math.floor(shard.length / 2);
    cdn.cut.set(key, half);
    const first = await cache(dir, 1 << 30, 1);
    await expect(first.acquire("hf://org/model")).rejects.toThrow(/download failed after 1 attempts/);
    expect(await readdir(path.join(dir, "entries"))).toEqual([]);
    const [staging] = await readdir(path.join(dir, "staging"));
    expect((await stat(path.join(dir, "staging", staging, `${SHARD}.partial`))).size).toBe(half);
    cdn.log.length = 0;
    const second = await cache(dir);
    const lease = await second.acquire("hf://org/model");
    await expectSameFiles(lease.dir);
    expect(cdn.log.filter((r) => r.path === key).map((r) => r.range)).toEqual([`bytes=${half}-`]);
    expect(await readdir(path.join(dir, "entries"))).toEqual([staging]);
    lease.release();
  });

  it("s3:// with SigV4 (path style): the double verifies every signature; a wrong secret is refused", async () => {
    const c = await cache();
    s3.log.length = 0;
    const lease = await c.acquire("s3://bucket/runs/a");
    await expectSameFiles(lease.dir);
    expect(lease.revision).toMatch(/^etag:[0-9a-f]{32}$/);
    expect(s3.log.every((r) => r.authorization?.startsWith(`AWS4-HMAC-SHA256 Credential=${AK}/`))).toBe(true);
    lease.release();
    const wrong = new CheckpointCache(
      { dir: await tempDir("cache-"), budgetBytes: 1 << 30, attempts: 2, retryBaseMs: 1 },
      sources({ s3: { ...sources().s3, secretAccessKey: "nope" } }),
    );
    await expect(wrong.acquire("s3://bucket/runs/a")).rejects.toThrow(/HTTP 403/);
  });

  it("https:// from a server without Range support: streaming GET, restarted from 0 after a cut", async () => {
    const c = await cache();
    const shard = files.get(SHARD)!;
    plain.cut.set(`/ckpt/${SHARD}`, 1000);
    plain.log.length = 0;
    plain.bytesServed = 0;
    const lease = await c.acquire(`http://plain.test:${plain.port}/ckpt/model.safetensors.index.json`);
    await expectSameFiles(lease.dir);
    const gets = plain.log.filter((r) => r.method === "GET" && r.path === `/ckpt/${SHARD}`);
    // The retry asks to continue from what arrived (≤ 1000 bytes); this server answers 200, so it restarts.
    expect(gets.length).toBe(2);
    expect(gets[0].range).toBeUndefined();
    expect(gets[1].range === undefined || /^bytes=\d+-$/.test(gets[1].range)).toBe(true);
    expect(lease.revision).toMatch(/^etag:/);
    // The index is read twice (once to plan, once to store), the shard's first 1000 bytes twice.
    const index = files.get("model.safetensors.index.json")!.length;
    expect(plain.bytesServed).toBe([...files.values()].reduce((s, b) => s + b.length, 0) + index + 1000);
    expect(shard.length).toBeGreaterThan(1000);
    lease.release();
  });

  it("evicts least-recently-used entries over budget, never a leased one", async () => {
    const dir = await tempDir("cache-");
    const size = [...files.values()].reduce((s, b) => s + b.length, 0);
    const c = await cache(dir, size + 10);
    const a = await c.acquire("hf://org/model");
    const b = await c.acquire("s3://bucket/runs/a");
    expect(c.stats.evicted).toBe(0); // a is leased, b is the newest
    expect((await readdir(path.join(dir, "entries"))).length).toBe(2);
    a.release();
    const p = await c.acquire(`http://plain.test:${plain.port}/ckpt`);
    expect(c.stats.evicted).toBe(1); // a (least recently used, released); b is still leased
    expect((await readdir(path.join(dir, "entries"))).sort()).toEqual([path.basename(b.dir), path.basename(p.dir)].sort());
    b.release();
    p.release();
    await c.evict();
    expect(c.stats.evicted).toBe(2);
    expect(await readdir(path.join(dir, "entries"))).toEqual([path.basename(p.dir)]);
  });

  it("the merge engine reads remote parents through the cache", async () => {
    const c = await cache();
    const out = await tempDir("merge-");
    const result = await mergeCheckpoints({
      parents: [
        { url: "hf://org/model", coefficient: 0.5 },
        { url: "s3://bucket/runs/a", coefficient: 0.5 },
      ],
      outDir: out,
      resolver: resolverConfigFromEnv({}),
      materialise: (url) => acquireCheckpoint(url, c),
    });
    expect(result.tensors).toBeGreaterThan(0);
    expect(c.stats.materialised).toBe(2);
  });
});

describe("POST /v1/checkpoints/resolve", () => {
  it("pins hf://…@main to the commit sha, s3:// to its ETag, without downloading; refuses gs:// and unknown repos", async () => {
    const { backendConfigFromEnv, createBackend } = await import("../../../workers/gpu-backend/src/app.ts");
    const state = await tempDir("state-");
    const c = await cache();
    const { app } = createBackend({ ...backendConfigFromEnv({ BACKEND_TOKEN: "t", BACKEND_STATE_DIR: state, MERGE_OUTPUT_DIR: state }), cache: c });
    const post = (url: string) =>
      app.request("/v1/checkpoints/resolve", {
        method: "POST",
        headers: { authorization: "Bearer t", "content-type": "application/json" },
        body: JSON.stringify({ url }),
      });
    cdn.log.length = 0;
    const hf = await post("hf://org/model@main");
    expect(hf.status).toBe(200);
    expect(await hf.json()).toEqual({ url: "hf://org/model@main", source: "hf://org/model", revision: SHA });
    const s3res = await post("s3://bucket/runs/a");
    expect(s3res.status).toBe(200);
    expect(((await s3res.json()) as { revision: string }).revision).toMatch(/^etag:/);
    expect(cdn.log.length).toBe(0);
    expect(c.stats.materialised).toBe(0);
    expect((await post("gs://bucket/x.safetensors")).status).toBe(422);
    expect((await post("hf://org/missing")).status).toBe(404);
    expect((await post("https://10.0.0.1/x.safetensors")).status).toBe(422); // refused before any socket opens
  });

  it("refuses to fetch a source that moved off the revision it was pinned to (the check at fetch time)", async () => {
    const c = await cache();
    s3.log.length = 0;
    const pinned = (await c.resolve("s3://bucket/runs/a")).revision!;
    await expect(c.acquire("s3://bucket/runs/a", "etag:00000000000000000000000000000000")).rejects.toMatchObject({
      code: "revision_changed",
      message: expect.stringContaining("changed since it was registered: pinned to etag:00000000000000000000000000000000"),
    });
    expect(s3.log.filter((r) => r.method === "GET" && r.path.endsWith(".safetensors"))).toEqual([]);
    expect(c.stats.materialised).toBe(0);
    const lease = await c.acquire("s3://bucket/runs/a", pinned);
    await expectSameFiles(lease.dir);
    lease.release();
  });

  it("the inline writer (CHECKPOINT_CACHE_WRITER=inline) stores the same bytes and resumes a cut download the same way", async () => {
    const shard = files.get(SHARD)!;
    const key = `/blobs/${sha256(shard)}`;
    const half = Math.floor(shard.length / 2);
    cdn.cut.set(key, half);
    cdn.log.length = 0;
    const c = new CheckpointCache({ dir: await tempDir("cache-"), budgetBytes: 1 << 30, attempts: 5, retryBaseMs: 1, writer: "inline" }, sources());
    const lease = await c.acquire("hf://org/model");
    await expectSameFiles(lease.dir);
    expect(cdn.log.filter((r) => r.path === key).map((r) => r.range)).toEqual([undefined, `bytes=${half}-`]);
    lease.release();
  });
});
