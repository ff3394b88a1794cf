// A sampler over an OpenAI-compatible completions server (vLLM, SGLang). Every sampling parameter is
// sent explicitly: left out, these servers fall back to the checkpoint's generation_config.json.
import { fileURLToPath } from "node:url";
import type { Completion, SampleRequest, Sampler } from "./types.ts";

export interface ServerTarget {
  url: string;
  /** The `model` field: the server's served model name. */
  model?: string;
}

export interface OpenAISamplerOptions {
  /** Default server (SAMPLER_URL). */
  url?: string;
  /** One server per checkpoint (SAMPLER_SERVERS), tried before `url`. */
  servers?: Record<string, string | ServerTarget>;
  /** Default `model` field (SAMPLER_MODEL); otherwise the checkpoint string. */
  model?: string;
  /** "sglang": load each checkpoint into the one server with POST /update_weights_from_disk. */
  switchMode?: "sglang";
  /** Completion requests in flight per job. */
  concurrency?: number;
  /** Attempts per request on network errors, 429 and 5xx. */
  attempts?: number;
  retryBaseMs?: number;
  fetch?: typeof fetch;
}

/** The body of a vLLM/OpenAI `POST /v1/completions` request. */
export interface CompletionRequestBody {
  model: string;
  prompt: string;
  n: number;
  temperature: number;
  top_p: number;
  max_tokens: number;
  seed: number;
  stop: string[];
}

interface CompletionResponseBody {
  choices?: { index?: number; text?: string; finish_reason?: string | null }[];
  usage?: { completion_tokens?: number };
}

export class SamplerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SamplerError";
  }
}

export class OpenAISampler implements Sampler {
  readonly name = "openai";
  private readonly fetch: typeof fetch;
  private lock: Promise<void> = Promise.resolve();
  private loaded?: string;

  constructor(private readonly options: OpenAISamplerOptions) {
    if (!options.url && !options.servers) throw new SamplerError("the openai sampler needs SAMPLER_URL or SAMPLER_SERVERS");
    this.fetch = options.fetch ?? fetch;
  }

  target(checkpoint: string): ServerTarget {
    const mapped = this.options.servers?.[checkpoint];
    if (mapped)
      return typeof mapped === "string" ? { url: mapped, model: this.options.model ?? checkpoint } : { model: this.options.model ?? checkpoint, ...mapped };
    if (!this.options.url) throw new SamplerError(`no server for checkpoint ${checkpoint} in SAMPLER_SERVERS and no SAMPLER_URL`);
    return { url: this.options.url, model: this.options.model ?? checkpoint };
  }

  async *sample(request: SampleRequest, signal?: AbortSignal): AsyncIterable<Completion> {
    const target = this.target(request.checkpoint);
    const release = this.options.switchMode === "sglang" ? await this.acquire(target, request.checkpoint, signal) : () => {};
    try {
      const concurrency = Math.max(1, this.options.concurrency ?? 8);
      const pending: Promise<Completion[]>[] = [];
      let next = 0;
      const launch = () => {
        while (pending.length < concurrency && next < request.problems.length) {
          const problem = request.problems[next++];
          const promise = this.complete(target, problem, request, signal);
          promise.catch(() => {}); // awaited in order below; this only silences the early rejection
          pending.push(promise);
        }
      };
      launch();
      while (pending.length > 0) {
        const completions = await pending.shift()!;
        launch();
        yield* completions;
      }
    } finally {
      release();
    }
  }

  /** One checkpoint loaded at a time: jobs wait their turn, and a different checkpoint is loaded first. */
  private async acquire(target: ServerTarget, checkpoint: string, signal?: AbortSignal): Promise<() => void> {
    let release!: () => void;
    const previous = this.lock;
    this.lock = new Promise((resolve) => (release = resolve));
    await previous;
    try {
      if (this.loaded !== checkpoint) {
        const body = await this.post(`${target.url.replace(/\/+$/, "")}/update_weights_from_disk`, { model_path: localModelPath(checkpoint) }, signal);
        const result = body as { success?: boolean; message?: string };
        if (result.success === false) throw new SamplerError(`SGLang could not load ${checkpoint}: ${result.message ?? "no message"}`);
        this.loaded = checkpoint;
      }
    } catch (error) {
      this.loaded = undefined;
      release();
      throw error;
    }
    return release;
  }

  private async complete(target: ServerTarget, problem: { id: string; prompt: string }, request: SampleRequest, signal?: AbortSignal): Promise<Completion[]> {
    const body: CompletionRequestBody = {
      model: target.model ?? request.checkpoint,
      prompt: problem.prompt,
      n: request.n,
      temperature: request.temperature,
      top_p: request.top_p,
      max_tokens: request.max_tokens,
      seed: request.seed,
      stop: request.stop ?? [],
    };
    const response = (await this.post(`${target.url.replace(/\/+$/, "")}/v1/completions`, body, signal)) as CompletionResponseBody;
    const choices = response.choices;
    if (!Array.isArray(choices) || choices.length !== request.n) {
      throw new SamplerError(`server returned ${Array.isArray(choices) ? choices.length : "no"} choices for problem ${problem.id}, expected ${request.n}`);
    }
    const completions = choices.map((choice, position): Completion => {
      if (typeof choice.text !== "string") throw new SamplerError(`choice ${position} for problem ${problem.id} has no text`);
      const finish = choice.finish_reason === "stop" || choice.finish_reason === "length" ? choice.finish_reason : "error";
      const completion: Completion = {
        problem_id: problem.id,
        index: typeof choice.index === "number" ? choice.index : position,
        text: choice.text,
        finish_reason: finish,
      };
      // Servers report tokens per request, not per choice: exact only when there is one choice.
      if (request.n === 1 && typeof response.usage?.completion_tokens === "number") completion.tokens = response.usage.completion_tokens;
      return completion;
    });
    return completions.sort((a, b) => a.index - b.index);
  }

  private async post(url: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const attempts = this.options.attempts ?? 4;
    let lastError = "";
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep((this.options.retryBaseMs ?? 500) * 2 ** (attempt - 1), signal);
      let response: Response;
      try {
        response = await this.fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal });
      } catch (error) {
        if (signal?.aborted) throw error;
        lastError = (error as Error).message;
        continue;
      }
      const text = await response.text();
      if (response.ok) {
        try {
          return JSON.parse(text);
        } catch {
          throw new SamplerError(`${url} answered ${response.status} with a body that is not JSON`);
        }
      }
      lastError = `HTTP ${response.status}: ${text.slice(0, 300)}`;
      if (response.status !== 429 && response.status < 500) break;
    }
    throw new SamplerError(`${url} failed: ${lastError}`);
  }
}

/** What SGLang's model_path wants: a local path for file:// checkpoints, owner/repo for hf://. */
export function localModelPath(checkpoint: string): string {
  if (checkpoint.startsWith("file://")) return fileURLToPath(checkpoint).replace(/\/+$/, "");
  if (checkpoint.startsWith("hf://")) return checkpoint.slice("hf://".length);
  return checkpoint;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
