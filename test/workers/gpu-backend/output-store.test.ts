// Merge outputs to object storage (issue 15): OUTPUT_STORE=s3://bucket/prefix uploads each merged
// checkpoint to an S3 double that verifies every SigV4 signature and supports multipart upload; the
// derived checkpoint's URL is s3://, the staged folder is gone, another host's checkpoint cache reads
// the same bytes back, and retention removes the output.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowList } from "@frontier/url-policy";
import { backendConfigFromEnv, createBackend } from "../../../workers/gpu-backend/src/app.ts";
import { CheckpointCache } from "../../../workers/gpu-backend/src/checkpoints/cache.ts";
import { s3ConfigFromEnv } from "../../../workers/gpu-backend/src/checkpoints/s3.ts";
import { mergeCheckpoints } from "../../../workers/gpu-backend/src/merge/engine.ts";
import { S3OutputStore } from "../../../workers/gpu-backend/src/merge/s3-output-store.ts";
import { resolverConfigFromEnv } from "../../../workers/gpu-backend/src/safetensors/index.ts";
import { startS3Double, type S3Double } from "./doubles/s3.ts";
import { removeTempDirs, shardedCheckpoint, singleFileCheckpoint, tempDir } from "./fixtures.ts";

const AK = "AKIDOUTPUTS";
const SECRET = "outputs/secret/key/for/the/double";
let s3: S3Double;
let root: string;

beforeAll(async () => {
  s3 = await startS3Double(AK, SECRET);
  root = await tempDir("outputs-");
});
afterAll(async () => {
  await s3.close();
  await removeTempDirs();
});

const s3Env = () => ({ AWS_ACCESS_KEY_ID: AK, AWS_SECRET_ACCESS_KEY: SECRET, AWS_REGION: "auto", S3_ENDPOINT: s3.url, S3_FORCE_PATH_STYLE: "1" });

describe("OUTPUT_STORE=s3://", () => {
  it("uploads a merged checkpoint (multipart above the part size), records its s3:// URL, keeps no local copy; the cache reads it back", async () => {
    const a = await shardedCheckpoint(path.join(root, "a"), 1);
    const b = await shardedCheckpoint(path.join(root, "b"), 2, { specials: false });
    const staging = path.join(root, "staging");
    const { app, services } = createBackend(
      backendConfigFromEnv({
        BACKEND_TOKEN: "t",
        BACKEND_STATE_DIR: path.join(root, "state"),
        MERGE_OUTPUT_DIR: staging,
        OUTPUT_STORE: "s3://outputs/grid-1",
        OUTPUT_PART_BYTES: "1024",
        ...s3Env(),
      }),
    );
    const parents = [
      { url: `file://${a}`, coefficient: 1.5 },
      { url: `file://${b}`, coefficient: -0.5 },
    ];
    const res = await app.request("/v1/merges", {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ parents }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await services.merges.idle();
    const job = (await (await app.request(`/v1/merges/${id}`, { headers: { authorization: "Bearer t" } })).json()) as any;
    expect(job.status).toBe("succeeded");
    expect(job.output.url).toBe(`s3://outputs/grid-1/${id}/`);

    // The bytes an uninterrupted local merge writes, file by file.
    const reference = path.join(root, "reference");
    await mergeCheckpoints({ parents, outDir: reference, resolver: resolverConfigFromEnv({}) });
    const names = (await readdir(reference)).sort();
    const uploaded = [...s3.objects.keys()].filter((k) => k.startsWith(`outputs/grid-1/${id}/`)).map((k) => k.slice(`outputs/grid-1/${id}/`.length));
    expect(uploaded.sort()).toEqual(names);
    for (const name of names) expect(Buffer.compare(s3.objects.get(`outputs/grid-1/${id}/${name}`)!, await readFile(path.join(reference, name)))).toBe(0);

    // Every shard is over 1 KiB: each went up in parts; everything was signed; no upload left open.
    const shards = names.filter((n) => n.endsWith(".safetensors"));
    const sizes = await Promise.all(shards.map(async (n) => (await stat(path.join(reference, n))).size));
    const initiated = s3.log.filter((r) => r.method === "POST" && r.query === "?uploads=");
    expect(initiated.map((r) => path.basename(r.path)).sort()).toEqual(shards.sort());
    expect(s3.log.filter((r) => r.method === "PUT" && r.query.startsWith("?partNumber="))).toHaveLength(
      sizes.reduce((sum, size) => sum + Math.ceil(size / 1024), 0),
    );
    expect(s3.log.every((r) => r.signed)).toBe(true);
    expect(s3.uploads.size).toBe(0);
    // The staged folder is gone: the local copy lives only in a checkpoint cache.
    expect(await readdir(staging)).toEqual([]);

    // Another host: its checkpoint cache fetches the output from the store.
    const cache = new CheckpointCache(
      { dir: path.join(root, "cache"), budgetBytes: 1 << 30, attempts: 2, retryBaseMs: 1 },
      {
        net: { allow: parseAllowList("127.0.0.0/8"), resolve: async () => [{ address: "127.0.0.1", family: 4 }], maxRedirects: 5, idleTimeoutMs: 5000 },
        hfEndpoint: "https://hub.invalid",
        s3: s3ConfigFromEnv(s3Env()),
      },
    );
    const lease = await cache.acquire(job.output.url);
    for (const name of names) expect(Buffer.compare(await readFile(path.join(lease.dir, name)), await readFile(path.join(reference, name)))).toBe(0);
    lease.release();

    // Retention: the backend deletes the output by job id (what POST /v1/gc at the edge calls); idempotent.
    const del = (await (await app.request(`/v1/merges/${id}/output`, { method: "DELETE", headers: { authorization: "Bearer t" } })).json()) as any;
    expect(del).toEqual({ id, removed: names.length });
    expect([...s3.objects.keys()].filter((k) => k.startsWith(`outputs/grid-1/${id}/`))).toEqual([]);
    const again = (await (await app.request(`/v1/merges/${id}/output`, { method: "DELETE", headers: { authorization: "Bearer t" } })).json()) as any;
    expect(again).toEqual({ id, removed: 0 });
    services.jobStore?.close();
  });

  it("remove() deletes every object of one output and leaves the others", async () => {
    const store = new S3OutputStore({ url: "s3://outputs/keep", s3: s3ConfigFromEnv(s3Env()), stagingDir: path.join(root, "staging-2"), partBytes: 1 << 20 });
    for (const job of ["mrg_old", "mrg_new"]) {
      const folder = await store.prepare(job);
      await singleFileCheckpoint(folder, 3);
      expect(await store.publish(job, folder, [])).toBe(`s3://outputs/keep/${job}/`);
    }
    const count = (job: string) => [...s3.objects.keys()].filter((k) => k.startsWith(`outputs/keep/${job}/`)).length;
    expect(count("mrg_old")).toBe(3);
    expect(await store.remove("mrg_old")).toBe(3);
    expect(count("mrg_old")).toBe(0);
    expect(count("mrg_new")).toBe(3);
    expect(store.stats).toMatchObject({ puts: 6, multipart: 0, deletes: 3 });
  });
});
