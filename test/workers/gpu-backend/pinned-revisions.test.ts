// Pins enforced by the backend (issue 15): a sample or merge request names the revision the edge
// recorded at registration (an S3 ETag, an HTTPS ETag); when the source has changed since, the job
// fails with code revision_changed (nothing sampled, nothing fetched), and an unchanged source is
// served. Real loopback doubles: the S3 double (SigV4 verified, ETag = md5 of the object) and a
// plain HTTP server with ETags (the https:// code path, without TLS).
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendConfigFromEnv, createBackend } from "../../../workers/gpu-backend/src/app.ts";
import type { Sampler } from "../../../workers/gpu-backend/src/samplers/types.ts";
import { startS3Double, type S3Double } from "./doubles/s3.ts";
import { removeTempDirs, shardedCheckpoint, singleFileCheckpoint, tempDir } from "./fixtures.ts";

const AK = "AKIDPIN";
const SECRET = "pin/secret/for/the/s3/double";
let s3: S3Double;
let web: { server: Server; url: string; files: Map<string, Buffer>; gets: string[] };
let root: string;

const filesOf = async (dir: string) => new Map(await Promise.all((await readdir(dir)).map(async (n) => [n, await readFile(path.join(dir, n))] as const)));

beforeAll(async () => {
  root = await tempDir("pins-");
  s3 = await startS3Double(AK, SECRET);
  for (const [name, bytes] of await filesOf(await singleFileCheckpoint(path.join(root, "single"), 3))) s3.objects.set(`ckpts/pin/${name}`, bytes);
  const files = await filesOf(await shardedCheckpoint(path.join(root, "sharded"), 4));
  const gets: string[] = [];
  const server = createServer((req, res) => {
    const name = new URL(req.url!, "http://x").pathname.replace(/^\/ckpt\//, "");
    const body = files.get(name);
    if (!body) return res.writeHead(404).end();
    if (req.method === "GET") gets.push(name);
    res.writeHead(200, { "content-length": body.length, etag: `"${createHash("sha256").update(body).digest("hex").slice(0, 20)}"` });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  web = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ckpt/`, files, gets };
});

afterAll(async () => {
  await s3.close();
  await new Promise<void>((done) => web.server.close(() => done()));
  await removeTempDirs();
});

function backend() {
  const sampled: string[] = [];
  const sampler: Sampler = {
    name: "fake",
    async *sample(request) {
      sampled.push(request.checkpoint);
      for (const problem of request.problems)
        for (let index = 0; index < request.n; index++) yield { problem_id: problem.id, index, text: "ok", finish_reason: "stop" as const };
    },
  };
  const { app, services } = createBackend({
    ...backendConfigFromEnv({
      BACKEND_TOKEN: "t",
      BACKEND_STATE_DIR: path.join(root, `state-${Math.random().toString(36).slice(2)}`),
      MERGE_OUTPUT_DIR: path.join(root, `out-${Math.random().toString(36).slice(2)}`),
      CHECKPOINT_CACHE_DIR: path.join(root, `cache-${Math.random().toString(36).slice(2)}`),
      FETCH_ALLOW_HOSTS: "127.0.0.0/8",
      AWS_ACCESS_KEY_ID: AK,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_REGION: "auto",
      S3_ENDPOINT: s3.url,
      S3_FORCE_PATH_STYLE: "1",
    }),
    sampler,
  });
  const call = async (route: string, body?: unknown) => {
    const res = await app.request(route, {
      method: body === undefined ? "GET" : "POST",
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: "Bearer t", "content-type": "application/json" },
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const revision = async (url: string) => (await call("/v1/checkpoints/resolve", { url })).body.revision as string;
  const sample = async (checkpoint: string, revision: string) => {
    const created = await call("/v1/samples", {
      checkpoint,
      revision,
      problems: [{ id: "p1", prompt: "x" }],
      n: 2,
      temperature: 0,
      top_p: 1,
      max_tokens: 8,
      seed: 1,
    });
    expect(created.status).toBe(202);
    await services.samples.idle();
    return (await call(`/v1/samples/${created.body.id}`)).body;
  };
  const merge = async (parents: { url: string; revision: string; coefficient: number }[]) => {
    const created = await call("/v1/merges", { parents });
    expect(created.status).toBe(202);
    await services.merges.idle();
    return (await call(`/v1/merges/${created.body.id}`)).body;
  };
  return { sampled, revision, sample, merge, close: () => services.jobStore?.close() };
}

describe("pinned revisions, enforced by the backend", () => {
  it("s3://: an unchanged object is sampled; one overwritten since registration fails the job with revision_changed", async () => {
    const b = backend();
    const url = "s3://ckpts/pin/model.safetensors";
    const pinned = await b.revision(url);
    expect(pinned).toMatch(/^etag:[0-9a-f]{32}$/);
    expect(await b.sample(url, pinned)).toMatchObject({ status: "succeeded", produced: 2, error: null });
    expect(b.sampled).toEqual([url]);

    const original = s3.objects.get("ckpts/pin/model.safetensors")!;
    s3.objects.set("ckpts/pin/model.safetensors", Buffer.concat([original, Buffer.from(" ")]));
    try {
      const job = await b.sample(url, pinned);
      expect(job).toMatchObject({ status: "failed", produced: 0, error: { title: "Checkpoint changed since it was registered", code: "revision_changed" } });
      expect(job.error.detail).toContain("changed since it was registered");
      expect(job.error.detail).toContain(pinned);
      expect(b.sampled).toEqual([url]); // the sampler was never asked
    } finally {
      s3.objects.set("ckpts/pin/model.safetensors", original);
      b.close();
    }
  });

  it("https:// (its code path over loopback http): a merge with a changed parent fails before fetching; unchanged parents merge", async () => {
    const b = backend();
    const webUrl = web.url;
    const webPin = await b.revision(webUrl);
    expect(webPin).toMatch(/^etag:/);
    // The sharded checkpoint merged with itself, pinned: unchanged, it is fetched and merged.
    const ok = await b.merge([
      { url: webUrl, revision: webPin, coefficient: 0.5 },
      { url: webUrl, revision: webPin, coefficient: 0.5 },
    ]);
    expect(ok).toMatchObject({ status: "succeeded", error: null });

    const index = web.files.get("model.safetensors.index.json")!;
    web.files.set("model.safetensors.index.json", Buffer.from(`${index.toString("utf8")} `));
    web.gets.length = 0;
    try {
      const job = await b.merge([
        { url: webUrl, revision: webPin, coefficient: 0.5 },
        { url: webUrl, revision: webPin, coefficient: 0.5 },
      ]);
      expect(job).toMatchObject({ status: "failed", output: null, error: { code: "revision_changed", title: "Checkpoint changed since it was registered" } });
      expect(job.error.detail).toContain(webPin);
      expect(web.gets.filter((name) => name.endsWith(".safetensors"))).toEqual([]); // refused before any shard was fetched
      const sampled = await b.sample(webUrl, webPin);
      expect(sampled).toMatchObject({ status: "failed", error: { code: "revision_changed" } });
    } finally {
      web.files.set("model.safetensors.index.json", index);
      b.close();
    }
  });
});
