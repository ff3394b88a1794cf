// The demo policy: the committed checkpoints are what the training script produces, they are real
// safetensors that the backend's merge engine merges, extrapolation changes the softmax, and the
// demo sampler draws reproducibly and answers like an LLM.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKPOINTS_DIR, demoConfig, initBase, train, trainingData, writeCheckpoint } from "../../packs/demo-policy/train.ts";
import { bundledSplit } from "../../packs/split.ts";
import { loadData, type ProblemData } from "../../packs/demo-policy/data.ts";
import { readParams, stats } from "../../packs/demo-policy/report.ts";
import { loadPool } from "../../packs/generator/judging.ts";
import { mergeCheckpoints } from "../../workers/gpu-backend/src/merge/engine.ts";
import { SafetensorsFile } from "../../workers/gpu-backend/src/safetensors/index.ts";
import { DemoSampler } from "../../workers/gpu-backend/src/samplers/demo.ts";
import { createSampler } from "../../workers/gpu-backend/src/samplers/registry.ts";
import { resolverConfigFromEnv } from "../../workers/gpu-backend/src/safetensors/source.ts";
import type { Completion, SampleRequest } from "../../workers/gpu-backend/src/samplers/types.ts";
import type { DemoConfig } from "../../workers/gpu-backend/src/samplers/demo-model.ts";

const ckpt = (name: string) => join(CHECKPOINTS_DIR, name);
let work: string;
let config: DemoConfig;
let data: ProblemData[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "frontier-demo-test-"));
  config = await demoConfig();
  data = await loadData(config);
});
afterAll(async () => rm(work, { recursive: true, force: true }));

async function collect(sampler: DemoSampler, request: SampleRequest): Promise<Completion[]> {
  const out: Completion[] = [];
  for await (const c of sampler.sample(request)) out.push(c);
  return out;
}

describe("the training / held-out split", () => {
  it("holds out ≥ 30 problems, seeded; the policy trains on the training split only", async () => {
    const split = bundledSplit();
    expect(split.held_out.length).toBe(30);
    expect(split.training.length).toBe(data.length - 30);
    expect(split.training.filter((id) => split.held_out.includes(id))).toEqual([]);
    expect(bundledSplit()).toEqual(split);
    const training = await trainingData(config);
    expect(training.map((p) => p.id).sort()).toEqual(split.training);
  });
});

describe("demo checkpoints", () => {
  it("are byte for byte what `npm run demo:train` produces", { timeout: 60_000 }, async () => {
    const base = initBase(config);
    const training = await trainingData(config);
    const fresh = { base, "low-coverage": train(config, base, training, "low-coverage"), "high-coverage": train(config, base, training, "high-coverage") };
    for (const [name, params] of Object.entries(fresh)) {
      const committed = await readParams(ckpt(name));
      for (const tensor of Object.keys(params) as (keyof typeof params)[]) expect([...committed[tensor]], `${name}/${tensor}`).toEqual([...params[tensor]]);
    }
    // and the whole file, metadata included, is reproduced
    const dir = join(work, "retrained");
    const committedFile = await SafetensorsFile.open(join(ckpt("high-coverage"), "model.safetensors"));
    const metadata = committedFile.metadata!;
    await committedFile.close();
    await writeCheckpoint(dir, config, fresh["high-coverage"], {
      "frontier.demo": metadata["frontier.demo"]!,
      "frontier.role": "high-coverage",
      "frontier.reward": "passes every tier",
    });
    expect(Buffer.compare(await readFile(join(dir, "model.safetensors")), await readFile(join(ckpt("high-coverage"), "model.safetensors")))).toBe(0);
  });

  it("are real safetensors with the config's shapes, and training moved both endpoints", async () => {
    const file = await SafetensorsFile.open(join(ckpt("base"), "model.safetensors"));
    expect(Object.fromEntries(file.tensors.map((t) => [t.name, t.shape]))).toEqual({
      "encoder.bias": [config.hidden],
      "encoder.weight": [config.hidden, config.problem_features.length],
      "scorer.bias": [config.candidate_features.length],
      "scorer.weight": [config.candidate_features.length, config.hidden],
    });
    await file.close();
    const base = stats(config, await readParams(ckpt("base")), data);
    const low = stats(config, await readParams(ckpt("low-coverage")), data);
    const high = stats(config, await readParams(ckpt("high-coverage")), data);
    // each reward raised what it pays for
    expect(high.pass1).toBeGreaterThan(base.pass1 + 0.05);
    expect(low.passSmall).toBeGreaterThan(base.passSmall + 0.05);
    expect(low.pass1).not.toBeCloseTo(high.pass1, 3);
  });

  it("merge with the backend's engine: α = 0 copies a parent, extrapolation changes the softmax", { timeout: 60_000 }, async () => {
    const merge = async (alpha: number) => {
      const outDir = join(work, `merge_${alpha}`);
      await mergeCheckpoints({
        parents: [
          { url: ckpt("low-coverage"), coefficient: 1 - alpha },
          { url: ckpt("high-coverage"), coefficient: alpha },
        ],
        outDir,
      });
      return outDir;
    };
    const zero = await merge(0);
    const low = await readParams(ckpt("low-coverage"));
    expect([...(await readParams(zero))["scorer.weight"]]).toEqual([...low["scorer.weight"]]);
    const high = stats(config, await readParams(ckpt("high-coverage")), data);
    const beyond = stats(config, await readParams(await merge(1.5)), data);
    const before = stats(config, await readParams(await merge(-0.5)), data);
    expect(Math.abs(beyond.pass1 - high.pass1)).toBeGreaterThan(0.005);
    expect(beyond.pAC.some((p, i) => Math.abs(p - high.pAC[i]!) > 0.02)).toBe(true);
    expect(before.pAC.some((p, i) => Math.abs(p - stats(config, low, data).pAC[i]!) > 0.02)).toBe(true);
    // the merged folder carries config.json, so the sampler can use it directly
    expect(JSON.parse(await readFile(join(zero, "config.json"), "utf8")).model_type).toBe("frontier-demo-policy");
  });
});

describe("demo sampler", () => {
  const request = (over: Partial<SampleRequest> = {}): SampleRequest => ({
    checkpoint: `${pathToFileURL(ckpt("high-coverage")).href}/`,
    problems: [
      { id: "range-sum", prompt: "…" },
      { id: "max-subarray", prompt: "…" },
    ],
    n: 12,
    temperature: 1,
    top_p: 1,
    max_tokens: 4096,
    seed: 42,
    ...over,
  });

  it("draws reproducibly and returns a candidate's source in a fenced block", async () => {
    const sampler = new DemoSampler();
    const first = await collect(sampler, request());
    const again = await collect(new DemoSampler(), request());
    expect(again).toEqual(first);
    expect(first.map((c) => `${c.problem_id}#${c.index}`)).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `range-sum#${i}`),
      ...Array.from({ length: 12 }, (_, i) => `max-subarray#${i}`),
    ]);
    const pool = await loadPool("range-sum");
    for (const c of first.filter((c) => c.problem_id === "range-sum")) {
      expect(c.finish_reason).toBe("stop");
      const match = /^Here is a (Python|C\+\+) solution\.\n\n```(python|cpp)\n([\s\S]*)\n```\n$/.exec(c.text);
      expect(match).not.toBeNull();
      expect(pool.some((p) => p.code.trimEnd() === match![3] && p.language === match![2])).toBe(true);
    }
    const otherSeed = await collect(sampler, request({ seed: 43 }));
    expect(otherSeed.map((c) => c.text)).not.toEqual(first.map((c) => c.text));
  });

  it("follows temperature and top_p, and the checkpoint", async () => {
    const sampler = new DemoSampler();
    const dist = await sampler.distribution(request().checkpoint, "range-sum");
    const top = dist.reduce((a, b) => (b.probability > a.probability ? b : a));
    const pool = await loadPool("range-sum");
    const topCode = pool.find((p) => p.name === top.name)!.code.trimEnd();
    for (const over of [{ temperature: 0 }, { top_p: 1e-6 }]) {
      const greedy = await collect(sampler, request({ ...over, problems: [{ id: "range-sum", prompt: "" }] }));
      for (const c of greedy) expect(c.text).toContain(topCode);
    }
    const lowDist = await sampler.distribution(pathToFileURL(ckpt("low-coverage")).href, "range-sum");
    expect(lowDist.map((d) => d.probability)).not.toEqual(dist.map((d) => d.probability));
    expect(dist.reduce((s, d) => s + d.probability, 0)).toBeCloseTo(1, 9);
  });

  it("reports unknown problems as errors, and is what the backend's registry picks by default", async () => {
    const sampler = new DemoSampler();
    const out = await collect(sampler, request({ problems: [{ id: "no-such-problem", prompt: "" }], n: 2 }));
    expect(out.map((c) => c.finish_reason)).toEqual(["error", "error"]);
    const registered = await createSampler({ kind: "demo", resolver: resolverConfigFromEnv({}) });
    expect(registered.name).toBe("demo");
  });
});
