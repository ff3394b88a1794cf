// Issue 15's "done when", through the edge with the real processes (wrangler dev, the executor, the
// GPU backend with its demo sampler): two demo-policy checkpoints registered from remote storage —
// one on the Hub double (hf://, pinned to the commit sha), one on the S3 double (s3://, SigV4
// verified, pinned to its ETag) — are merged into a grid whose outputs the backend uploads to
// OUTPUT_STORE=s3://… on the S3 double; the derived checkpoints carry those s3:// URLs and their
// evaluations (sampled from the uploaded weights through the checkpoint cache) complete.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackManifestSchema } from "@frontier/contracts";
import { registrationFromPack } from "../../src/services/benchmarks.ts";
import { ROOT, startStack, waitFor, type Stack } from "../../scripts/stack.ts";
import { startHubDouble, type HubDouble } from "../workers/gpu-backend/doubles/hub.ts";
import { startS3Double, type S3Double } from "../workers/gpu-backend/doubles/s3.ts";

const PACK_DIR = join(ROOT, "packs", "bundled");
const CHECKPOINTS = join(ROOT, "packs", "demo-policy", "checkpoints");
const PROBLEMS = ["fib-mod", "range-sum"];
const SHA = "c0ffee0000000000000000000000000000c0ffee";
const AK = "AKIDE2EGRID";
const SECRET = "e2e/grid/secret";

let hub: HubDouble;
let s3: S3Double;
let stack: Stack;
let key: string;
let benchmark: string;

async function api(path: string, init: RequestInit = {}) {
  const res = await fetch(`${stack.edge.url}${path}`, {
    ...init,
    headers: { ...(init.body ? { "content-type": "application/json" } : {}), authorization: `Bearer ${key}` },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const filesOf = async (dir: string) => new Map(await Promise.all((await readdir(dir)).map(async (n) => [n, await readFile(join(dir, n))] as const)));

beforeAll(async () => {
  hub = await startHubDouble("hf_e2e");
  hub.repos.set("acme/low-coverage", { sha: SHA, files: await filesOf(join(CHECKPOINTS, "low-coverage")) });
  s3 = await startS3Double(AK, SECRET);
  for (const [name, bytes] of await filesOf(join(CHECKPOINTS, "high-coverage"))) s3.objects.set(`ckpts/runs/high-coverage/${name}`, bytes);
  stack = await startStack({
    backendEnv: {
      FETCH_ALLOW_HOSTS: "127.0.0.0/8",
      HF_ENDPOINT: hub.url,
      HF_TOKEN: "hf_e2e",
      AWS_ACCESS_KEY_ID: AK,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_REGION: "auto",
      S3_ENDPOINT: s3.url,
      S3_FORCE_PATH_STYLE: "1",
      OUTPUT_STORE: "s3://outputs/grid",
    },
  });
  const admin = await stack.edge.apiKey(["operator"]);
  key = await stack.edge.apiKey(["submit"]);
  const manifest = PackManifestSchema.parse(JSON.parse(await readFile(join(PACK_DIR, "manifest.json"), "utf8")));
  const files = new Map(await Promise.all(manifest.problems.map(async (p) => [p.id, JSON.parse(await readFile(join(PACK_DIR, p.file), "utf8"))] as const)));
  const res = await fetch(`${stack.edge.url}/v1/benchmarks`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
    body: JSON.stringify(registrationFromPack(manifest, files, "bundled")),
  });
  expect(res.status).toBe(201);
  benchmark = ((await res.json()) as { id: string }).id;
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await hub?.close();
  await s3?.close();
});

describe("a merge grid over the Hub and S3 doubles, through the edge", () => {
  it("pins both parents, uploads every output to OUTPUT_STORE, and evaluates the s3:// outputs to complete", async () => {
    const low = await api("/v1/checkpoints", {
      method: "POST",
      body: JSON.stringify({ url: "hf://acme/low-coverage@main", run: "remote-grid", label: "low" }),
    });
    const high = await api("/v1/checkpoints", {
      method: "POST",
      body: JSON.stringify({ url: "s3://ckpts/runs/high-coverage/", run: "remote-grid", label: "high" }),
    });
    expect(low.status).toBe(201);
    expect(high.status).toBe(201);
    expect(low.body).toMatchObject({ revision: SHA, pinned_url: `hf://acme/low-coverage@${SHA}` });
    expect(high.body.revision).toMatch(/^etag:[0-9a-f]{32}$/);

    const res = await api("/v1/merges", {
      method: "POST",
      body: JSON.stringify({
        a: low.body.id,
        b: high.body.id,
        alphas: [0.25, 0.75],
        run: "remote-grid-merged",
        evaluate: { benchmark, n: 2, problems: PROBLEMS },
      }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const merge = await waitFor(
      async () => {
        const m = (await api(`/v1/merges/${res.body.id}`)).body;
        return m.status !== "merging" && m.checkpoints.every((c: { evaluation: string | null }) => c.evaluation) ? m : null;
      },
      180_000,
      "the merge grid",
      500,
    );
    expect(merge.status).toBe("ready");
    expect(merge.checkpoints).toHaveLength(2);
    for (const output of merge.checkpoints) {
      expect(output.url).toMatch(/^s3:\/\/outputs\/grid\/mrg_[^/]+\/$/);
      const prefix = output.url.slice("s3://".length);
      expect([...s3.objects.keys()].filter((k) => k.startsWith(prefix)).some((k) => k.endsWith(".safetensors"))).toBe(true);
      const done = await waitFor(
        async () => {
          const e = (await api(`/v1/evaluations/${output.evaluation}`)).body;
          return e.status === "complete" || e.status === "failed" ? e : null;
        },
        180_000,
        `evaluation ${output.evaluation}`,
        500,
      );
      expect(done.status).toBe("complete");
      expect(done.progress).toMatchObject({ requested: 4, received: 4, pending: 0 });
    }
    // The Hub token never reached the CDN; every S3 call (reads, uploads) was signed.
    expect(hub.requests.filter((r) => r.host === "cdn").every((r) => r.authorization === undefined)).toBe(true);
    expect(s3.log.length).toBeGreaterThan(0);
    expect(s3.log.every((r) => r.signed)).toBe(true);
  });
});
