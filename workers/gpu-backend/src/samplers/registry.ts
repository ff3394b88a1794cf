// Picks the sampler: an OpenAI-compatible server when one is configured, else the bundled demo policy.
import { resolverConfigFromEnv, type ResolverConfig } from "../safetensors/source.ts";
import { OpenAISampler, SamplerError, type OpenAISamplerOptions, type ServerTarget } from "./openai.ts";
import type { Sampler } from "./types.ts";

export type SamplerConfig = { kind: "demo"; resolver: ResolverConfig } | ({ kind: "openai" } & OpenAISamplerOptions);

export function samplerConfigFromEnv(env: Record<string, string | undefined> = process.env): SamplerConfig {
  const resolver = resolverConfigFromEnv(env);
  if (!env.SAMPLER_URL && !env.SAMPLER_SERVERS) return { kind: "demo", resolver };
  let servers: Record<string, string | ServerTarget> | undefined;
  if (env.SAMPLER_SERVERS) {
    try {
      servers = JSON.parse(env.SAMPLER_SERVERS);
    } catch {
      throw new SamplerError('SAMPLER_SERVERS must be JSON: {"<checkpoint>": "<url>" | {"url", "model"}}');
    }
  }
  if (env.SAMPLER_SWITCH && env.SAMPLER_SWITCH !== "sglang") throw new SamplerError(`SAMPLER_SWITCH must be "sglang" or unset, not "${env.SAMPLER_SWITCH}"`);
  return {
    kind: "openai",
    url: env.SAMPLER_URL || undefined,
    servers,
    model: env.SAMPLER_MODEL || undefined,
    switchMode: env.SAMPLER_SWITCH === "sglang" ? "sglang" : undefined,
    concurrency: env.SAMPLER_CONCURRENCY ? Number(env.SAMPLER_CONCURRENCY) : undefined,
  };
}

export async function createSampler(config: SamplerConfig): Promise<Sampler> {
  if (config.kind === "openai") return new OpenAISampler(config);
  // Loaded on first use only; a literal specifier so esbuild bundles it into dist/server.mjs.
  const { createDemoSampler } = await import("./demo.ts");
  return createDemoSampler({ resolver: config.resolver });
}
