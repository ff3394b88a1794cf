// The executor as the backend's tools see it (EXECUTOR_URL, EXECUTOR_TOKEN): POST /v1/run for
// `run_code`, POST /v1/examples for agentic feedback. Answers are validated with the contracts.
import {
  type ExamplesResponse,
  ExamplesResponseSchema,
  type JudgeSubmission,
  type RunRequestInput,
  type RunResponse,
  RunResponseSchema,
} from "@frontier/contracts";

export interface ExecutorTools {
  run(request: RunRequestInput, signal?: AbortSignal): Promise<RunResponse>;
  examples(pack: { name: string; version?: string }, problemId: string, submission: JudgeSubmission, signal?: AbortSignal): Promise<ExamplesResponse>;
}

export class ExecutorClientError extends Error {}

export class ExecutorClient implements ExecutorTools {
  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  private async post(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const response = await this.fetchImpl(`${this.url.replace(/\/+$/, "")}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${this.token}` },
      body: JSON.stringify(body),
      signal,
    });
    const text = await response.text();
    if (!response.ok) throw new ExecutorClientError(`executor ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }

  async run(request: RunRequestInput, signal?: AbortSignal): Promise<RunResponse> {
    return RunResponseSchema.parse(await this.post("/v1/run", request, signal));
  }

  async examples(pack: { name: string; version?: string }, problemId: string, submission: JudgeSubmission, signal?: AbortSignal): Promise<ExamplesResponse> {
    const body = { pack: pack.name, ...(pack.version ? { pack_version: pack.version } : {}), problem_id: problemId, submission };
    return ExamplesResponseSchema.parse(await this.post("/v1/examples", body, signal));
  }
}

/** From the environment; undefined when EXECUTOR_URL is not set (tool and agentic requests then fail). */
export function executorFromEnv(env: Record<string, string | undefined> = process.env): ExecutorTools | undefined {
  if (!env.EXECUTOR_URL) return undefined;
  return new ExecutorClient(env.EXECUTOR_URL, env.EXECUTOR_TOKEN ?? "");
}
