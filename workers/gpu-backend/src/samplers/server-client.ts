// Sampling from one OpenAI-compatible server (vLLM, SGLang, any /v1 server): POST /v1/chat/completions
// with the problem's messages (default), or /v1/completions with a raw prompt (SAMPLER_API=completions,
// the checkpoint's chat template rendered here). Every sampling parameter is sent explicitly: left out,
// these servers fall back to the checkpoint's generation_config.json.
import type { ChatMessage, SampledCheckpoint, SampleProblem } from "@frontier/contracts";
import type { ExecutorTools } from "../settings/executor-client.ts";
import { runEpisode } from "../settings/episode.ts";
import type { RenderChat } from "./chat-template.ts";
import type { Completion, SampleRequest } from "./types.ts";

export type SamplerApi = "chat" | "completions";

export interface ServerTarget {
  /** Base URL, without /v1. */
  url: string;
  /** The `model` field: the server's served model name. */
  model: string;
}

export interface ClientOptions {
  apiKey?: string;
  api: SamplerApi;
  /** Completion requests in flight per job. */
  concurrency?: number;
  /** Attempts per request on network errors, 429 and 5xx. */
  attempts?: number;
  retryBaseMs?: number;
  fetch?: typeof fetch;
  /** The executor the tool and agentic settings run programs on (EXECUTOR_URL). */
  executor?: ExecutorTools;
}

export class SamplerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SamplerError";
  }
}

interface Choice {
  index?: number;
  text?: string;
  message?: { content?: string | null };
  finish_reason?: string | null;
}
interface ResponseBody {
  choices?: Choice[];
  usage?: { completion_tokens?: number };
}

export class ServerClient {
  private readonly fetch: typeof fetch;
  constructor(private readonly options: ClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  /** Samples every problem of the request from `target`, problem by problem, tagging each completion with `from`. */
  async *sample(
    target: ServerTarget,
    request: SampleRequest,
    from: SampledCheckpoint,
    render: RenderChat | undefined,
    signal?: AbortSignal,
  ): AsyncIterable<Completion> {
    const concurrency = Math.max(1, this.options.concurrency ?? 8);
    const pending: Promise<Completion[]>[] = [];
    let next = 0;
    const launch = () => {
      while (pending.length < concurrency && next < request.problems.length) {
        const promise = this.complete(target, request.problems[next++], request, from, render, signal);
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
  }

  /** The request body for one problem (exported for tests through `requestBody`). */
  body(target: ServerTarget, problem: SampleProblem, request: SampleRequest, render: RenderChat | undefined): { path: string; body: Record<string, unknown> } {
    const params = {
      model: target.model,
      n: request.n,
      temperature: request.temperature,
      top_p: request.top_p,
      max_tokens: request.max_tokens,
      seed: request.seed,
      stop: request.stop ?? [],
    };
    const messages: ChatMessage[] = problem.messages ?? [{ role: "user", content: problem.prompt ?? "" }];
    if (this.options.api === "chat") return { path: "/v1/chat/completions", body: { ...params, messages } };
    let prompt: string;
    if (problem.messages) {
      if (!render) throw new SamplerError("SAMPLER_API=completions: no chat template loaded");
      prompt = render(problem.messages);
    } else prompt = problem.prompt ?? "";
    return { path: "/v1/completions", body: { ...params, prompt } };
  }

  private async complete(
    target: ServerTarget,
    problem: SampleProblem,
    request: SampleRequest,
    from: SampledCheckpoint,
    render: RenderChat | undefined,
    signal?: AbortSignal,
  ): Promise<Completion[]> {
    const { path, body } = this.body(target, problem, request, render);
    if (request.setting === "tool" || request.setting === "agentic") {
      if (this.options.api !== "chat")
        throw new SamplerError(`setting ${request.setting} needs SAMPLER_API=chat (tool calls and feedback turns are chat messages)`);
      const { messages: _messages, n: _n, seed: _seed, ...params } = body;
      const url = `${target.url.replace(/\/+$/, "")}${path}`;
      const episodes: Completion[] = [];
      for (let index = 0; index < request.n; index++) {
        const episode = await runEpisode({
          post: (u, b, s) => this.post(u, b, s),
          url,
          params,
          problem,
          request,
          index,
          executor: this.options.executor,
          signal,
        });
        episodes.push({
          problem_id: problem.id,
          index,
          text: episode.text,
          finish_reason: episode.finish_reason,
          sampled_from: from,
          trajectory: episode.trajectory,
          ...(episode.tokens !== undefined ? { tokens: episode.tokens } : {}),
        });
      }
      return episodes;
    }
    const response = (await this.post(`${target.url.replace(/\/+$/, "")}${path}`, body, signal)) as ResponseBody;
    const choices = response.choices;
    if (!Array.isArray(choices) || choices.length !== request.n) {
      throw new SamplerError(`server returned ${Array.isArray(choices) ? choices.length : "no"} choices for problem ${problem.id}, expected ${request.n}`);
    }
    const completions = choices.map((choice, position): Completion => {
      const text = this.options.api === "chat" ? choice.message?.content : choice.text;
      if (typeof text !== "string") throw new SamplerError(`choice ${position} for problem ${problem.id} has no text`);
      const finish = choice.finish_reason === "stop" || choice.finish_reason === "length" ? choice.finish_reason : "error";
      const completion: Completion = {
        problem_id: problem.id,
        index: typeof choice.index === "number" ? choice.index : position,
        text,
        finish_reason: finish,
        sampled_from: from,
      };
      // Servers report tokens per request, not per choice: exact only when there is one choice.
      if (request.n === 1 && typeof response.usage?.completion_tokens === "number") completion.tokens = response.usage.completion_tokens;
      return completion;
    });
    return completions.sort((a, b) => a.index - b.index);
  }

  /** POST JSON with the API key; retries network errors, 429 and 5xx. */
  async post(url: string, body: unknown, signal?: AbortSignal, apiKey = this.options.apiKey): Promise<unknown> {
    const attempts = this.options.attempts ?? 4;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    let lastError = "";
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep((this.options.retryBaseMs ?? 500) * 2 ** (attempt - 1), signal);
      let response: Response;
      try {
        response = await this.fetch(url, { method: "POST", headers, body: JSON.stringify(body), signal });
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

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
