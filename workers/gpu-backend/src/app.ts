// The backend's HTTP app: bearer auth, problem+json errors, one route per file, OpenAPI at /openapi.json.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bearer, onError, onNotFound, validationHook } from "@frontier/http";
import { CallbackSender } from "./callbacks.ts";
import type { Env, Services } from "./context.ts";
import { MergeJobs } from "./jobs/merge-jobs.ts";
import { SampleJobs } from "./jobs/sample-jobs.ts";
import { JobStore } from "./jobs/store.ts";
import { LocalOutputStore, type OutputStore } from "./merge/output-store.ts";
import { S3OutputStore } from "./merge/s3-output-store.ts";
import { s3ConfigFromEnv } from "./checkpoints/s3.ts";
import { registerHealth } from "./routes/health.ts";
import { registerCreateMerge } from "./routes/merges-create.ts";
import { registerGetMerge } from "./routes/merges-get.ts";
import { registerDeleteMergeOutput } from "./routes/merges-output-delete.ts";
import { registerCreateSamples } from "./routes/samples-create.ts";
import { registerGetSamples } from "./routes/samples-get.ts";
import { registerResolveCheckpoint } from "./routes/checkpoints-resolve.ts";
import { createSampler, samplerConfigFromEnv, type SamplerConfig } from "./samplers/registry.ts";
import type { Sampler } from "./samplers/types.ts";
import { resolverConfigFromEnv, type ResolverConfig } from "./safetensors/source.ts";
import type { CheckpointCache } from "./checkpoints/cache.ts";
import { cacheFromEnv, checkPinned, checkpointCache, setCheckpointCache } from "./checkpoints/materialise.ts";

export interface BackendConfig {
  token: string;
  webhookSecret?: string;
  outputStore: OutputStore;
  resolver: ResolverConfig;
  sampler: SamplerConfig | Sampler;
  callbackChunkSize: number;
  callbackMaxAttempts: number;
  callbackRetryBaseMs: number;
  callbackTimeoutMs: number;
  sampleRetentionMs: number;
  /** MERGE_RETENTION_DAYS (default 30): finished merge jobs are forgotten after this long (outputs stay). */
  mergeRetentionMs?: number;
  /** The checkpoint cache (CHECKPOINT_CACHE_DIR, CHECKPOINT_CACHE_BYTES); default: the process's. */
  cache?: CheckpointCache;
  /** BACKEND_STATE_DIR (default ./.frontier-backend): durable jobs live in <dir>/jobs.sqlite; unset: in memory only. */
  stateDir?: string;
}

export function backendConfigFromEnv(env: Record<string, string | undefined> = process.env): BackendConfig {
  if (!env.BACKEND_TOKEN) throw new Error("BACKEND_TOKEN is required (the bearer token clients must send)");
  const number = (name: string, fallback: number) => {
    const value = env[name] === undefined || env[name] === "" ? fallback : Number(env[name]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
    return value;
  };
  return {
    token: env.BACKEND_TOKEN,
    webhookSecret: env.BACKEND_WEBHOOK_SECRET || undefined,
    outputStore: outputStoreFromEnv(env),
    resolver: resolverConfigFromEnv(env),
    sampler: samplerConfigFromEnv(env),
    callbackChunkSize: number("CALLBACK_CHUNK_SIZE", 64),
    callbackMaxAttempts: number("CALLBACK_MAX_ATTEMPTS", 6),
    callbackRetryBaseMs: number("CALLBACK_RETRY_BASE_MS", 500),
    callbackTimeoutMs: number("CALLBACK_TIMEOUT_MS", 10_000),
    sampleRetentionMs: number("SAMPLE_RETENTION_MS", 6 * 3600_000),
    mergeRetentionMs: number("MERGE_RETENTION_DAYS", 30) * 86_400_000,
    cache: cacheFromEnv(env),
    stateDir: env.BACKEND_STATE_DIR || "./.frontier-backend",
  };
}

/** OUTPUT_STORE=s3://bucket/prefix uploads merged checkpoints there; unset: file:// folders in MERGE_OUTPUT_DIR. */
export function outputStoreFromEnv(env: Record<string, string | undefined>): OutputStore {
  const local = LocalOutputStore.fromEnv(env);
  if (!env.OUTPUT_STORE) return local;
  if (!env.OUTPUT_STORE.startsWith("s3://")) throw new Error(`OUTPUT_STORE must be an s3://bucket/prefix URL, not ${env.OUTPUT_STORE}`);
  const partBytes = env.OUTPUT_PART_BYTES ? Number(env.OUTPUT_PART_BYTES) : undefined;
  if (partBytes !== undefined && !(Number.isInteger(partBytes) && partBytes > 0)) throw new Error("OUTPUT_PART_BYTES must be a positive number of bytes");
  return new S3OutputStore({ url: env.OUTPUT_STORE, s3: s3ConfigFromEnv(env), stagingDir: local.root, partBytes });
}

export interface Backend {
  app: OpenAPIHono<Env>;
  services: Services;
}

/**
 * Builds the app. With `config.stateDir` the jobs are durable: the state directory is locked for
 * this process (StateDirInUse otherwise), and jobs a killed process left unfinished resume now.
 */
export function createBackend(config: BackendConfig): Backend {
  // The samplers read remote checkpoints through the same cache as the merges (one per process).
  if (config.cache) setCheckpointCache(config.cache);
  const jobStore = config.stateDir ? JobStore.open(config.stateDir) : undefined;
  const sender = config.webhookSecret
    ? new CallbackSender(config.webhookSecret, {
        maxAttempts: config.callbackMaxAttempts,
        retryBaseMs: config.callbackRetryBaseMs,
        timeoutMs: config.callbackTimeoutMs,
      })
    : undefined;
  const samplerConfig = config.sampler;
  let sampler: Promise<Sampler> | undefined;
  // Created on first use, so a missing demo model fails the sampling job, not the service.
  const getSampler = () => {
    sampler ??= "sample" in samplerConfig ? Promise.resolve(samplerConfig) : createSampler(samplerConfig);
    sampler.catch(() => (sampler = undefined));
    return sampler;
  };
  const services: Services = {
    merges: new MergeJobs(config.outputStore, config.resolver, sender, config.cache, jobStore, config.mergeRetentionMs),
    samples: new SampleJobs(
      getSampler,
      sender,
      {
        chunkSize: config.callbackChunkSize,
        retentionMs: config.sampleRetentionMs,
        checkPin: (url, revision) => checkPinned(url, revision, config.cache ?? checkpointCache()),
      },
      jobStore,
    ),
    jobStore,
    outputStore: config.outputStore,
    cache: config.cache,
    samplerName: "sample" in samplerConfig ? samplerConfig.name : samplerConfig.kind,
    closeSampler: async () => {
      const current = sampler && (await sampler.catch(() => undefined));
      await current?.close?.();
    },
    callbacksEnabled: sender !== undefined,
  };

  // Bodies that fail validation are 422, bad query or path parameters 400 (the one convention).
  const app = new OpenAPIHono<Env>({ defaultHook: validationHook });
  app.onError(onError);
  app.notFound(onNotFound);

  const auth = bearer({ realm: "gpu-backend", token: config.token });
  app.use("*", async (c, next) => {
    c.set("services", services);
    // Health is for load balancers and probes: no token.
    if (c.req.path === "/v1/health") return next();
    return auth(c, next);
  });

  registerHealth(app);
  registerCreateMerge(app);
  registerGetMerge(app);
  registerCreateSamples(app);
  registerGetSamples(app);
  registerResolveCheckpoint(app);
  registerDeleteMergeOutput(app);
  const resumed = { merges: services.merges.resume(), samples: services.samples.resume() };
  if (resumed.merges + resumed.samples > 0)
    console.log(`gpu-backend: resumed ${resumed.samples} sampling and ${resumed.merges} merge jobs from ${jobStore?.dir}`);
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Frontier GPU backend",
      version: "1.0.0",
      description:
        "Merges safetensors checkpoints and samples completions. Callback events (Standard Webhooks) are described in workers/gpu-backend/README.md.",
    },
  });
  return { app, services };
}
