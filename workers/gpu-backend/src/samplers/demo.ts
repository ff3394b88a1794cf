// The demo sampler: the bundled demo policy model (packs/demo-policy) behind the Sampler interface,
// so the whole system runs without a GPU. For each problem it scores the problem's candidate pool
// from the pack (env DEMO_PACK_DIR, default packs/bundled) with the checkpoint's weights, draws
// candidates from the softmax at the requested temperature and top_p, and answers with the
// candidate's source wrapped like an LLM reply (a sentence and a fenced code block).
// Draws are reproducible: each one is seeded by sha256(checkpoint content, problem, index, seed).
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { materialiseCheckpoint, releaseCheckpoint } from "../checkpoints/materialise.ts";
import { Checkpoint, type ResolverConfig } from "../safetensors/index.ts";
import { candidateFeatures, draw, forward, mulberry32, problemFeatures, softmax, TENSORS, topP, type DemoConfig, type Params } from "./demo-model.ts";
import { DEFAULT_MAX_TOOL_CALLS, DEFAULT_MAX_TURNS, type TestCase, type Trajectory, type TrajectoryStep } from "@frontier/contracts";
import type { ExecutorTools } from "../settings/executor-client.ts";
import { compact, feedbackMessage, toolResult } from "../settings/feedback.ts";
import type { Completion, Sampler, SampleRequest } from "./types.ts";

/** packs/bundled of the repository this module runs from (src/samplers/ or, bundled, dist/). */
export const DEFAULT_PACK_DIR = findPackDir(dirname(fileURLToPath(import.meta.url)));

// The source sits four levels below the repository root and the bundle three, so look upwards for
// packs/bundled rather than count; an image sets DEMO_PACK_DIR instead.
function findPackDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "packs", "bundled");
    if (existsSync(join(candidate, "manifest.json"))) return candidate;
    if (dirname(dir) === dir) return fileURLToPath(new URL("../../../../packs/bundled/", import.meta.url));
  }
}

interface PoolEntry {
  name: string;
  language: "python" | "cpp";
  code: string;
  y: Float32Array;
}

interface PackProblem {
  kind: string;
  tags: string[];
  pool: PoolEntry[];
  /** Public tests only (the demo never reads a problem's tiers). */
  examples: TestCase[];
  limits: { time_ms: number; memory_mb: number };
}

interface LoadedCheckpoint {
  config: DemoConfig;
  params: Params;
  /** sha256 of the tensors' bytes: identical weights draw identically wherever they are stored. */
  digest: Uint8Array;
}

export interface DemoSamplerOptions {
  resolver?: ResolverConfig;
  /** Pack directory with manifest.json, problems/ and candidates/ (default env DEMO_PACK_DIR or packs/bundled). */
  packDir?: string;
  /** The executor the tool and agentic settings run candidates on (EXECUTOR_URL). */
  executor?: ExecutorTools;
  /** Milliseconds each completion takes, as a model's decoding would (default env DEMO_DECODE_MS, 0): fault tests kill the backend mid-sampling. */
  decodeMs?: number;
}

async function sha256(parts: Uint8Array[]): Promise<Uint8Array> {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", joined));
}

const REPLIES = {
  python: "Here is a Python solution.",
  cpp: "Here is a C++ solution.",
} as const;

export function wrapCompletion(language: "python" | "cpp", code: string): string {
  return `${REPLIES[language]}\n\n\`\`\`${language}\n${code.replace(/\s+$/, "")}\n\`\`\`\n`;
}

export class DemoSampler implements Sampler {
  readonly name = "demo";
  private readonly packDir: string;
  private readonly resolver?: ResolverConfig;
  private readonly checkpoints = new Map<string, Promise<LoadedCheckpoint>>();
  private pack?: Promise<Map<string, PackProblem>>;
  private packName = "";
  private readonly executor?: ExecutorTools;
  private readonly decodeMs: number;

  constructor(options: DemoSamplerOptions = {}) {
    this.packDir = resolve(options.packDir ?? process.env.DEMO_PACK_DIR ?? DEFAULT_PACK_DIR);
    this.decodeMs = Math.max(0, options.decodeMs ?? (Number(process.env.DEMO_DECODE_MS) || 0));
    this.resolver = options.resolver;
    this.executor = options.executor;
  }

  private loadPack(): Promise<Map<string, PackProblem>> {
    this.pack ??= (async () => {
      const manifest = JSON.parse(await readFile(join(this.packDir, "manifest.json"), "utf8")) as { name: string; problems: { id: string; file: string }[] };
      this.packName = manifest.name;
      const problems = new Map<string, PackProblem>();
      for (const entry of manifest.problems) {
        const problem = JSON.parse(await readFile(join(this.packDir, entry.file), "utf8")) as {
          kind: string;
          source?: { tags?: string[] };
          examples?: TestCase[];
          limits: { time_ms: number; memory_mb: number };
        };
        const dir = join(this.packDir, "candidates", entry.id);
        const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /\.(py|cpp)$/.test(n)).sort();
        const pool = await Promise.all(
          names.map(async (name) => {
            const language = name.endsWith(".cpp") ? ("cpp" as const) : ("python" as const);
            const code = await readFile(join(dir, name), "utf8");
            return { name, language, code, y: candidateFeatures(code, language) };
          }),
        );
        problems.set(entry.id, { kind: problem.kind, tags: problem.source?.tags ?? [], pool, examples: problem.examples ?? [], limits: problem.limits });
      }
      return problems;
    })();
    return this.pack;
  }

  private loadCheckpoint(location: string): Promise<LoadedCheckpoint> {
    let loaded = this.checkpoints.get(location);
    if (!loaded) {
      loaded = (async () => {
        // hf://, https://, s3:// (merge outputs in OUTPUT_STORE among them) are read from the checkpoint
        // cache; the weights stay in memory, so the lease ends once they are read.
        const remote = /^(hf|https?|s3):\/\//i.test(location) ? await materialiseCheckpoint(location) : undefined;
        const local = remote ? remote.dir : location;
        const ckpt = await Checkpoint.open(local, ...(this.resolver ? [this.resolver] : [])).catch((error) => {
          if (remote) releaseCheckpoint(remote.dir);
          throw error;
        });
        try {
          const params = {} as Params;
          const raw: Uint8Array[] = [];
          for (const name of TENSORS) {
            params[name] = await ckpt.readFloat32(name);
            raw.push(new TextEncoder().encode(name), new Uint8Array(params[name].buffer, params[name].byteOffset, params[name].byteLength));
          }
          const configLocation = `${local.replace(/\/?(model\.safetensors(\.index\.json)?)?$/, "")}/config.json`;
          const configPath = configLocation.startsWith("file://") ? fileURLToPath(configLocation) : configLocation;
          const config = JSON.parse(await readFile(configPath, "utf8")) as DemoConfig;
          if (config.model_type !== "frontier-demo-policy") throw new Error(`${location} is not a demo policy checkpoint (model_type ${config.model_type})`);
          return { config, params, digest: await sha256(raw) };
        } finally {
          await ckpt.close();
          if (remote) releaseCheckpoint(remote.dir);
        }
      })();
      loaded.catch(() => this.checkpoints.delete(location));
      this.checkpoints.set(location, loaded);
    }
    return loaded;
  }

  /** The policy's probabilities over one problem's pool (after temperature and top_p). */
  async distribution(checkpoint: string, problemId: string, temperature = 1, p = 1): Promise<{ name: string; probability: number }[]> {
    const [{ config, params }, pack] = await Promise.all([this.loadCheckpoint(checkpoint), this.loadPack()]);
    const problem = pack.get(problemId);
    if (!problem?.pool.length) throw new Error(`problem ${problemId} has no candidate pool in ${this.packDir}`);
    const logits = forward(
      config,
      params,
      problemFeatures(config, problem),
      problem.pool.map((c) => c.y),
    ).logits;
    return topP(softmax(logits, temperature), p).map((probability, i) => ({ name: problem.pool[i]!.name, probability }));
  }

  /**
   * The demo policy in the tool and agentic settings. It cannot read feedback, so it acts on it the
   * way the policy can: a candidate that failed is ruled out and the next one is drawn from the
   * policy's distribution renormalised over the rest.
   * tool: each drawn candidate is first run (`run_code`, executor /v1/run) on the first public test's
   *   input; a run that crashes or prints other than the expected output rules it out (stdin
   *   problems with examples only; up to max_tool_calls runs).
   * agentic: each answer is judged on the public tests (executor /v1/examples); a failure rules the
   *   candidate out and the policy answers again, up to max_turns.
   */
  private async episode(
    id: string,
    problem: PackProblem,
    probs: number[],
    random: () => number,
    request: SampleRequest,
    signal?: AbortSignal,
  ): Promise<{ text: string; trajectory: Trajectory }> {
    const setting = request.setting ?? "reasoning";
    if (!this.executor) throw new Error(`setting ${setting} needs an executor: set EXECUTOR_URL (and EXECUTOR_TOKEN)`);
    const weights = [...probs];
    const steps: TrajectoryStep[] = [];
    let tokens = 0;
    let toolCalls = 0;
    let turns = 0;
    const pick = () => {
      const total = weights.reduce((a, b) => a + b, 0);
      const index =
        total > 0
          ? draw(
              weights.map((w) => w / total),
              random(),
            )
          : draw(probs, random());
      return { index, candidate: problem.pool[index]! };
    };
    const count = (text: string) => text.split(/\s+/).filter(Boolean).length;
    if (setting === "tool") {
      const maxCalls = request.max_tool_calls ?? DEFAULT_MAX_TOOL_CALLS;
      const example = problem.kind === "stdin" ? problem.examples[0] : undefined;
      while (example && toolCalls < maxCalls) {
        const { index, candidate } = pick();
        const args = JSON.stringify({ language: candidate.language, code: candidate.code, stdin: example.input });
        const call = { id: `call_${toolCalls}`, name: "run_code", arguments: args };
        const said = "Let me run it on the first example.";
        tokens += count(said) + count(candidate.code);
        steps.push({ role: "assistant", content: said, tool_calls: [{ ...call, arguments: compact(args) }] });
        const result = await this.executor.run({ language: candidate.language, code: candidate.code, stdin: example.input, limits: problem.limits }, signal);
        toolCalls++;
        steps.push({ role: "tool", tool_call_id: call.id, content: compact(toolResult(result)) });
        const tokensOf = (text: string) => text.trim().split(/\s+/).join(" ");
        if (result.verdict === "OK" && tokensOf(result.stdout) === tokensOf(example.output)) {
          weights.fill(0);
          weights[index] = 1; // answer with the candidate that worked
          break;
        }
        weights[index] = 0;
      }
      const { candidate } = pick();
      const text = wrapCompletion(candidate.language, candidate.code);
      tokens += count(text);
      steps.push({ role: "assistant", content: compact(text) });
      return { text, trajectory: { setting, turns: 1, tool_calls: toolCalls, tokens, steps } };
    }
    const maxTurns = request.max_turns ?? DEFAULT_MAX_TURNS;
    const pack = request.pack ?? { name: this.packName };
    let text = "";
    for (;;) {
      turns++;
      const { index, candidate } = pick();
      text = wrapCompletion(candidate.language, candidate.code);
      tokens += count(text);
      steps.push({ role: "assistant", content: compact(text) });
      if (turns >= maxTurns || problem.examples.length === 0) break;
      const result = await this.executor.examples(pack, id, { language: candidate.language, code: candidate.code }, signal);
      if (result.verdict === "AC") break;
      weights[index] = 0;
      steps.push({ role: "user", content: compact(feedbackMessage(result)) });
    }
    return { text, trajectory: { setting, turns, tool_calls: 0, tokens, steps } };
  }

  async *sample(request: SampleRequest, signal?: AbortSignal): AsyncIterable<Completion> {
    const [checkpoint, pack] = await Promise.all([this.loadCheckpoint(request.checkpoint), this.loadPack()]);
    // The demo reads the weights itself; its hash is over the tensors it read (names and fp32 values).
    const sampled_from = {
      checkpoint: request.checkpoint,
      served_name: "demo-policy",
      dir: null,
      sha256: Buffer.from(checkpoint.digest).toString("hex"),
      sampler: "demo",
    };
    for (const { id } of request.problems) {
      const problem = pack.get(id);
      if (!problem?.pool.length) {
        for (let index = 0; index < request.n; index++) yield { problem_id: id, index, text: "", finish_reason: "error", tokens: 0, sampled_from };
        continue;
      }
      const logits = forward(
        checkpoint.config,
        checkpoint.params,
        problemFeatures(checkpoint.config, problem),
        problem.pool.map((c) => c.y),
      ).logits;
      const probs = topP(softmax(logits, request.temperature), request.top_p);
      for (let index = 0; index < request.n; index++) {
        signal?.throwIfAborted();
        if (this.decodeMs > 0) await new Promise((done) => setTimeout(done, this.decodeMs));
        const seed = await sha256([checkpoint.digest, new TextEncoder().encode(`\u0000${id}\u0000${index}\u0000${request.seed}`)]);
        const random = mulberry32(new DataView(seed.buffer).getUint32(0, true));
        const setting = request.setting ?? "reasoning";
        if (setting !== "reasoning") {
          const episode = await this.episode(id, problem, probs, random, request, signal);
          yield {
            problem_id: id,
            index,
            text: episode.text,
            finish_reason: "stop",
            tokens: episode.trajectory.tokens,
            sampled_from,
            trajectory: episode.trajectory,
          };
          continue;
        }
        const chosen = problem.pool[draw(probs, random())]!;
        const text = wrapCompletion(chosen.language, chosen.code);
        const tokens = text.split(/\s+/).filter(Boolean).length;
        yield tokens > request.max_tokens
          ? {
              problem_id: id,
              index,
              text: text
                .split(/(\s+)/)
                .slice(0, 2 * request.max_tokens)
                .join(""),
              finish_reason: "length",
              tokens: request.max_tokens,
              sampled_from,
            }
          : { problem_id: id, index, text, finish_reason: "stop", tokens, sampled_from };
      }
    }
  }
}

/** The registry's entry point (workers/gpu-backend/src/samplers/registry.ts). */
export function createDemoSampler(options: { resolver: ResolverConfig; executor?: ExecutorTools }): Sampler {
  return new DemoSampler({ resolver: options.resolver, executor: options.executor });
}
