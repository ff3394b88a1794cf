import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAISampler } from "../../../workers/gpu-backend/src/samplers/openai.ts";
import { createSampler, samplerConfigFromEnv } from "../../../workers/gpu-backend/src/samplers/registry.ts";
import type { Completion, SampleRequest } from "../../../workers/gpu-backend/src/samplers/types.ts";
import { fakeText, startFakeVllm, type FakeVllm } from "./fake-vllm.ts";

const request = (checkpoint: string, overrides: Partial<SampleRequest> = {}): SampleRequest => ({
  checkpoint,
  problems: [
    { id: "p1", prompt: "Write solve() for problem one." },
    { id: "p2", prompt: "Write solve() for problem two." },
    { id: "p3", prompt: "Write solve() for problem three." },
  ],
  n: 3,
  temperature: 0.8,
  top_p: 0.95,
  max_tokens: 64,
  seed: 42,
  ...overrides,
});

async function collect(iterable: AsyncIterable<Completion>): Promise<Completion[]> {
  const out: Completion[] = [];
  for await (const completion of iterable) out.push(completion);
  return out;
}

describe("openai sampler against a vLLM-shaped server", () => {
  let vllm: FakeVllm;
  let other: FakeVllm;
  beforeAll(async () => {
    vllm = await startFakeVllm(["ckpt-a", "served-b"]);
    other = await startFakeVllm(["file:///ckpt/c"]);
  });
  afterAll(async () => {
    await Promise.all([vllm.close(), other.close()]);
  });

  it("sends every sampling parameter explicitly and returns n completions per problem, in order", async () => {
    vllm.requests.length = 0;
    const sampler = new OpenAISampler({ url: vllm.url, concurrency: 2 });
    const completions = await collect(sampler.sample(request("ckpt-a", { stop: ["```"] })));
    expect(completions.map((c) => `${c.problem_id}/${c.index}`)).toEqual(["p1/0", "p1/1", "p1/2", "p2/0", "p2/1", "p2/2", "p3/0", "p3/1", "p3/2"]);
    expect(completions[4].text).toBe(fakeText("ckpt-a", "Write solve() for problem two.", 42, 1).split("```")[0]);
    expect(completions.every((c) => c.finish_reason === "stop")).toBe(true);
    expect(vllm.requests).toHaveLength(3);
    for (const { path, body } of vllm.requests) {
      expect(path).toBe("/v1/completions");
      expect(body).toEqual({ model: "ckpt-a", prompt: expect.any(String), n: 3, temperature: 0.8, top_p: 0.95, max_tokens: 64, seed: 42, stop: ["```"] });
    }
  });

  it("reports length-capped completions and token counts when n is 1", async () => {
    const sampler = new OpenAISampler({ url: vllm.url, model: "served-b" });
    const completions = await collect(sampler.sample(request("file:///anything", { n: 1, max_tokens: 2 })));
    expect(completions).toHaveLength(3);
    for (const completion of completions) {
      expect(completion.finish_reason).toBe("length");
      expect(completion.tokens).toBe(2);
    }
    const sent = vllm.requests.at(-1)!.body;
    expect(sent.model).toBe("served-b");
    expect(sent.stop).toEqual([]);
  });

  it("routes each checkpoint to its own server through the servers map", async () => {
    other.requests.length = 0;
    const sampler = new OpenAISampler({ url: vllm.url, servers: { "file:///ckpt/c": other.url } });
    const completions = await collect(sampler.sample(request("file:///ckpt/c", { n: 1 })));
    expect(completions).toHaveLength(3);
    expect(other.requests).toHaveLength(3);
  });

  it("retries a warming-up server and fails clearly on an unknown model", async () => {
    vllm.failNext = 2;
    const sampler = new OpenAISampler({ url: vllm.url, retryBaseMs: 5, concurrency: 1 });
    expect(await collect(sampler.sample(request("ckpt-a", { n: 1 })))).toHaveLength(3);
    await expect(collect(new OpenAISampler({ url: vllm.url, retryBaseMs: 5 }).sample(request("nope")))).rejects.toThrow(
      /HTTP 404: .*The model `nope` does not exist/,
    );
  });

  it("loads each checkpoint into SGLang with update_weights_from_disk before sampling it, once", async () => {
    vllm.requests.length = 0;
    const sampler = new OpenAISampler({ url: vllm.url, model: "ckpt-a", switchMode: "sglang" });
    await collect(sampler.sample(request("file:///ckpt/merged-1/", { n: 1 })));
    await collect(sampler.sample(request("file:///ckpt/merged-1/", { n: 1 })));
    await collect(sampler.sample(request("hf://org/run@step-10", { n: 1 })));
    const paths = vllm.requests.map((r) => (r.path === "/update_weights_from_disk" ? `load ${r.body.model_path}` : "sample"));
    expect(paths).toEqual([
      "load /ckpt/merged-1",
      "sample",
      "sample",
      "sample",
      "sample",
      "sample",
      "sample",
      "load org/run@step-10",
      "sample",
      "sample",
      "sample",
    ]);
    vllm.badPaths.add("/ckpt/broken");
    await expect(collect(sampler.sample(request("file:///ckpt/broken", { n: 1 })))).rejects.toThrow(
      /update_weights_from_disk failed: HTTP 400.*Failed to get weights iterator/,
    );
  });

  it("jobs for different checkpoints take turns on one SGLang server", async () => {
    vllm.requests.length = 0;
    const sampler = new OpenAISampler({ url: vllm.url, model: "ckpt-a", switchMode: "sglang", concurrency: 3 });
    await Promise.all([collect(sampler.sample(request("file:///x", { n: 1 }))), collect(sampler.sample(request("file:///y", { n: 1 })))]);
    const order = vllm.requests.map((r) => (r.path === "/update_weights_from_disk" ? String(r.body.model_path) : "s"));
    expect(order).toEqual(["/x", "s", "s", "s", "/y", "s", "s", "s"]);
  });
});

describe("sampler registry", () => {
  it("picks openai when SAMPLER_URL is set and parses SAMPLER_SERVERS", async () => {
    const sampler = await createSampler(samplerConfigFromEnv({ SAMPLER_URL: "http://127.0.0.1:1", SAMPLER_SERVERS: '{"a":"http://127.0.0.1:2"}' }));
    expect(sampler.name).toBe("openai");
    expect((sampler as OpenAISampler).target("a").url).toBe("http://127.0.0.1:2");
    expect(() => samplerConfigFromEnv({ SAMPLER_SERVERS: "{nope" })).toThrow(/SAMPLER_SERVERS must be JSON/);
  });

  it("picks the demo sampler otherwise", async () => {
    const config = samplerConfigFromEnv({});
    expect(config.kind).toBe("demo");
    const sampler = await createSampler(config);
    expect(sampler.name).toBe("demo");
    expect(typeof sampler.sample).toBe("function");
  });
});
