// Issue 15's "done when": a merge grid over one checkpoint on the Hub double and one on the S3
// double (SigV4 verified) runs end to end through the backend's HTTP API, with every merged output
// uploaded to OUTPUT_STORE on the S3 double, byte-identical to the same merges done locally.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendConfigFromEnv, createBackend } from "../../../workers/gpu-backend/src/app.ts";
import { mergeCheckpoints } from "../../../workers/gpu-backend/src/merge/engine.ts";
import { resolverConfigFromEnv } from "../../../workers/gpu-backend/src/safetensors/index.ts";
import { startHubDouble, type HubDouble } from "./doubles/hub.ts";
import { startS3Double, type S3Double } from "./doubles/s3.ts";
import { removeTempDirs, shardedCheckpoint, tempDir } from "./fixtures.ts";

const AK = "AKIDGRID";
const SECRET = "grid/secret/for/the/s3/double";
const SHA = "fedcba9876543210fedcba9876543210fedcba98";
let hub: HubDouble;
let s3: S3Double;
let root: string;
let a: string;
let b: string;

/** A safetensors file's header without __metadata__, and its data section. */
function split(bytes: Buffer): [unknown, Buffer] {
  const length = Number(bytes.readBigUInt64LE(0));
  const { __metadata__: _metadata, ...header } = JSON.parse(bytes.subarray(8, 8 + length).toString("utf8"));
  return [header, bytes.subarray(8 + length)];
}

const filesOf = async (dir: string) => new Map(await Promise.all((await readdir(dir)).map(async (n) => [n, await readFile(path.join(dir, n))] as const)));

beforeAll(async () => {
  root = await tempDir("grid-");
  a = await shardedCheckpoint(path.join(root, "a"), 11);
  b = await shardedCheckpoint(path.join(root, "b"), 12, { specials: false });
  hub = await startHubDouble("hf_grid");
  hub.repos.set("acme/lowcov", { sha: SHA, files: await filesOf(a) });
  s3 = await startS3Double(AK, SECRET);
  for (const [name, bytes] of await filesOf(b)) s3.objects.set(`ckpts/runs/highcov/${name}`, bytes);
});
afterAll(async () => {
  await hub.close();
  await s3.close();
  await removeTempDirs();
});

describe("a merge grid over the Hub and S3 doubles", () => {
  it("merges hf:// and s3:// parents at α ∈ {-0.5, 0.5, 1.5} and uploads every output to OUTPUT_STORE", async () => {
    const { app, services } = createBackend(
      backendConfigFromEnv({
        BACKEND_TOKEN: "t",
        BACKEND_STATE_DIR: path.join(root, "state"),
        MERGE_OUTPUT_DIR: path.join(root, "staging"),
        OUTPUT_STORE: "s3://outputs/grid",
        OUTPUT_PART_BYTES: "4096",
        FETCH_ALLOW_HOSTS: "127.0.0.0/8",
        HF_ENDPOINT: hub.url,
        HF_TOKEN: "hf_grid",
        AWS_ACCESS_KEY_ID: AK,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_REGION: "auto",
        S3_ENDPOINT: s3.url,
        S3_FORCE_PATH_STYLE: "1",
      }),
    );
    const request = (route: string, init: RequestInit = {}) =>
      app.request(route, { ...init, headers: { authorization: "Bearer t", "content-type": "application/json" } });
    const alphas = [-0.5, 0.5, 1.5];
    const jobs: string[] = [];
    const jobParents: { url: string; coefficient: number }[][] = [];
    for (const alpha of alphas) {
      const parents = [
        { url: `hf://acme/lowcov@${SHA}`, coefficient: 1 - alpha },
        { url: "s3://ckpts/runs/highcov/", coefficient: alpha },
      ];
      jobParents.push(parents);
      const res = await request("/v1/merges", { method: "POST", body: JSON.stringify({ parents }) });
      expect(res.status).toBe(202);
      jobs.push(((await res.json()) as { id: string }).id);
    }
    await services.merges.idle();
    for (const [i, id] of jobs.entries()) {
      const job = (await (await request(`/v1/merges/${id}`)).json()) as any;
      expect(job).toMatchObject({ status: "succeeded", output: { url: `s3://outputs/grid/${id}/` } });
      const reference = path.join(root, `reference-${i}`);
      await mergeCheckpoints({
        parents: [
          { url: `file://${a}`, coefficient: 1 - alphas[i]! },
          { url: `file://${b}`, coefficient: alphas[i]! },
        ],
        outDir: reference,
        resolver: resolverConfigFromEnv({}),
      });
      const expected = await filesOf(reference);
      const uploaded = [...s3.objects.keys()].filter((k) => k.startsWith(`outputs/grid/${id}/`));
      expect(uploaded.map((k) => path.basename(k)).sort()).toEqual([...expected.keys()].sort());
      for (const [name, bytes] of expected) {
        const got = s3.objects.get(`outputs/grid/${id}/${name}`)!;
        if (!name.endsWith(".safetensors")) expect(Buffer.compare(got, bytes)).toBe(0);
        else {
          // The same tensors, byte for byte; only the lineage metadata names other parent URLs.
          const [gotHeader, gotData] = split(got);
          const [wantHeader, wantData] = split(bytes);
          expect(gotHeader).toEqual(wantHeader);
          expect(Buffer.compare(gotData, wantData)).toBe(0);
          expect(JSON.parse(JSON.parse(got.subarray(8, 8 + Number(got.readBigUInt64LE(0))).toString()).__metadata__["frontier.merge"]).parents).toEqual(
            jobParents[i],
          );
        }
      }
    }
    // Each parent was fetched once (the cache), the Hub token never reached the CDN, every S3 call was signed.
    expect(hub.requests.filter((r) => r.host === "hub" && r.path.startsWith("/api/")).length).toBeGreaterThanOrEqual(1);
    expect(hub.requests.filter((r) => r.host === "cdn").every((r) => r.authorization === undefined)).toBe(true);
    const shardGets = hub.requests.filter((r) => r.host === "cdn");
    expect(shardGets).toHaveLength([...hub.repos.get("acme/lowcov")!.files.keys()].filter((n) => n.endsWith(".safetensors")).length);
    expect(s3.log.every((r) => r.signed)).toBe(true);
    expect(s3.uploads.size).toBe(0);
    expect(await readdir(path.join(root, "staging"))).toEqual([]);
    services.jobStore?.close();
  });
});
