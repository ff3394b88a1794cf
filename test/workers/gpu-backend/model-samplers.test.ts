// The vllm, sglang and openai samplers against the model-server doubles (real processes, real
// safetensors): which weights answered is visible in every completion's text and `sampled_from`.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { writeSafetensors } from "../../../workers/gpu-backend/src/safetensors/index.ts";
import { AffinityPool } from "../../../workers/gpu-backend/src/samplers/affinity-pool.ts";
import { createSampler, parseGpuGroups, samplerConfigFromEnv } from "../../../workers/gpu-backend/src/samplers/registry.ts";
import type { Completion, SampleRequest, Sampler } from "../../../workers/gpu-backend/src/samplers/types.ts";
import { answerCheckpoint, VLLM_DOUBLE } from "./doubles/checkpoints.ts";
import { type RunningDouble, startDouble } from "./doubles/spawn.ts";
import { removeTempDirs, tempDir } from "./fixtures.ts";

const MESSAGES = [
  { role: "system" as const, content: "You are an expert Python 3 programmer." },
  { role: "user" as const, content: "Print the answer.\n\nAnswer with one ```python code block." },
];

const request = (checkpoint: string, overrides: Partial<SampleRequest> = {}): SampleRequest => ({
  checkpoint,
  problems: [
    { id: "p1", messages: MESSAGES },
    { id: "p2", messages: MESSAGES },
  ],
  n: 2,
  temperature: 0.8,
  top_p: 0.95,
  max_tokens: 64,
  seed: 42,
  stop: ["</s>"],
  ...overrides,
});

async function collect(iterable: AsyncIterable<Completion>): Promise<Completion[]> {
  const out: Completion[] = [];
  for await (const completion of iterable) out.push(completion);
  return out;
}

interface Logged {
  pid: number;
  mode: string;
  model_path: string;
  cuda_visible_devices: string | null;
  tp: string | null;
  path: string;
  authorization: string | null;
  body: Record<string, unknown> | null;
}

let root: string;
let log: string;
let a: string;
let b: string;
let shaA: string;
const samplers: Sampler[] = [];
const doubles: RunningDouble[] = [];

async function requests(): Promise<Logged[]> {
  const text = await readFile(log, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

async function sampler(env: Record<string, string>): Promise<Sampler> {
  const created = await createSampler(samplerConfigFromEnv(env));
  samplers.push(created);
  return created;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  root = await tempDir("model-samplers-");
  log = path.join(root, "requests.jsonl");
  process.env.DOUBLE_REQUEST_LOG = log;
  process.env.DOUBLE_LOAD_MS = "100";
  a = await answerCheckpoint(path.join(root, "a"), 0.25);
  b = await answerCheckpoint(path.join(root, "b"), 0.75);
  shaA = createHash("sha256")
    .update(await readFile(path.join(root, "a", "model.safetensors")))
    .digest("hex");
});
afterEach(async () => {
  await Promise.all(samplers.splice(0).map((s) => s.close?.()));
  await Promise.all(doubles.splice(0).map((d) => d.stop()));
  await writeFile(log, "");
});
afterAll(async () => {
  delete process.env.DOUBLE_REQUEST_LOG;
  delete process.env.DOUBLE_LOAD_MS;
  await removeTempDirs();
});

describe("SAMPLER=vllm (managed `vllm serve` per checkpoint)", () => {
  it("starts a server per checkpoint, samples it over chat with every parameter and the key, and stops it when moving on", async () => {
    const vllm = await sampler({ SAMPLER: "vllm", VLLM_BIN: VLLM_DOUBLE, SAMPLER_API_KEY: "secret-key", VLLM_ARGS: "--dtype bfloat16 --seed 0" });
    const fromA = await collect(vllm.sample(request(a)));
    expect(fromA.map((c) => `${c.problem_id}#${c.index}`)).toEqual(["p1#0", "p1#1", "p2#0", "p2#1"]);
    for (const c of fromA) {
      expect(c.text).toContain("print(0.25)");
      expect(c.finish_reason).toBe("stop");
      expect(c.sampled_from).toEqual({
        checkpoint: a,
        served_name: `ckpt-${shaA.slice(0, 16)}`,
        dir: fileURLToPath(a),
        sha256: shaA,
        revision: null,
        sampler: "vllm",
      });
    }
    const first = await requests();
    expect(first).toHaveLength(2);
    for (const r of first) {
      expect(r.path).toBe("/v1/chat/completions");
      expect(r.authorization).toBe("Bearer secret-key");
      expect(r.body).toEqual({
        model: `ckpt-${shaA.slice(0, 16)}`,
        messages: MESSAGES,
        n: 2,
        temperature: 0.8,
        top_p: 0.95,
        max_tokens: 64,
        seed: 42,
        stop: ["</s>"],
      });
    }
    const pidA = first[0].pid;

    const fromB = await collect(vllm.sample(request(b, { problems: [{ id: "p1", messages: MESSAGES }], n: 1 })));
    expect(fromB).toHaveLength(1);
    expect(fromB[0].text).toContain("print(0.75)");
    expect(fromB[0].sampled_from?.dir).toBe(fileURLToPath(b));
    const pidB = (await requests()).at(-1)!.pid;
    expect(pidB).not.toBe(pidA);
    expect(alive(pidA)).toBe(false); // stopped before B's server started
  });

  it("records a completion that hit max_tokens as truncated (finish_reason length)", async () => {
    const vllm = await sampler({ SAMPLER: "vllm", VLLM_BIN: VLLM_DOUBLE });
    const [c] = await collect(vllm.sample(request(a, { problems: [{ id: "p1", messages: MESSAGES }], n: 1, max_tokens: 3 })));
    expect(c.finish_reason).toBe("length");
    expect(c.tokens).toBe(3);
  });

  it("renders the checkpoint's chat template and calls /v1/completions with SAMPLER_API=completions", async () => {
    const vllm = await sampler({ SAMPLER: "vllm", VLLM_BIN: VLLM_DOUBLE, SAMPLER_API: "completions" });
    const [c] = await collect(vllm.sample(request(a, { problems: [{ id: "p1", messages: MESSAGES }], n: 1 })));
    expect(c.text).toContain("print(0.25)");
    const [r] = await requests();
    expect(r.path).toBe("/v1/completions");
    expect(r.body?.prompt).toBe(`<s><|system|>\n${MESSAGES[0].content}<|end|>\n<|user|>\n${MESSAGES[1].content}<|end|>\n<|assistant|>\n`);
    expect(r.body).not.toHaveProperty("messages");
  });

  it("runs one server per GPU group with CUDA_VISIBLE_DEVICES and the tensor-parallel size", async () => {
    const vllm = await sampler({ SAMPLER: "vllm", VLLM_BIN: VLLM_DOUBLE, SAMPLER_GPUS: "0;1,2" });
    const [ra, rb] = await Promise.all([collect(vllm.sample(request(a))), collect(vllm.sample(request(b)))]);
    expect(ra.every((c) => c.text.includes("print(0.25)"))).toBe(true);
    expect(rb.every((c) => c.text.includes("print(0.75)"))).toBe(true);
    const seen = new Map((await requests()).map((r) => [r.model_path, { cuda: r.cuda_visible_devices, tp: r.tp }]));
    expect(seen.get(fileURLToPath(a))).toEqual({ cuda: "0", tp: null });
    expect(seen.get(fileURLToPath(b))).toEqual({ cuda: "1,2", tp: "2" });
  });

  it("loads a checkpoint once for all the work pending on it (checkpoint affinity)", async () => {
    const vllm = await sampler({ SAMPLER: "vllm", VLLM_BIN: VLLM_DOUBLE });
    const jobs = [request(a), request(b), request(a), request(b)].map((r) => collect(vllm.sample(r)));
    const results = await Promise.all(jobs);
    expect(results.map((r) => r[0].text.match(/print\(([\d.]+)\)/)?.[1])).toEqual(["0.25", "0.75", "0.25", "0.75"]);
    const pids = new Set((await requests()).map((r) => r.pid));
    expect(pids.size).toBe(2);
  });

  it("fails the job with the server's last log lines when it exits during start-up", async () => {
    const broken = path.join(root, "broken");
    await answerCheckpoint(broken, 1);
    await writeFile(path.join(broken, "model.safetensors"), "not a safetensors file");
    const vllm = await sampler({ SAMPLER: "vllm", VLLM_BIN: VLLM_DOUBLE });
    await expect(collect(vllm.sample(request(broken)))).rejects.toThrow(/exited with code 1 before it was healthy[\s\S]*engine core initialisation failed/);
    // the pool is usable again afterwards
    expect((await collect(vllm.sample(request(a))))[0].text).toContain("print(0.25)");
  });

  it("fails the job when the server is not healthy within VLLM_START_TIMEOUT_S, and stops it", async () => {
    process.env.DOUBLE_LOAD_MS = "20000";
    try {
      const vllm = await sampler({ SAMPLER: "vllm", VLLM_BIN: VLLM_DOUBLE, VLLM_START_TIMEOUT_S: "1", VLLM_STOP_GRACE_S: "1" });
      await expect(collect(vllm.sample(request(a)))).rejects.toThrow(/not healthy within 1 s \(VLLM_START_TIMEOUT_S\)[\s\S]*loading weights/);
    } finally {
      process.env.DOUBLE_LOAD_MS = "100";
    }
  });

  it("fails with the spawn error when VLLM_BIN does not exist", async () => {
    const vllm = await sampler({ SAMPLER: "vllm", VLLM_BIN: path.join(root, "no-such-vllm") });
    await expect(collect(vllm.sample(request(a)))).rejects.toThrow(/ENOENT/);
  });
});

describe("SAMPLER=sglang (hot swap)", () => {
  it("loads each checkpoint with /update_weights_from_disk before sampling it", async () => {
    const server = await startDouble("sglang", ["--model-path", fileURLToPath(a), "--api-key", "k"]);
    doubles.push(server);
    const sglang = await sampler({ SAMPLER: "sglang", SAMPLER_URL: server.url, SAMPLER_API_KEY: "k" });
    const fromB = await collect(sglang.sample(request(b)));
    expect(fromB.every((c) => c.text.includes("print(0.75)"))).toBe(true);
    expect(fromB[0].sampled_from).toMatchObject({ checkpoint: b, dir: fileURLToPath(b), served_name: fileURLToPath(b), sampler: "sglang" });
    const fromA = await collect(sglang.sample(request(a)));
    expect(fromA.every((c) => c.text.includes("print(0.25)"))).toBe(true);
    const updates = (await requests()).filter((r) => r.path === "/update_weights_from_disk");
    expect(updates.map((r) => r.body)).toEqual([{ model_path: fileURLToPath(b) }, { model_path: fileURLToPath(a) }]);
    expect(updates.every((r) => r.authorization === "Bearer k")).toBe(true);
  });

  it("fails the job with SGLang's message when the swap fails", async () => {
    const server = await startDouble("sglang", ["--model-path", fileURLToPath(a)]);
    doubles.push(server);
    const other = path.join(root, "other-shape");
    await answerCheckpoint(other, 0.5);
    await writeSafetensors(
      path.join(other, "model.safetensors"),
      { "model.embed_tokens.weight": { dtype: "F32", shape: [3], data: [1, 2, 3] } },
      { format: "pt" },
    );
    const sglang = await sampler({ SAMPLER: "sglang", SAMPLER_URLS: server.url });
    await expect(collect(sglang.sample(request(`file://${other}`)))).rejects.toThrow(/could not load .*Failed to update weights: tensor names.*Rolling back/);
    expect((await collect(sglang.sample(request(a))))[0].text).toContain("print(0.25)");
  });
});

describe("SAMPLER=openai (one fixed server, one checkpoint)", () => {
  it("samples only the checkpoint registered for its model and refuses any other", async () => {
    const server = await startDouble("serve", [fileURLToPath(a), "--served-model-name", "my-model"]);
    doubles.push(server);
    const openai = await sampler({ SAMPLER: "openai", SAMPLER_URL: server.url, SAMPLER_MODEL: "my-model", SAMPLER_CHECKPOINT: a });
    const fromA = await collect(openai.sample(request(a)));
    expect(fromA[0].text).toContain("print(0.25)");
    expect(fromA[0].sampled_from).toEqual({ checkpoint: a, served_name: "my-model", dir: null, sha256: shaA, revision: null, sampler: "openai" });
    await expect(collect(openai.sample(request(b)))).rejects.toThrow(/serves only .* cannot load .*b/);
    expect((await requests()).every((r) => r.body?.model === "my-model")).toBe(true);
  });

  it("reports the server's 404 for a served name it does not have", async () => {
    const server = await startDouble("serve", [fileURLToPath(a), "--served-model-name", "my-model"]);
    doubles.push(server);
    const openai = await sampler({ SAMPLER: "openai", SAMPLER_URL: server.url, SAMPLER_MODEL: "wrong", SAMPLER_CHECKPOINT: a });
    await expect(collect(openai.sample(request(a)))).rejects.toThrow(/HTTP 404: .*The model `wrong` does not exist/);
  });

  it("reports the server's 401 when the key is missing", async () => {
    const server = await startDouble("serve", [fileURLToPath(a), "--served-model-name", "m", "--api-key", "k"]);
    doubles.push(server);
    const openai = await sampler({ SAMPLER: "openai", SAMPLER_URL: server.url, SAMPLER_MODEL: "m", SAMPLER_CHECKPOINT: a });
    await expect(collect(openai.sample(request(a)))).rejects.toThrow(/HTTP 401: \{"error":"Unauthorized"\}/);
  });
});

describe("configuration", () => {
  it("chooses the sampler by SAMPLER only and says what each needs", () => {
    expect(samplerConfigFromEnv({}).kind).toBe("demo");
    expect(samplerConfigFromEnv({ SAMPLER_URL: "http://x" }).kind).toBe("demo");
    expect(() => samplerConfigFromEnv({ SAMPLER: "tgi" })).toThrow(/SAMPLER must be one of demo, vllm, sglang, openai/);
    expect(() => samplerConfigFromEnv({ SAMPLER: "vllm", SAMPLER_SERVERS: "{}" })).toThrow(/SAMPLER_SERVERS is no longer read/);
    expect(() => samplerConfigFromEnv({ SAMPLER: "sglang" })).toThrow(/SAMPLER_URL/);
    expect(() => samplerConfigFromEnv({ SAMPLER: "openai", SAMPLER_URL: "http://x", SAMPLER_MODEL: "m" })).toThrow(/SAMPLER_CHECKPOINT/);
    expect(() => samplerConfigFromEnv({ SAMPLER: "vllm", SAMPLER_API: "responses" })).toThrow(/SAMPLER_API/);
    expect(samplerConfigFromEnv({ SAMPLER: "vllm", VLLM_ARGS: " --dtype  bfloat16 ", VLLM_START_TIMEOUT_S: "30" })).toMatchObject({
      bin: "vllm",
      extraArgs: ["--dtype", "bfloat16"],
      startTimeoutMs: 30_000,
      client: { api: "chat" },
    });
    expect(parseGpuGroups("0;1;2,3")).toEqual([["0"], ["1"], ["2", "3"]]);
    expect(() => parseGpuGroups("0;;1")).toThrow(/SAMPLER_GPUS/);
  });

  it("affinity pool: joins a loaded checkpoint, and prefers waiters of one checkpoint together", async () => {
    const loads: string[] = [];
    const pool = new AffinityPool<string>(1, async (_i, checkpoint) => {
      loads.push(checkpoint);
      await new Promise((r) => setTimeout(r, 10));
      return checkpoint;
    });
    const first = await pool.acquire("x");
    const waiting = [pool.acquire("y"), pool.acquire("z"), pool.acquire("y")];
    const joined = await pool.acquire("x");
    joined.release();
    first.release();
    const [y1, z, y2] = await Promise.all([waiting[0], Promise.resolve(), waiting[2]]).then(async ([p, , q]) => {
      p.release();
      q.release();
      return [p, await waiting[1], q];
    });
    z.release();
    expect([y1.loaded, y2.loaded, z.loaded]).toEqual(["y", "y", "z"]);
    expect(loads).toEqual(["x", "y", "z"]);
  });
});
