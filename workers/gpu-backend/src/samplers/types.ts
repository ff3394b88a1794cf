// The one interface every sampler (demo policy, OpenAI-compatible server) implements.

export interface SampleRequest {
  /** Checkpoint location as the backend sees it (file://, https://, hf://, s3://, or a served model name). */
  checkpoint: string;
  problems: { id: string; prompt: string }[];
  n: number;
  temperature: number;
  top_p: number;
  max_tokens: number;
  seed: number;
  stop?: string[];
}

export interface Completion {
  problem_id: string;
  /** 0..n-1 within the problem. */
  index: number;
  text: string;
  finish_reason: "stop" | "length" | "error";
  /** Tokens generated, when the sampler knows. */
  tokens?: number;
}

export interface Sampler {
  readonly name: string;
  /** Streams completions problem by problem so the service can page and call back in chunks. */
  sample(request: SampleRequest, signal?: AbortSignal): AsyncIterable<Completion>;
}
