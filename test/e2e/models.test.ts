// Your own checkpoints on real model servers, end to end: `frontier serve` (the real edge, executor and
// backend) with SAMPLER=vllm (the backend launches the `vllm` double per checkpoint) and again with
// SAMPLER=sglang (the backend hot-swaps a running SGLang double). A merge grid α = 0, 0.5, 1 over two
// checkpoints whose weights make the double answer differently: each α's samples must come from that
// α's weights — the text the weights produce, and the sha256 of the merged file on every sample.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, waitFor } from "../../scripts/stack.ts";
import { answerCheckpoint, VLLM_DOUBLE } from "../workers/gpu-backend/doubles/checkpoints.ts";
import { type RunningDouble, startDouble } from "../workers/gpu-backend/doubles/spawn.ts";

const PROBLEMS = ["fib-mod", "range-sum"];
const ALPHAS = [0, 0.5, 1];

let work: string;
let a: string;
let b: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "frontier-models-e2e-"));
  a = await answerCheckpoint(join(work, "ckpt-a"), 0);
  b = await answerCheckpoint(join(work, "ckpt-b"), 1);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Served {
  url: string;
  key: string;
  benchmark: string;
  child: ChildProcess;
  output: () => string;
}

/** `frontier serve` as a user runs it, until it prints the API URL, the admin key and the benchmark. */
async function serve(env: Record<string, string>, state: string): Promise<Served> {
  const child = spawn(process.execPath, [join(ROOT, "bin", "frontier.mjs"), "serve", "--port", "0", "--state", state, "--packs", join(ROOT, "packs")], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`frontier serve exited (${child.exitCode}):\n${out.slice(-3000)}`);
      return out.includes("Serving until Ctrl-C.");
    },
    240_000,
    "frontier serve",
    250,
  );
  const line = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(out)![1];
  return { url: line("Frontier API"), key: line("Admin key"), benchmark: line("Benchmark"), child, output: () => out };
}

async function stopServe(served: Served | undefined) {
  if (!served || served.child.exitCode !== null) return;
  const exited = new Promise((resolve) => served.child.once("exit", resolve));
  served.child.kill("SIGTERM");
  await exited;
}

/** Runs the grid through the API and returns, per α, its derived checkpoint's file and its evaluation. */
async function runGrid(served: Served, run: string) {
  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${served.url}${path}`, {
      ...init,
      headers: { "content-type": "application/json", authorization: `Bearer ${served.key}` },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const ids: string[] = [];
  for (const [label, url] of [
    ["a", a],
    ["b", b],
  ]) {
    const res = await api("/v1/checkpoints", { method: "POST", body: JSON.stringify({ url, run, label }) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id);
  }
  const created = await api("/v1/merges", {
    method: "POST",
    body: JSON.stringify({
      a: ids[0],
      b: ids[1],
      alphas: ALPHAS,
      run: `${run}-grid`,
      evaluate: { benchmark: served.benchmark, n: 2, problems: PROBLEMS, max_tokens: 256 },
    }),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const merge = await waitFor(
    async () => {
      const m = (await api(`/v1/merges/${created.body.id}`)).body;
      return m.status !== "merging" && m.checkpoints.every((c: { evaluation: string | null }) => c.evaluation) ? m : null;
    },
    120_000,
    "the merge grid",
    500,
  );
  expect(merge.status).toBe("ready");
  const points = [];
  for (const output of merge.checkpoints) {
    const evaluation = await waitFor(
      async () => {
        const e = (await api(`/v1/evaluations/${output.evaluation}`)).body;
        return e.status === "complete" || e.status === "failed" ? e : null;
      },
      180_000,
      `evaluation ${output.evaluation}`,
      500,
    );
    const samples = (await api(`/v1/evaluations/${output.evaluation}/samples?limit=100`)).body.data;
    points.push({ alpha: output.alpha as number, dir: fileURLToPath(output.url).replace(/\/+$/, ""), evaluation, samples });
  }
  return points;
}

function expectEachAlphaFromItsWeights(points: Awaited<ReturnType<typeof runGrid>>, sampler: string) {
  expect(points.map((p) => p.alpha)).toEqual(ALPHAS);
  for (const point of points) {
    expect(point.evaluation.status, JSON.stringify(point.evaluation.errors)).toBe("complete");
    expect(point.samples).toHaveLength(PROBLEMS.length * 2);
    const sha = createHash("sha256")
      .update(readFileSync(join(point.dir, "model.safetensors")))
      .digest("hex");
    for (const sample of point.samples) {
      // θ(α) = (1−α)·0 + α·1: the double prints the mean of the merged tensor, i.e. α
      expect(sample.completion).toContain(`print(${point.alpha})`);
      expect(sample.model).toMatchObject({ dir: point.dir, sha256: sha, sampler });
      expect(sample.truncated).toBe(false);
    }
    expect(point.evaluation.models).toEqual([expect.objectContaining({ dir: point.dir, sha256: sha, samples: PROBLEMS.length * 2 })]);
  }
  expect(new Set(points.map((p) => p.samples[0].model.sha256)).size).toBe(ALPHAS.length);
}

describe("frontier serve with your own checkpoints", () => {
  it("SAMPLER=vllm: a vllm server launched per merged checkpoint; each α sampled from its own weights", async () => {
    let served: Served | undefined;
    try {
      served = await serve({ SAMPLER: "vllm", VLLM_BIN: VLLM_DOUBLE, SAMPLER_API_KEY: "e2e-key", DOUBLE_LOAD_MS: "200" }, join(work, "state-vllm"));
      const points = await runGrid(served, "vllm-e2e");
      expectEachAlphaFromItsWeights(points, "vllm");
      for (const p of points) expect(p.samples[0].model.served_name).toMatch(/^ckpt-[0-9a-f]{16}$/);
    } catch (error) {
      if (served) console.error(served.output().slice(-4000));
      throw error;
    } finally {
      await stopServe(served);
    }
  });

  it("SAMPLER=sglang: one running server, weights swapped per merged checkpoint; each α sampled from its own weights", async () => {
    let served: Served | undefined;
    let sglang: RunningDouble | undefined;
    try {
      sglang = await startDouble("sglang", ["--model-path", fileURLToPath(a)]);
      served = await serve({ SAMPLER: "sglang", SAMPLER_URL: sglang.url }, join(work, "state-sglang"));
      const points = await runGrid(served, "sglang-e2e");
      expectEachAlphaFromItsWeights(points, "sglang");
    } catch (error) {
      if (served) console.error(served.output().slice(-4000));
      throw error;
    } finally {
      await stopServe(served);
      await sglang?.stop();
    }
  });
});
