// The one interface every sampler (demo policy, vLLM, SGLang, a fixed OpenAI-compatible server)
// implements. What a sampler is asked for and what it yields are the backend's API, so both come
// from @frontier/contracts.
import type { BackendCompletion, SampleRequest } from "@frontier/contracts";

export type { SampleRequest };
export type Completion = BackendCompletion;

export interface Sampler {
  readonly name: string;
  /** Streams completions problem by problem so the service can page and call back in chunks. */
  sample(request: SampleRequest, signal?: AbortSignal): AsyncIterable<Completion>;
  /** Stops what the sampler started (managed model servers). */
  close?(): Promise<void>;
}
