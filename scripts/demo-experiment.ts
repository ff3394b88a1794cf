// The paper's experiment, run through the public API as a user would (npm start / npm run demo):
// register the bundled benchmark, report the two demo endpoints as a training run's signed
// webhooks, merge the α grid, evaluate every output, then read back the frontier and the
// ensemble at equal budget.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Webhook } from "standardwebhooks";
import type { ApiClient } from "../src/cli/api/client.ts";
import type { Progress } from "../src/cli/api/progress.ts";
import { passAt } from "../src/cli/api/table.ts";
import {
  waitForEvaluations,
  waitForMerge,
  sleep,
  type Checkpoint,
  type Ensemble,
  type Evaluation,
  type Frontier,
  type Merge,
} from "../src/cli/api/resources.ts";
import { PackManifestSchema, type Setting } from "@frontier/contracts";
import { registrationFromPack } from "../src/services/benchmarks.ts";
import { bundledSplit, HELD_OUT_SPLIT } from "../packs/split.ts";

export const DEFAULT_ALPHAS = [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5];
/** Samples per problem and checkpoint: n ≥ 4·B, so a budget of B samples is well estimated from n. */
export const DEFAULT_N = 64;
/** The ensembles' sample budget per problem (the paper compares at a fixed budget). */
export const DEFAULT_BUDGET = 16;
/** The demo's sampling protocol besides n, temperature and seed: the evaluation defaults, pinned. */
export const DEMO_TOP_P = 0.95;
export const DEMO_MAX_TOKENS = 2048;
export const DEFAULT_TEMPERATURE = 1;
export const DEFAULT_SEED = 0;

/** A default track's body: one per pack and setting, with the demo's protocol. */
export interface DefaultTrackProtocol {
  /** Default reasoning. */
  setting?: Setting;
  n: number;
  temperature: number;
  seed: number;
  problems?: string[];
  /** The name of the problem set (default "demo"); the bundled pack's default track is "held-out". */
  split?: string;
}

/** The bundled pack's default problem set: the held-out split the demo policy never trained on. */
export function bundledDefaultProblems(): { split: string; problems: string[] } {
  return { split: HELD_OUT_SPLIT, problems: bundledSplit().held_out };
}

/**
 * The id of a pack's default track: `<pack>-<setting>` for the demo's default protocol on every
 * problem; another protocol or problem set (tracks never change) gets its own id naming it.
 */
export function defaultTrackId(pack: string, p: DefaultTrackProtocol): string {
  const base = `${pack.toLowerCase().replace(/[^a-z0-9._-]/g, "-")}-${p.setting ?? "reasoning"}`;
  // The default problem set: every problem, or (the bundled pack) its held-out split.
  const isDefault = p.n === DEFAULT_N && p.temperature === DEFAULT_TEMPERATURE && p.seed === DEFAULT_SEED && (!p.problems || p.split === HELD_OUT_SPLIT);
  if (isDefault) return base;
  let suffix = `-n${p.n}-t${p.temperature}-s${p.seed}`;
  if (p.problems) {
    let h = 2166136261;
    for (const c of [...p.problems].sort().join(",")) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    suffix += `-p${p.problems.length}-${h.toString(16).padStart(8, "0")}`;
  }
  return `${base}${suffix}`.slice(0, 64);
}

export function defaultTrackBody(pack: string, benchmark: string, p: DefaultTrackProtocol) {
  return {
    id: defaultTrackId(pack, p),
    benchmark,
    setting: p.setting ?? "reasoning",
    language: "python" as const,
    n: p.n,
    temperature: p.temperature,
    top_p: DEMO_TOP_P,
    max_tokens: DEMO_MAX_TOKENS,
    seed: p.seed,
    ...(p.problems ? { split: p.split ?? "demo", problems: p.problems } : {}),
    description: `Default track of the ${pack} pack: the demo experiment's protocol`,
  };
}

/** Creates (or finds, when it exists with the same definition) a pack's default track; answers its id. */
export async function ensureDefaultTrack(client: ApiClient, pack: string, benchmark: string, p: DefaultTrackProtocol): Promise<string> {
  const track = await client.post<{ id: string }>("/v1/tracks", defaultTrackBody(pack, benchmark, p));
  return track.id;
}

export interface ExperimentOptions {
  root: string;
  /** A client with an admin key (registers the benchmark) that also submits. */
  client: ApiClient;
  /** The API's WEBHOOK_SECRET, which the "training run" signs its webhooks with. */
  webhookSecret: string;
  n: number;
  /** The ensembles' sample budget per problem (≤ n; default DEFAULT_BUDGET capped at n). */
  budget?: number;
  alphas: number[];
  seed: number;
  temperature: number;
  /** Only these problems of the bundled pack (default its held-out split). */
  problems?: string[];
  /** A name for this run of the experiment; the runs are named after it. */
  tag: string;
  /** The inference setting every evaluation uses (default reasoning). */
  setting?: Setting;
  progress?: Progress;
  log(line: string): void;
  signal?: AbortSignal;
}

export interface ExperimentSummary {
  benchmark: string;
  /** The track the grid's evaluations follow (and rank on). */
  track: string;
  problems: number;
  /** The problem set's name: "held-out" by default, "demo" for --problems. */
  split: string;
  n: number;
  /** The ensembles' budget per problem. */
  budget: number;
  ks: number[];
  runs: { low: string; high: string; grid: string };
  endpoints: { low: string; high: string };
  merge: string;
  evaluations: { alpha: number; checkpoint: string; evaluation: string; status: string }[];
  /** The inference setting of every evaluation (and so of the frontier and the ensembles). */
  setting: Setting;
  frontier: Frontier;
  /** The best single checkpoint of the grid at the budget (its pass@B), chosen in sample: for reference only. */
  bestSingle: { alpha: number | null; checkpoint: string; evaluation: string; value: number } | null;
  ensembles: { label: string; ensemble: Ensemble }[];
}

/** The bundled pack's registration body: manifest plus prompts (the tests stay with the executor). */
export function bundledRegistration(root: string) {
  const dir = join(root, "packs", "bundled");
  const manifest = PackManifestSchema.parse(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")));
  const files = new Map(manifest.problems.map((p) => [p.id, JSON.parse(readFileSync(join(dir, p.file), "utf8"))]));
  return registrationFromPack(manifest, files, "bundled");
}

/** POSTs one Standard Webhooks event to the training-run hook, as a training loop would. */
export async function sendTrainingEvent(client: ApiClient, secret: string, type: string, data: Record<string, unknown>) {
  const id = `msg_${randomUUID()}`;
  const now = new Date();
  const body = JSON.stringify({ type, timestamp: now.toISOString(), data });
  const signature = new Webhook(secret).sign(id, now, body);
  return client.request<{ webhook_id: string; duplicate: boolean; checkpoint?: Checkpoint }>("POST", "/v1/hooks/training-runs", {
    body,
    auth: false,
    headers: { "webhook-id": id, "webhook-timestamp": String(Math.floor(now.getTime() / 1000)), "webhook-signature": signature },
  });
}

export async function runExperiment(o: ExperimentOptions): Promise<ExperimentSummary> {
  const { client, log } = o;
  const registered = await client.post<{ id: string; name: string; problems: number }>("/v1/benchmarks", bundledRegistration(o.root));
  log(`benchmark ${registered.id} (${registered.problems} problems)`);
  const problemSet = o.problems ? { split: "demo", problems: o.problems } : bundledDefaultProblems();
  const budget = Math.min(o.budget ?? DEFAULT_BUDGET, o.n);
  const track = await ensureDefaultTrack(client, "bundled", registered.id, {
    setting: o.setting ?? "reasoning",
    n: o.n,
    temperature: o.temperature,
    seed: o.seed,
    ...problemSet,
  });
  log(`track ${track}: every evaluation below follows its protocol and is published on it (the public leaderboard ranks it)`);

  // The two endpoints of the paper's runs, reported by "the training loop" as signed webhooks.
  const runs = { low: `${o.tag}-lowcov`, high: `${o.tag}-highcov`, grid: `${o.tag}-grid` };
  const checkpointsDir = join(o.root, "packs", "demo-policy", "checkpoints");
  const endpoint = async (run: string, name: string, metadata: Record<string, unknown>) => {
    const receipt = await sendTrainingEvent(client, o.webhookSecret, "checkpoint.saved", {
      run,
      step: 40,
      url: `${pathToFileURL(join(checkpointsDir, name)).href}/`,
      label: name,
      metadata,
    });
    await sendTrainingEvent(client, o.webhookSecret, "run.finished", { run });
    return receipt.checkpoint!.id;
  };
  const endpoints = {
    low: await endpoint(runs.low, "low-coverage", { coverage: "low", reward: "passes the small tier" }),
    high: await endpoint(runs.high, "high-coverage", { coverage: "high", reward: "passes every tier" }),
  };
  log(`training-run webhooks: low-coverage ${endpoints.low} (run ${runs.low}), high-coverage ${endpoints.high} (run ${runs.high})`);

  const setting = o.setting ?? "reasoning";
  const evaluate = {
    benchmark: registered.id,
    n: o.n,
    seed: o.seed,
    temperature: o.temperature,
    top_p: DEMO_TOP_P,
    max_tokens: DEMO_MAX_TOKENS,
    setting,
    problems: problemSet.problems,
  };
  const created = await client.post<Merge>(
    "/v1/merges",
    { a: endpoints.low, b: endpoints.high, alphas: o.alphas, run: runs.grid, evaluate },
    { "idempotency-key": `${o.tag}-grid` },
  );
  log(`merge ${created.id}: θ(α) = (1−α)·low + α·high for α ∈ {${o.alphas.join(", ")}}, each evaluated with n=${o.n} per problem`);
  const merge = await waitForMerge(client, created.id, { progress: o.progress, labels: new Map([[created.id, "merges"]]), signal: o.signal });
  const failed = merge.checkpoints.filter((c) => c.status === "failed");
  if (failed.length) throw new Error(`merge ${merge.id}: ${failed.length} output(s) failed: ${failed.map((c) => `α=${c.alpha}: ${c.error}`).join("; ")}`);

  // Each output's evaluation starts when it is ready; its id lands on the merge a moment later.
  let outputs = merge.checkpoints;
  for (let tries = 0; outputs.some((c) => !c.evaluation) && tries < 60; tries++) {
    await sleep(500);
    outputs = (await client.get<Merge>(`/v1/merges/${merge.id}`)).checkpoints;
  }
  const missing = outputs.filter((c) => !c.evaluation);
  if (missing.length) throw new Error(`merge ${merge.id}: no evaluation started for α=${missing.map((c) => c.alpha).join(", ")}`);
  const labels = new Map(outputs.map((c) => [c.evaluation!, `α=${c.alpha}`]));
  const evaluations: Evaluation[] = await waitForEvaluations(
    client,
    outputs.map((c) => c.evaluation!),
    { progress: o.progress, labels, signal: o.signal },
  );
  const broken = evaluations.filter((e) => e.status !== "complete");
  if (broken.length) {
    throw new Error(
      `evaluation(s) failed: ${broken.map((e) => `${labels.get(e.id)} ${e.id}: ${e.errors.map((x) => x.message).join("; ") || e.status}`).join(" | ")}`,
    );
  }

  // Runs are private by default: publishing puts the grid's rows (and so its ensembles) on the
  // track's public leaderboard and frontier.
  for (const evaluation of evaluations) await client.post(`/v1/evaluations/${evaluation.id}/publications`, { track });

  const ks = [...new Set([1, budget, o.n])];
  const frontier = await client.get<Frontier>(`/v1/runs/${encodeURIComponent(runs.grid)}/frontier`, { k: ks.join(","), benchmark: registered.id, setting });
  // Ensembles at the same budget B as one checkpoint's B samples: the whole grid (when every point
  // can get a sample), the Pareto set, and the two trained endpoints. The single checkpoint they are
  // compared with is chosen by cross-fitting (on other problems than it is scored on), and every
  // gain comes with its paired bootstrap interval.
  const ensembles: ExperimentSummary["ensembles"] = [];
  const groups = ensembleGroups(frontier, budget);
  for (const { label, members } of groups) {
    ensembles.push({
      label,
      ensemble: await client.post<Ensemble>("/v1/ensembles", { members, budget, allocation: "equal", selection: "crossfit", seed: o.seed }),
    });
  }

  return {
    setting,
    benchmark: registered.id,
    track,
    problems: evaluations[0]?.problems ?? registered.problems,
    split: problemSet.split,
    n: o.n,
    budget,
    ks,
    runs,
    endpoints,
    merge: merge.id,
    evaluations: outputs.map((c, i) => ({ alpha: c.alpha!, checkpoint: c.id, evaluation: c.evaluation!, status: evaluations[i].status })),
    frontier,
    bestSingle: bestSingle(frontier, budget),
    ensembles,
  };
}

/** Which ensembles to compare with the best single checkpoint at a budget of n samples per problem. */
export function ensembleGroups(frontier: Frontier, n: number): { label: string; members: string[] }[] {
  const groups: { label: string; members: string[] }[] = [];
  const seen = new Set<string>();
  const add = (label: string, points: Frontier["points"]) => {
    const members = points.map((p) => p.evaluation);
    const key = [...members].sort().join(",");
    if (members.length < 2 || members.length > n || seen.has(key)) return;
    seen.add(key);
    groups.push({ label, members });
  };
  add(`all ${frontier.points.length} grid points`, frontier.points);
  add(
    "the Pareto set",
    frontier.points.filter((p) => p.pareto),
  );
  add(
    "the two endpoints (α=0, α=1)",
    frontier.points.filter((p) => p.alpha === 0 || p.alpha === 1),
  );
  return groups;
}

/** The grid point with the highest pass@n (the first in α order on a tie). */
export function bestSingle(frontier: Frontier, n: number): ExperimentSummary["bestSingle"] {
  let best: ExperimentSummary["bestSingle"] = null;
  for (const p of frontier.points) {
    const value = passAt(p.pass_at_k, n);
    if (typeof value === "number" && (!best || value > best.value)) best = { alpha: p.alpha, checkpoint: p.checkpoint, evaluation: p.evaluation, value };
  }
  return best;
}
