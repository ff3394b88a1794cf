// The backend over real HTTP: merge jobs to completion, sampling jobs paged and called back with
// Standard Webhooks signatures verified by the standardwebhooks package.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { BackendEventSchema, BackendHealthSchema, MergeJobSchema, SamplePageSchema } from "@frontier/contracts";
import { startBackend, type RunningBackend } from "../../../workers/gpu-backend/src/server.ts";
import { mergeCheckpoints } from "../../../workers/gpu-backend/src/merge/engine.ts";
import { Checkpoint, resolverConfigFromEnv, writeSafetensors } from "../../../workers/gpu-backend/src/safetensors/index.ts";
import { fixtureTensors, singleFileCheckpoint, tempDir, removeTempDirs } from "./fixtures.ts";
import { answerCheckpoint, VLLM_DOUBLE } from "./doubles/checkpoints.ts";

const TOKEN = "test-token";
const SECRET = `whsec_${Buffer.from("a secret of thirty-two bytes!!!!").toString("base64")}`;

interface Receiver {
  url: string;
  events: { id: string; type: string; data: any }[];
  /** Bodies that did not match the contract's BackendEventSchema. */
  invalid: unknown[];
  attempts: number;
  /** Answer this many requests with 500 before accepting. */
  failFirst: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const webhook = new Webhook(SECRET);
  const receiver: Receiver = { url: "", events: [], invalid: [], attempts: 0, failFirst: 0, close: async () => {} };
  const seen = new Set<string>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    receiver.attempts++;
    let event: { type: string; data: unknown };
    try {
      event = webhook.verify(body, req.headers as Record<string, string>) as typeof event;
    } catch {
      return void res.writeHead(401).end();
    }
    // What the edge does with a callback: check it against the contract.
    if (!BackendEventSchema.safeParse(JSON.parse(body)).success) {
      receiver.invalid.push(JSON.parse(body));
      return void res.writeHead(422).end();
    }
    if (receiver.failFirst > 0) {
      receiver.failFirst--;
      return void res.writeHead(500).end();
    }
    const id = String(req.headers["webhook-id"]);
    if (!seen.has(id)) {
      seen.add(id);
      receiver.events.push({ id, type: event.type, data: event.data });
    }
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("gpu-backend service", () => {
  let backend: RunningBackend;
  let receiver: Receiver;
  let served: string;
  let requestLog: string;
  let root: string;
  let outputs: string;
  let a: string;
  let b: string;
  type JsonResponse = Omit<Response, "json"> & { json(): Promise<any> };
  const api = (route: string, init: RequestInit = {}): Promise<JsonResponse> =>
    fetch(`${backend.url}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...init.headers },
    }) as unknown as Promise<JsonResponse>;

  beforeAll(async () => {
    root = await tempDir("service-");
    outputs = path.join(root, "outputs");
    a = await singleFileCheckpoint(path.join(root, "a"), 1);
    b = await singleFileCheckpoint(path.join(root, "b"), 2, { specials: false });
    receiver = await startReceiver();
    served = await answerCheckpoint(path.join(root, "served"), 0.5);
    requestLog = path.join(root, "requests.jsonl");
    process.env.DOUBLE_REQUEST_LOG = requestLog;
    backend = await startBackend({
      PORT: "0",
      BACKEND_TOKEN: TOKEN,
      BACKEND_WEBHOOK_SECRET: SECRET,
      MERGE_OUTPUT_DIR: outputs,
      BACKEND_STATE_DIR: path.join(root, "state"),
      SAMPLER: "vllm",
      VLLM_BIN: VLLM_DOUBLE,
      CALLBACK_CHUNK_SIZE: "4",
      CALLBACK_RETRY_BASE_MS: "20",
      CALLBACK_MAX_ATTEMPTS: "4",
    });
  });
  afterAll(async () => {
    await backend?.close();
    await receiver?.close();
    delete process.env.DOUBLE_REQUEST_LOG;
    await removeTempDirs();
  });

  it("answers health without a token and everything else only with it, as problem+json", async () => {
    const health = (await fetch(`${backend.url}/v1/health`)) as unknown as JsonResponse;
    expect(health.status).toBe(200);
    expect(BackendHealthSchema.parse(await health.json())).toMatchObject({ status: "ok", sampler: "vllm" });
    for (const route of ["/v1/merges/x", "/v1/samples/x", "/openapi.json"]) {
      const response = (await fetch(`${backend.url}${route}`, { headers: { authorization: "Bearer wrong" } })) as unknown as JsonResponse;
      expect(response.status, route).toBe(401);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ title: "Unauthorized", status: 401 });
    }
    const missing = await api("/v1/merges/mrg_nope");
    expect(missing.status).toBe(404);
    expect((await missing.json()).detail).toMatch(/mrg_nope/);
  });

  it("publishes an OpenAPI document for its routes", async () => {
    const doc = await (await api("/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/v1/checkpoints/resolve",
      "/v1/health",
      "/v1/merges",
      "/v1/merges/{id}",
      "/v1/merges/{id}/output",
      "/v1/samples",
      "/v1/samples/{id}",
    ]);
    expect(doc.components.schemas.MergeRequest.required).toContain("parents");
  });

  it("refuses bad input with 4xx problem+json, never a 500", async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ["/v1/merges", { parents: [{ url: a, coefficient: 0.4 }] }, 422, /sum to 0.4, not 1/],
      ["/v1/merges", { parents: [{ url: "ftp://x/y", coefficient: 1 }] }, 422, /unsupported scheme/],
      ["/v1/merges", { parents: [] }, 422, /parents/],
      ["/v1/merges", { parents: [{ url: a, coefficient: 1 }], out_dtype: "F8" }, 422, /out_dtype/],
      ["/v1/samples", { checkpoint: "x", problems: [{ id: "p", prompt: "" }], n: 0, temperature: 1, top_p: 1, max_tokens: 8, seed: 1 }, 422, /n:/],
      [
        "/v1/samples",
        {
          checkpoint: "x",
          problems: [
            { id: "p", prompt: "" },
            { id: "p", prompt: "" },
          ],
          n: 1,
          temperature: 1,
          top_p: 1,
          max_tokens: 8,
          seed: 1,
        },
        422,
        /unique/,
      ],
    ];
    for (const [route, body, status, detail] of cases) {
      const response = await api(route, { method: "POST", body: JSON.stringify(body) });
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect((await response.json()).detail).toMatch(detail);
    }
    const malformed = await api("/v1/merges", { method: "POST", body: "{" });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("content-type")).toBe("application/problem+json");
  });

  it("runs a merge job to completion: the files it reports are the files on disk, identical to the library's", async () => {
    const parents = [
      { url: a, coefficient: -0.5 },
      { url: `file://${b}`, coefficient: 1.5 },
    ];
    const created = await api("/v1/merges", { method: "POST", body: JSON.stringify({ parents, callback: receiver.url }) });
    expect(created.status).toBe(202);
    const job = await created.json();
    expect(created.headers.get("location")).toBe(`/v1/merges/${job.id}`);
    expect(job.status).toMatch(/queued|running/);

    const done = await until(async () => {
      const current = await (await api(`/v1/merges/${job.id}`)).json();
      return current.status === "succeeded" || current.status === "failed" ? current : undefined;
    }, "merge job");
    expect(MergeJobSchema.safeParse(done).success).toBe(true);
    expect(done.error).toBeNull();
    expect(done.output.tensors).toBe(8);
    expect(done.output.url).toMatch(/^file:\/\/.*\/$/);
    const folder = fileURLToPath(done.output.url);
    expect(folder.startsWith(outputs)).toBe(true);
    expect(done.output.files.map((f: { name: string }) => f.name)).toEqual(["config.json", "model.safetensors", "tokenizer.json"]);
    for (const file of done.output.files) {
      const bytes = await readFile(path.join(folder, file.name));
      expect(bytes.byteLength).toBe(file.bytes);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(file.sha256);
    }
    const direct = await mergeCheckpoints({ parents, outDir: path.join(root, "direct"), resolver: resolverConfigFromEnv({}) });
    expect(direct.files).toEqual(done.output.files);
    // The output URL is itself a checkpoint location samplers can open.
    const published = await Checkpoint.open(done.output.url, resolverConfigFromEnv({}));
    expect(published.tensors.size).toBe(8);
    await published.close();

    const event = await until(async () => receiver.events.find((e) => e.data.job_id === job.id), "merge.completed");
    expect(event).toMatchObject({ id: `${job.id}.completed`, type: "merge.completed", data: { output: { url: done.output.url, tensors: 8 } } });
  });

  it("reports a failed merge with the mismatched tensor's name, and calls back merge.failed", async () => {
    const odd = path.join(root, "odd.safetensors");
    const tensors = { ...fixtureTensors(5), "model.layers.0.mlp.up_proj.weight": { dtype: "BF16" as const, shape: [24, 48], data: new Uint16Array(24 * 48) } };
    await writeSafetensors(odd, tensors);
    const created = await (
      await api("/v1/merges", {
        method: "POST",
        body: JSON.stringify({
          parents: [
            { url: a, coefficient: 0.5 },
            { url: odd, coefficient: 0.5 },
          ],
          callback: receiver.url,
        }),
      })
    ).json();
    const done = await until(async () => {
      const current = await (await api(`/v1/merges/${created.id}`)).json();
      return current.status === "failed" ? current : undefined;
    }, "failed merge");
    expect(done.output).toBeNull();
    expect(done.error).toMatchObject({ title: "Parents do not match", code: "incompatible_parents" });
    expect(done.error.detail).toMatch(/'model.layers.0.mlp.up_proj.weight' is BF16\[24, 48\] vs BF16\[48, 24\]/);
    const event = await until(async () => receiver.events.find((e) => e.data.job_id === created.id), "merge.failed");
    expect(event.type).toBe("merge.failed");
  });

  it("samples, pages results by cursor, and delivers signed chunks in order despite failed deliveries", async () => {
    receiver.failFirst = 2;
    const problems = Array.from({ length: 5 }, (_, i) => ({ id: `lcb/${i}`, messages: [{ role: "user", content: `Problem ${i}: print the answer.` }] }));
    const body = {
      checkpoint: served,
      problems,
      n: 2,
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 32,
      seed: 7,
      stop: ["```"],
      callback: receiver.url,
    };
    const created = await api("/v1/samples", { method: "POST", body: JSON.stringify(body) });
    expect(created.status).toBe(202);
    const job = await created.json();
    expect(job).toMatchObject({ checkpoint: served, expected: 10 });

    await until(async () => ((await (await api(`/v1/samples/${job.id}?limit=1`)).json()).status === "succeeded" ? true : undefined), "sampling job");
    const paged: unknown[] = [];
    let cursor: number | null = 0;
    let pages = 0;
    while (cursor !== null) {
      const page = SamplePageSchema.parse(await (await api(`/v1/samples/${job.id}?cursor=${cursor}&limit=3`)).json());
      paged.push(...page.completions);
      cursor = page.next_cursor;
      pages++;
    }
    expect(pages).toBe(4);
    expect(paged).toHaveLength(10);
    expect(paged.map((c: any) => `${c.problem_id}#${c.index}`)).toEqual(problems.flatMap((p) => [`${p.id}#0`, `${p.id}#1`]));
    const sent = (await readFile(requestLog, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(sent).toHaveLength(5);
    for (const request of sent) {
      expect(request.body).toMatchObject({
        model: expect.stringMatching(/^ckpt-/),
        n: 2,
        temperature: 0.7,
        top_p: 0.9,
        max_tokens: 32,
        seed: 7,
        stop: ["```"],
      });
    }
    expect((paged[0] as any).sampled_from).toMatchObject({ checkpoint: served, sampler: "vllm" });

    const completed = await until(async () => receiver.events.find((e) => e.type === "samples.completed" && e.data.job_id === job.id), "samples.completed");
    const chunks = receiver.events.filter((e) => e.type === "samples.chunk" && e.data.job_id === job.id);
    expect(chunks.map((c) => c.data.seq)).toEqual([0, 1, 2]);
    expect(chunks.map((c) => c.id)).toEqual([0, 1, 2].map((seq) => `${job.id}.chunk.${seq}`));
    expect(chunks.map((c) => c.data.final)).toEqual([false, false, true]);
    expect(chunks.flatMap((c) => c.data.completions)).toEqual(paged);
    expect(completed.data).toEqual({ job_id: job.id, checkpoint: served, completions: 10, chunks: 3 });
    const status = await (await api(`/v1/samples/${job.id}?limit=1`)).json();
    expect(status.callback).toEqual({ url: receiver.url, delivered: 4, pending: 0, error: null });
  });

  it("fails a sampling job the server cannot serve and calls back samples.failed", async () => {
    const created = await (
      await api("/v1/samples", {
        method: "POST",
        body: JSON.stringify({
          checkpoint: "file:///ckpt/unknown",
          problems: [{ id: "p", prompt: "x" }],
          n: 1,
          temperature: 0,
          top_p: 1,
          max_tokens: 4,
          seed: 0,
          callback: receiver.url,
        }),
      })
    ).json();
    const event = await until(async () => receiver.events.find((e) => e.type === "samples.failed" && e.data.job_id === created.id), "samples.failed");
    expect(event.data.error.detail).toMatch(/file:\/\/\/ckpt\/unknown: does not exist/);
    const page = await (await api(`/v1/samples/${created.id}`)).json();
    expect(SamplePageSchema.safeParse(page).success).toBe(true);
    expect(page).toMatchObject({ status: "failed", completions: [], next_cursor: null });
  });

  it("answers bad query parameters with 400 (bodies are 422)", async () => {
    const response = await api("/v1/samples/smp_x?limit=0");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect((await response.json()).errors).toEqual([expect.objectContaining({ path: "limit" })]);
  });

  it("sent only callbacks that match the contract's BackendEventSchema", () => {
    expect(new Set(receiver.events.map((e) => e.type))).toEqual(
      new Set(["merge.completed", "merge.failed", "samples.chunk", "samples.completed", "samples.failed"]),
    );
    expect(receiver.invalid).toEqual([]);
  });
});
