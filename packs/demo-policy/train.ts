// `npm run demo:train`: builds the demo policy's three checkpoints.
//  - base: a seeded random initialisation (the "pretrained" model both runs start from);
//  - low-coverage: REINFORCE from base, reward 1 when the sampled program passes the `small` tier;
//  - high-coverage: REINFORCE from base, reward 1 when it passes every tier.
// Both runs train on the training split only (packs/split.ts); the held-out problems are what the
// demo evaluates on. Rewards come from the executor's recorded verdicts (packs/bundled/verdicts.json). Deterministic:
// fixed seeds, fixed order, no wall-clock input; the outputs are byte-identical on every run.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSafetensors } from "../../workers/gpu-backend/src/safetensors/index.ts";
import {
  CANDIDATE_FEATURES,
  forward,
  mulberry32,
  shapes,
  softmax,
  draw,
  TENSORS,
  type DemoConfig,
  type Params,
} from "../../workers/gpu-backend/src/samplers/demo-model.ts";
import { bundledSplit } from "../split.ts";
import { loadData, loadTags, type ProblemData } from "./data.ts";

export const CHECKPOINTS_DIR = fileURLToPath(new URL("./checkpoints/", import.meta.url));

export const TRAINING = {
  seed: 7,
  hidden: 8,
  steps: 40,
  /** Programs sampled per problem per step (the group whose mean reward is the baseline). */
  group: 8,
  learningRate: 0.5,
  /** Scale of the base's random weights. */
  initScale: 0.6,
} as const;

export type Reward = "low-coverage" | "high-coverage";

export function reward(kind: Reward, candidate: ProblemData["candidates"][number], tiers: number): number {
  return kind === "low-coverage" ? (candidate.tiersPassed >= 1 ? 1 : 0) : candidate.tiersPassed >= tiers ? 1 : 0;
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export function initBase(config: DemoConfig): Params {
  const rand = mulberry32(TRAINING.seed);
  const s = shapes(config);
  const params = {} as Params;
  for (const name of TENSORS) {
    const size = s[name].reduce((a, b) => a * b, 1);
    params[name] = Float32Array.from({ length: size }, () => TRAINING.initScale * gaussian(rand));
  }
  return params;
}

/** One REINFORCE run from `start`: group-mean baseline, plain gradient ascent, fp32 parameters. */
export function train(config: DemoConfig, start: Params, data: ProblemData[], kind: Reward): Params {
  const params = Object.fromEntries(TENSORS.map((n) => [n, Float32Array.from(start[n])])) as Params;
  const rand = mulberry32(TRAINING.seed * 1000 + (kind === "low-coverage" ? 1 : 2));
  const P = config.problem_features.length;
  const C = config.candidate_features.length;
  const H = config.hidden;
  for (let step = 0; step < TRAINING.steps; step++) {
    const grads = Object.fromEntries(TENSORS.map((n) => [n, new Float64Array(params[n].length)])) as Record<(typeof TENSORS)[number], Float64Array>;
    for (const problem of data) {
      const ys = problem.candidates.map((c) => c.y);
      const { hidden, logits } = forward(config, params, problem.x, ys);
      const probs = softmax(logits);
      const picks = Array.from({ length: TRAINING.group }, () => draw(probs, rand()));
      const rewards = picks.map((i) => reward(kind, problem.candidates[i]!, problem.tiers));
      const baseline = rewards.reduce((a, b) => a + b, 0) / rewards.length;
      // d/dlogit_j of Σ A·log π(pick) = Σ A·(1[j = pick] − π_j)
      const gLogits = new Float64Array(ys.length);
      picks.forEach((pick, s) => {
        const advantage = (rewards[s]! - baseline) / TRAINING.group;
        if (!advantage) return;
        for (let j = 0; j < ys.length; j++) gLogits[j] += advantage * ((j === pick ? 1 : 0) - probs[j]!);
      });
      // logit_j = u · y_j  →  dU = Σ_j g_j y_j
      const dU = new Float64Array(C);
      ys.forEach((y, j) => {
        y.forEach((v, k) => {
          dU[k] += gLogits[j]! * v;
        });
      });
      const dHidden = new Float64Array(H);
      for (let k = 0; k < C; k++) {
        grads["scorer.bias"][k] += dU[k]!;
        for (let i = 0; i < H; i++) {
          grads["scorer.weight"][k * H + i] += dU[k]! * hidden[i]!;
          dHidden[i] += dU[k]! * params["scorer.weight"][k * H + i]!;
        }
      }
      for (let i = 0; i < H; i++) {
        const dPre = dHidden[i]! * (1 - hidden[i]! * hidden[i]!);
        grads["encoder.bias"][i] += dPre;
        for (let j = 0; j < P; j++) grads["encoder.weight"][i * P + j] += dPre * problem.x[j]!;
      }
    }
    for (const name of TENSORS) {
      const scale = TRAINING.learningRate / data.length;
      for (let i = 0; i < params[name].length; i++) params[name][i] += scale * grads[name][i]!;
    }
  }
  return params;
}

export async function demoConfig(): Promise<DemoConfig> {
  const tags = [...new Set((await loadTags()).flatMap((p) => p.tags))].sort();
  return {
    model_type: "frontier-demo-policy",
    problem_features: ["bias", "kind:functional", ...tags.map((t) => `tag:${t}`)],
    candidate_features: [...CANDIDATE_FEATURES],
    hidden: TRAINING.hidden,
  };
}

/** The problems both runs train on: the training split only (never a held-out problem). */
export async function trainingData(config: DemoConfig): Promise<ProblemData[]> {
  const training = new Set(bundledSplit().training);
  return (await loadData(config)).filter((p) => training.has(p.id));
}

export async function writeCheckpoint(dir: string, config: DemoConfig, params: Params, metadata: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const s = shapes(config);
  await writeSafetensors(
    join(dir, "model.safetensors"),
    Object.fromEntries(TENSORS.map((name) => [name, { dtype: "F32" as const, shape: s[name], data: params[name] }])),
    { format: "pt", ...metadata },
  );
  await writeFile(join(dir, "config.json"), `${JSON.stringify(config, null, 1)}\n`);
}

async function main(): Promise<void> {
  const config = await demoConfig();
  const data = await trainingData(config);
  const base = initBase(config);
  const low = train(config, base, data, "low-coverage");
  const high = train(config, base, data, "high-coverage");
  const common = { "frontier.demo": JSON.stringify({ ...TRAINING }) };
  await writeCheckpoint(join(CHECKPOINTS_DIR, "base"), config, base, { ...common, "frontier.role": "base" });
  await writeCheckpoint(join(CHECKPOINTS_DIR, "low-coverage"), config, low, {
    ...common,
    "frontier.role": "low-coverage",
    "frontier.reward": "passes the small tier",
  });
  await writeCheckpoint(join(CHECKPOINTS_DIR, "high-coverage"), config, high, {
    ...common,
    "frontier.role": "high-coverage",
    "frontier.reward": "passes every tier",
  });
  console.log(`demo:train: base, low-coverage, high-coverage → ${CHECKPOINTS_DIR} (${data.length} training problems, ${TRAINING.steps} steps each)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
