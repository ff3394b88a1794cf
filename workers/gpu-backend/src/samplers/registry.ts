// Picks the sampler named by SAMPLER: demo (default) | vllm | sglang | openai.
import { resolverConfigFromEnv, type ResolverConfig } from "../safetensors/source.ts";
import { executorFromEnv, type ExecutorTools } from "../settings/executor-client.ts";
import { type ClientOptions, SamplerError } from "./server-client.ts";
import type { Sampler } from "./types.ts";

export const SAMPLER_KINDS = ["demo", "vllm", "sglang", "openai"] as const;

export type SamplerConfig =
  | { kind: "demo"; resolver: ResolverConfig; executor?: ExecutorTools }
  | {
      kind: "vllm";
      client: ClientOptions;
      bin: string;
      gpuGroups?: string[][];
      extraArgs: string[];
      startTimeoutMs: number;
      stopGraceMs: number;
    }
  | { kind: "sglang"; client: ClientOptions; urls: string[]; model?: string }
  | { kind: "openai"; client: ClientOptions; url: string; model: string; checkpoint: string };

/** `0;1;2,3` → [["0"], ["1"], ["2", "3"]]. */
export function parseGpuGroups(value: string | undefined): string[][] | undefined {
  if (!value?.trim()) return undefined;
  const groups = value.split(";").map((group) =>
    group
      .split(",")
      .map((gpu) => gpu.trim())
      .filter(Boolean),
  );
  if (groups.some((g) => g.length === 0)) throw new SamplerError(`SAMPLER_GPUS must be GPU groups separated by ";" (e.g. "0;1;2,3"), not "${value}"`);
  return groups;
}

export function samplerConfigFromEnv(env: Record<string, string | undefined> = process.env): SamplerConfig {
  const kind = (env.SAMPLER || "demo") as (typeof SAMPLER_KINDS)[number];
  if (!SAMPLER_KINDS.includes(kind)) throw new SamplerError(`SAMPLER must be one of ${SAMPLER_KINDS.join(", ")}, not "${kind}"`);
  for (const gone of ["SAMPLER_SERVERS", "SAMPLER_SWITCH"]) {
    if (env[gone]) throw new SamplerError(`${gone} is no longer read: choose the sampler with SAMPLER (vllm | sglang | openai), see docs/models.md`);
  }
  if (kind === "demo") return { kind, resolver: resolverConfigFromEnv(env), executor: executorFromEnv(env) };
  const api = env.SAMPLER_API || "chat";
  if (api !== "chat" && api !== "completions") throw new SamplerError(`SAMPLER_API must be chat or completions, not "${api}"`);
  const seconds = (name: string, fallback: number) => {
    const value = env[name] ? Number(env[name]) : fallback;
    if (!Number.isFinite(value) || value <= 0) throw new SamplerError(`${name} must be a positive number of seconds`);
    return value * 1000;
  };
  const client: ClientOptions = {
    api,
    apiKey: env.SAMPLER_API_KEY || undefined,
    concurrency: env.SAMPLER_CONCURRENCY ? Number(env.SAMPLER_CONCURRENCY) : undefined,
    executor: executorFromEnv(env),
  };
  if (kind === "vllm") {
    return {
      kind,
      client,
      bin: env.VLLM_BIN || "vllm",
      gpuGroups: parseGpuGroups(env.SAMPLER_GPUS),
      extraArgs: (env.VLLM_ARGS ?? "").split(/\s+/).filter(Boolean),
      startTimeoutMs: seconds("VLLM_START_TIMEOUT_S", 900),
      stopGraceMs: seconds("VLLM_STOP_GRACE_S", 30),
    };
  }
  if (kind === "sglang") {
    const urls = (env.SAMPLER_URLS || env.SAMPLER_URL || "")
      .split(",")
      .map((u) => u.trim())
      .filter(Boolean);
    if (urls.length === 0) throw new SamplerError("SAMPLER=sglang needs SAMPLER_URL (or SAMPLER_URLS, comma-separated)");
    return { kind, client, urls, model: env.SAMPLER_MODEL || undefined };
  }
  if (!env.SAMPLER_URL || !env.SAMPLER_MODEL || !env.SAMPLER_CHECKPOINT) {
    throw new SamplerError("SAMPLER=openai needs SAMPLER_URL, SAMPLER_MODEL (the served name) and SAMPLER_CHECKPOINT (the checkpoint URL it serves)");
  }
  return { kind, client, url: env.SAMPLER_URL, model: env.SAMPLER_MODEL, checkpoint: env.SAMPLER_CHECKPOINT };
}

export async function createSampler(config: SamplerConfig): Promise<Sampler> {
  switch (config.kind) {
    case "vllm": {
      const { VllmSampler } = await import("./managed.ts");
      return new VllmSampler(config.client, config);
    }
    case "sglang": {
      const { SglangSampler } = await import("./managed.ts");
      return new SglangSampler(config.client, config.urls, config.model);
    }
    case "openai": {
      const { OpenAISampler } = await import("./openai.ts");
      return new OpenAISampler(config.client, config);
    }
    default: {
      // Loaded on first use only; a literal specifier so esbuild bundles it into dist/server.mjs.
      const { createDemoSampler } = await import("./demo.ts");
      return createDemoSampler({ resolver: config.resolver, executor: config.executor });
    }
  }
}
