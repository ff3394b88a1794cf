// SAMPLER=openai: one fixed OpenAI-compatible server serving exactly one model (SAMPLER_URL,
// SAMPLER_MODEL), registered for exactly one checkpoint (SAMPLER_CHECKPOINT). Any other checkpoint is
// refused: the server cannot load weights, so sampling it would silently sample the wrong model.
import type { SampledCheckpoint } from "@frontier/contracts";
import { materialiseCheckpoint } from "../checkpoints/materialise.ts";
import { loadChatTemplate, type RenderChat } from "./chat-template.ts";
import { type ClientOptions, SamplerError, ServerClient } from "./server-client.ts";
import type { Completion, SampleRequest, Sampler } from "./types.ts";

export { SamplerError };

export interface OpenAIOptions {
  url: string;
  model: string;
  checkpoint: string;
}

export class OpenAISampler implements Sampler {
  readonly name = "openai";
  private readonly client: ServerClient;
  private prepared?: Promise<{ from: SampledCheckpoint; render?: RenderChat }>;

  constructor(
    private readonly clientOptions: ClientOptions,
    private readonly server: OpenAIOptions,
    private readonly materialise: typeof materialiseCheckpoint = materialiseCheckpoint,
  ) {
    if (!server.url || !server.model || !server.checkpoint) throw new SamplerError("SAMPLER=openai needs SAMPLER_URL, SAMPLER_MODEL and SAMPLER_CHECKPOINT");
    this.client = new ServerClient(clientOptions);
  }

  async *sample(request: SampleRequest, signal?: AbortSignal): AsyncIterable<Completion> {
    if (request.checkpoint !== this.server.checkpoint) {
      throw new SamplerError(
        `SAMPLER=openai serves only ${this.server.checkpoint} (model ${this.server.model} at ${this.server.url}); it cannot load ${request.checkpoint} — use SAMPLER=vllm or SAMPLER=sglang to sample other checkpoints`,
      );
    }
    this.prepared ??= this.prepare();
    const { from, render } = await this.prepared;
    yield* this.client.sample({ url: this.server.url, model: this.server.model }, request, from, render, signal);
  }

  /** The checkpoint's hash (and chat template) when it is readable here; the server's own copy is not. */
  private async prepare(): Promise<{ from: SampledCheckpoint; render?: RenderChat }> {
    const local = await this.materialise(this.server.checkpoint).catch(() => undefined);
    if (this.clientOptions.api === "completions" && !local)
      throw new SamplerError(`SAMPLER_API=completions needs ${this.server.checkpoint} readable here for its chat template`);
    const render = this.clientOptions.api === "completions" && local ? await loadChatTemplate(local.dir) : undefined;
    return {
      from: {
        checkpoint: this.server.checkpoint,
        served_name: this.server.model,
        dir: null,
        sha256: local?.sha256 ?? null,
        revision: local?.revision ?? null,
        sampler: this.name,
      },
      render,
    };
  }
}
