// The vllm and sglang samplers: a pool of servers scheduled by checkpoint affinity, each checkpoint
// materialised as a local directory and loaded into a server before it is sampled (a vLLM start, or
// an SGLang weight swap). Every completion records the weights it came from.
import type { SampledCheckpoint } from "@frontier/contracts";
import { materialiseCheckpoint, releaseCheckpoint } from "../checkpoints/materialise.ts";
import { AffinityPool } from "./affinity-pool.ts";
import { loadChatTemplate, type RenderChat } from "./chat-template.ts";
import { type ClientOptions, SamplerError, ServerClient, type ServerTarget } from "./server-client.ts";
import type { Completion, SampleRequest, Sampler } from "./types.ts";
import { VllmProcess, type VllmLaunch } from "./vllm-process.ts";

/** A checkpoint as loaded in one slot. */
interface Loaded {
  target: ServerTarget;
  from: SampledCheckpoint;
  render?: RenderChat;
  stop(): Promise<void>;
}

abstract class PooledSampler implements Sampler {
  abstract readonly name: string;
  protected readonly client: ServerClient;
  protected readonly pool: AffinityPool<Loaded>;

  constructor(
    protected readonly clientOptions: ClientOptions,
    slots: number,
    protected readonly materialise: typeof materialiseCheckpoint = materialiseCheckpoint,
  ) {
    this.client = new ServerClient(clientOptions);
    this.pool = new AffinityPool<Loaded>(
      slots,
      (index, checkpoint, previous) => this.load(index, checkpoint, previous),
      (_index, loaded) => loaded.stop(),
    );
  }

  protected abstract load(index: number, checkpoint: string, previous: Loaded | undefined): Promise<Loaded>;

  protected async template(dir: string): Promise<RenderChat | undefined> {
    return this.clientOptions.api === "completions" ? loadChatTemplate(dir) : undefined;
  }

  async *sample(request: SampleRequest, signal?: AbortSignal): AsyncIterable<Completion> {
    const lease = await this.pool.acquire(request.checkpoint);
    try {
      yield* this.client.sample(lease.loaded.target, request, lease.loaded.from, lease.loaded.render, signal);
    } finally {
      lease.release();
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export interface VllmOptions {
  bin: string;
  /** GPU groups (SAMPLER_GPUS `0;1;2,3`); one server per group. Undefined: one server, GPUs left as they are. */
  gpuGroups?: string[][];
  extraArgs: string[];
  startTimeoutMs: number;
  stopGraceMs: number;
  env?: Record<string, string | undefined>;
}

/** vLLM: `vllm serve <dir>` per checkpoint, one server per GPU group, stopped when its group moves on. */
export class VllmSampler extends PooledSampler {
  readonly name = "vllm";

  constructor(
    clientOptions: ClientOptions,
    private readonly vllm: VllmOptions,
    materialise?: typeof materialiseCheckpoint,
  ) {
    super(clientOptions, vllm.gpuGroups?.length ?? 1, materialise);
  }

  protected async load(index: number, checkpoint: string, previous: Loaded | undefined): Promise<Loaded> {
    await previous?.stop();
    const local = await this.materialise(checkpoint);
    const servedName = `ckpt-${local.sha256.slice(0, 16)}`;
    const launch: VllmLaunch = {
      bin: this.vllm.bin,
      dir: local.dir,
      servedName,
      apiKey: this.clientOptions.apiKey,
      gpus: this.vllm.gpuGroups?.[index],
      extraArgs: this.vllm.extraArgs,
      startTimeoutMs: this.vllm.startTimeoutMs,
      stopGraceMs: this.vllm.stopGraceMs,
      env: this.vllm.env,
    };
    let server: VllmProcess;
    let render: RenderChat | undefined;
    try {
      render = await this.template(local.dir);
      server = await VllmProcess.start(launch);
    } catch (error) {
      releaseCheckpoint(local.dir);
      throw error;
    }
    return {
      target: { url: server.url, model: servedName },
      from: { checkpoint, served_name: servedName, dir: local.dir, sha256: local.sha256, revision: local.revision, sampler: this.name },
      render,
      // Unloaded: the checkpoint cache may evict the folder again.
      stop: async () => {
        await server.stop();
        releaseCheckpoint(local.dir);
      },
    };
  }
}

/** SGLang: running servers (SAMPLER_URL / SAMPLER_URLS) whose weights are swapped in place per checkpoint. */
export class SglangSampler extends PooledSampler {
  readonly name = "sglang";

  constructor(
    clientOptions: ClientOptions,
    private readonly urls: string[],
    private readonly model: string | undefined,
    materialise?: typeof materialiseCheckpoint,
  ) {
    super(clientOptions, urls.length, materialise);
    if (urls.length === 0) throw new SamplerError("SAMPLER=sglang needs SAMPLER_URL or SAMPLER_URLS");
  }

  protected async load(index: number, checkpoint: string): Promise<Loaded> {
    const url = this.urls[index].replace(/\/+$/, "");
    const local = await this.materialise(checkpoint);
    let render: RenderChat | undefined;
    try {
      render = await this.template(local.dir);
      await this.swap(url, checkpoint, local.dir);
    } catch (error) {
      releaseCheckpoint(local.dir);
      throw error;
    }
    // SGLang does not check `model`; after a swap its served name is the new model_path.
    const served = this.model ?? local.dir;
    return {
      target: { url, model: served },
      from: { checkpoint, served_name: served, dir: local.dir, sha256: local.sha256, revision: local.revision, sampler: this.name },
      render,
      // The next swap replaces these weights: the checkpoint cache may evict the folder again.
      stop: async () => releaseCheckpoint(local.dir),
    };
  }

  private async swap(url: string, checkpoint: string, dir: string): Promise<void> {
    let result: { success?: boolean; message?: string };
    try {
      result = (await this.client.post(`${url}/update_weights_from_disk`, { model_path: dir })) as typeof result;
    } catch (error) {
      throw new SamplerError(`SGLang at ${url} could not load ${checkpoint} (${dir}): ${(error as Error).message}`);
    }
    if (result.success !== true) throw new SamplerError(`SGLang at ${url} could not load ${checkpoint} (${dir}): ${result.message ?? "no message"}`);
  }
}
