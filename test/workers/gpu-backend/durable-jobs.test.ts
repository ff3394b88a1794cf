// Durable backend jobs (issue 15): the real backend process (node + tsx, the demo sampler) is killed
// with SIGKILL mid-sampling and mid-merge, then started again on the same BACKEND_STATE_DIR. The
// client re-attaches by job id; every completion arrives exactly once, by page and by callback
// (deduplicated by webhook-id as the edge does), and equals what an uninterrupted run produces.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeCheckpoints } from "../../../workers/gpu-backend/src/merge/engine.ts";
import { DemoSampler } from "../../../workers/gpu-backend/src/samplers/demo.ts";
import { resolverConfigFromEnv } from "../../../workers/gpu-backend/src/safetensors/index.ts";
import { removeTempDirs, singleFileCheckpoint, tempDir } from "./fixtures.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SERVER = path.join(ROOT, "workers/gpu-backend/src/server.ts");
const DEMO_CHECKPOINT = path.join(ROOT, "packs/demo-policy/checkpoints/low-coverage");
const TOKEN = "durable-token";
const SECRET = `whsec_${Buffer.from("durable jobs secret, 32 bytes!!!").toString("base64")}`;
const PROBLEMS = ["anagram-classes", "bracket-check", "closest-values", "count-at-most"];
const N = 10;

interface Proc {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** One backend process (no tsx wrapper: SIGKILL reaches the process that holds the state). */
async function startProcess(env: Record<string, string>): Promise<Proc> {
  const child = spawn(process.execPath, ["--import", "tsx", SERVER], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", BACKEND_TOKEN: TOKEN, BACKEND_WEBHOOK_SECRET: SECRET, SAMPLER: "demo", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (match) return { url: match[1]!, child, output: () => out };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`backend did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function kill(proc: Proc): Promise<void> {
  const exited = new Promise((done) => proc.child.once("exit", done));
  proc.child.kill("SIGKILL");
  await exited;
}

async function stop(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((done) => proc.child.once("exit", done));
  proc.child.kill("SIGTERM");
  await exited;
}

const api = async (base: string, route: string, init: RequestInit = {}) => {
  const res = await fetch(`${base}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
  });
  return { status: res.status, body: (await res.json()) as any };
};

interface Receiver {
  url: string;
  /** Events by webhook-id, first delivery only (what the edge keeps). */
  events: Map<string, { type: string; data: any }>;
  deliveries: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const webhook = new Webhook(SECRET);
  const events = new Map<string, { type: string; data: any }>();
  const receiver = { url: "", events, deliveries: 0, close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    try {
      const event = webhook.verify(body, req.headers as Record<string, string>) as { type: string; data: any };
      receiver.deliveries++;
      const id = String(req.headers["webhook-id"]);
      if (!events.has(id)) events.set(id, event);
      res.writeHead(204).end();
    } catch {
      res.writeHead(401).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  receiver.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/events`;
  receiver.close = () => new Promise((done) => server.close(() => done()));
  return receiver;
}

const keyOf = (c: { problem_id: string; index: number }) => `${c.problem_id}#${c.index}`;

let root: string;
let receiver: Receiver;
const running: Proc[] = [];

beforeAll(async () => {
  root = await tempDir("durable-");
  receiver = await startReceiver();
});

afterAll(async () => {
  for (const proc of running) await stop(proc);
  await receiver.close();
  await removeTempDirs();
});

async function start(env: Record<string, string>): Promise<Proc> {
  const proc = await startProcess(env);
  running.push(proc);
  return proc;
}

describe("durable backend jobs", () => {
  it("SIGKILL mid-sampling: the restarted backend keeps what was produced, produces the rest, and delivers every completion once", async () => {
    const env = {
      BACKEND_STATE_DIR: path.join(root, "state-sampling"),
      MERGE_OUTPUT_DIR: path.join(root, "outputs-sampling"),
      DEMO_DECODE_MS: "40",
      CALLBACK_CHUNK_SIZE: "4",
      CALLBACK_RETRY_BASE_MS: "20",
    };
    const request = {
      checkpoint: `file://${DEMO_CHECKPOINT}`,
      problems: PROBLEMS.map((id) => ({ id, prompt: "" })),
      n: N,
      temperature: 1,
      top_p: 1,
      max_tokens: 4096,
      seed: 7,
      callback: receiver.url,
    };
    const first = await start(env);
    const created = await api(first.url, "/v1/samples", { method: "POST", body: JSON.stringify(request) });
    expect(created.status).toBe(202);
    const id = created.body.id as string;

    // Read pages as the edge does until some completions are in, then kill the process.
    const received: any[] = [];
    let cursor = 0;
    while (received.length < 8) {
      const page = await api(first.url, `/v1/samples/${id}?cursor=${cursor}&limit=3`);
      expect(page.status).toBe(200);
      received.push(...page.body.completions);
      cursor = page.body.next_cursor;
      await new Promise((r) => setTimeout(r, 20));
    }
    await kill(first);
    expect(received.length).toBeLessThan(PROBLEMS.length * N);

    // Started again on the same state directory (the dead owner's lock is taken over).
    const second = await start(env);
    expect(second.output()).toContain("resumed 1 sampling");
    const again = await api(second.url, `/v1/samples/${id}?cursor=0&limit=1000`);
    expect(again.status).toBe(200);
    // What the killed process had produced is still there, in the same order.
    expect(again.body.completions.slice(0, received.length)).toEqual(received);
    for (;;) {
      const page = await api(second.url, `/v1/samples/${id}?cursor=${cursor}&limit=5`);
      received.push(...page.body.completions);
      if (page.body.next_cursor === null) {
        expect(page.body).toMatchObject({ status: "succeeded", expected: 40, produced: 40 });
        break;
      }
      cursor = page.body.next_cursor;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(received).toHaveLength(PROBLEMS.length * N);
    expect(new Set(received.map(keyOf)).size).toBe(PROBLEMS.length * N);

    // The same completions as an uninterrupted run (the demo is seeded per problem and index).
    const sampler = new DemoSampler({ resolver: resolverConfigFromEnv({}), decodeMs: 0 });
    const { callback: _callback, ...plain } = request;
    const expected = new Map<string, string>();
    for await (const c of sampler.sample(plain)) expected.set(keyOf(c), c.text);
    for (const c of received) expect(c.text).toBe(expected.get(keyOf(c)));

    // Callbacks: chunks by id, once each; together every completion exactly once; one completed event.
    const deadline = Date.now() + 20_000;
    while (![...receiver.events.values()].some((e) => e.type === "samples.completed" && e.data.job_id === id) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const mine = [...receiver.events.entries()].filter(([, e]) => e.data.job_id === id);
    const chunks = mine.filter(([, e]) => e.type === "samples.chunk");
    const called = chunks.flatMap(([, e]) => e.data.completions);
    expect(called).toHaveLength(PROBLEMS.length * N);
    expect(new Set(called.map(keyOf)).size).toBe(PROBLEMS.length * N);
    expect(chunks.map(([, e]) => e.data.seq).sort((a, b) => a - b)).toEqual(chunks.map((_, i) => i));
    const completed = mine.filter(([, e]) => e.type === "samples.completed");
    expect(completed).toHaveLength(1);
    expect(completed[0]![1].data).toMatchObject({ completions: 40, chunks: chunks.length });
    await stop(second);
  }, 120_000);

  it("one process owns a state directory", async () => {
    const env = { BACKEND_STATE_DIR: path.join(root, "state-lock"), MERGE_OUTPUT_DIR: path.join(root, "outputs-lock") };
    const owner = await start(env);
    await expect(startProcess(env)).rejects.toThrow(new RegExp(`in use by process ${owner.child.pid}`));
    await stop(owner);
    const next = await start(env);
    expect((await api(next.url, "/v1/health")).status).toBe(200);
    await stop(next);
  }, 120_000);

  it("SIGKILL mid-merge: the restarted backend runs the merge again from an empty folder; one result, one callback", async () => {
    const a = await singleFileCheckpoint(path.join(root, "a"), 1);
    const b = await singleFileCheckpoint(path.join(root, "b"), 2, { specials: false });
    const outputs = path.join(root, "outputs-merge");
    const env = { BACKEND_STATE_DIR: path.join(root, "state-merge"), MERGE_OUTPUT_DIR: outputs, MERGE_START_DELAY_MS: "1500", CALLBACK_RETRY_BASE_MS: "20" };
    const first = await start(env);
    const parents = [
      { url: `file://${a}`, coefficient: 1.5 },
      { url: `file://${b}`, coefficient: -0.5 },
    ];
    const created = await api(first.url, "/v1/merges", { method: "POST", body: JSON.stringify({ parents, callback: receiver.url }) });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    for (;;) {
      const job = await api(first.url, `/v1/merges/${id}`);
      if (job.body.status === "running") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await kill(first);

    const second = await start({ ...env, MERGE_START_DELAY_MS: "0" });
    expect(second.output()).toContain("1 merge jobs");
    let job: any;
    for (;;) {
      job = (await api(second.url, `/v1/merges/${id}`)).body;
      if (job.status === "succeeded" || job.status === "failed") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job.status).toBe("succeeded");
    // The same bytes as a merge never interrupted.
    const reference = path.join(root, "reference");
    await mergeCheckpoints({ parents, outDir: reference, resolver: resolverConfigFromEnv({}) });
    const folder = fileURLToPath(job.output.url);
    expect((await readdir(folder)).sort()).toEqual((await readdir(reference)).sort());
    expect(Buffer.compare(await readFile(path.join(folder, "model.safetensors")), await readFile(path.join(reference, "model.safetensors")))).toBe(0);
    const deadline = Date.now() + 20_000;
    while (![...receiver.events.values()].some((e) => e.type === "merge.completed" && e.data.job_id === id) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect([...receiver.events.values()].filter((e) => e.data.job_id === id).map((e) => e.type)).toEqual(["merge.completed"]);
    await stop(second);
  }, 120_000);
});
