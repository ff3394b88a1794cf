// Typed clients for the executor and the GPU backend, over the ServiceClient port (a Container
// binding or a plain URL; the runtime decides). Requests and answers are the schemas of
// @frontier/contracts; every answer is validated before the pipeline reads it.
import {
  JudgeResponseSchema,
  MergeJobSchema,
  ResolvedCheckpointSchema,
  SampleJobSchema,
  SamplePageSchema,
  type BackendCompletion,
  type JobStatus,
  type JudgeResult,
  type Language,
  type SampleRequest,
} from "@frontier/contracts";
import { z } from "zod";
import type { ServiceClient } from "../ports.ts";

/** The call did not get a usable answer: transport failure, timeout or a 5xx. Worth retrying. */
export class TransientServiceError extends Error {
  constructor(
    readonly service: string,
    message: string,
    readonly status?: number,
  ) {
    super(`${service}: ${message}`);
    this.name = "TransientServiceError";
  }
}

/** The service understood the request and refused it (4xx). Retrying the same request will not help. */
export class RejectedByServiceError extends Error {
  constructor(
    readonly service: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${service} answered ${status}: ${detail}`);
    this.name = "RejectedByServiceError";
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;

async function call<S extends z.ZodType>(
  service: string,
  schema: S,
  client: ServiceClient,
  path: string,
  init: RequestInit & { timeoutMs?: number },
): Promise<z.output<S>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), init.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let response: Response;
  try {
    response = await client.fetch(path, { ...init, signal: controller.signal });
  } catch (error) {
    throw new TransientServiceError(service, controller.signal.aborted ? `no answer within ${init.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` : errorText(error));
  } finally {
    clearTimeout(timer);
  }
  const text = await response.text().catch(() => "");
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    throw new TransientServiceError(service, `HTTP ${response.status} ${problemDetail(text)}`.trim(), response.status);
  }
  if (!response.ok) throw new RejectedByServiceError(service, response.status, problemDetail(text) || response.statusText);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new TransientServiceError(service, `answered ${response.status} with a body that is not JSON`);
  }
  // An answer off the contract is the service's fault (a version skew, a proxy's page): retry later.
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TransientServiceError(
      service,
      `answered ${response.status} with a body off the contract: ${issue.path.map(String).join(".") || "(body)"}: ${issue.message}`,
    );
  }
  return parsed.data;
}

function problemDetail(text: string): string {
  try {
    const body = JSON.parse(text);
    return [body.title, body.detail].filter((part) => typeof part === "string").join(": ");
  } catch {
    return text.slice(0, 200);
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const json = (body: unknown): RequestInit => ({ method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

export interface JudgeSubmission {
  id: string;
  language: Language;
  code: string;
}

export type ExecutorResult = JudgeResult & { id: string };

// The edge reads only these members of the backend's answers; the backend may add others.
const JudgeAnswer = JudgeResponseSchema.pick({ results: true });
const SampleJobStarted = SampleJobSchema.pick({ id: true, status: true });
const SamplesPageAnswer = SamplePageSchema.pick({ id: true, status: true, expected: true, produced: true, completions: true, next_cursor: true, error: true });
const MergeJobStarted = MergeJobSchema.pick({ id: true, status: true });
const MergeOutputDeleted = z.object({ id: z.string(), removed: z.number().int() });
const MergeJobAnswer = MergeJobSchema.pick({ id: true, status: true, output: true, error: true });

export function executorClient(client: ServiceClient) {
  return {
    /** Judges submissions of one problem of a pack; results in submission order. */
    /** `timeoutMs`: how long to wait for the answer (judgeTimeoutMs: sized to the work; default ten minutes). */
    async judge(request: {
      pack: string;
      packVersion: string;
      problemId: string;
      submissions: JudgeSubmission[];
      timeoutMs?: number;
    }): Promise<ExecutorResult[]> {
      const body = await call("executor", JudgeAnswer, client, "/v1/judge", {
        ...json({ pack: request.pack, pack_version: request.packVersion, problem_id: request.problemId, submissions: request.submissions }),
        timeoutMs: request.timeoutMs ?? 600_000,
      });
      if (body.results.length !== request.submissions.length) {
        throw new TransientServiceError("executor", `expected ${request.submissions.length} results, got ${body.results.length}`);
      }
      return body.results.map((result, i) => {
        const id = request.submissions[i].id;
        if (result.id !== undefined && result.id !== id) throw new TransientServiceError("executor", `results.${i}.id: expected ${id}, got ${result.id}`);
        return { ...result, id };
      });
    },
  };
}

export type { BackendCompletion };
export type BackendJobStatus = JobStatus;
export type SamplesPage = z.output<typeof SamplesPageAnswer>;
export type MergeJob = z.output<typeof MergeJobAnswer>;

export function backendClient(client: ServiceClient) {
  return {
    startSamples(request: SampleRequest & { callback?: string }): Promise<{ id: string; status: BackendJobStatus }> {
      return call("backend", SampleJobStarted, client, "/v1/samples", { ...json(request), timeoutMs: 30_000 });
    },
    samplesPage(jobId: string, cursor: number, limit = 1000): Promise<SamplesPage> {
      return call("backend", SamplesPageAnswer, client, `/v1/samples/${encodeURIComponent(jobId)}?cursor=${cursor}&limit=${limit}`, {
        method: "GET",
        timeoutMs: 30_000,
      });
    },
    startMerge(request: {
      parents: { url: string; coefficient: number }[];
      callback?: string;
      allow_non_affine?: boolean;
    }): Promise<Pick<MergeJob, "id" | "status">> {
      return call("backend", MergeJobStarted, client, "/v1/merges", { ...json(request), timeoutMs: 30_000 });
    },
    /** Pins a checkpoint URL to its immutable revision (nothing is downloaded; a short timeout: registration waits on it). */
    resolveCheckpoint(url: string, timeoutMs = 10_000): Promise<{ source: string; revision: string | null }> {
      return call("backend", ResolvedCheckpointSchema.pick({ source: true, revision: true }), client, "/v1/checkpoints/resolve", {
        ...json({ url }),
        timeoutMs,
      });
    },
    /** Deletes a finished merge's stored output (retention); idempotent. */
    deleteMergeOutput(jobId: string): Promise<{ id: string; removed: number }> {
      return call("backend", MergeOutputDeleted, client, `/v1/merges/${encodeURIComponent(jobId)}/output`, { method: "DELETE", timeoutMs: 120_000 });
    },
    merge(jobId: string): Promise<MergeJob> {
      return call("backend", MergeJobAnswer, client, `/v1/merges/${encodeURIComponent(jobId)}`, { method: "GET", timeoutMs: 30_000 });
    },
  };
}

/** A ServiceClient over plain HTTP with a bearer token (local stack, Deno, the demo). */
export function httpServiceClient(name: string, baseUrl: string | undefined, token?: string): ServiceClient {
  return {
    fetch(path, init) {
      if (!baseUrl) return Promise.reject(new Error(`${name} is not configured (set ${name.toUpperCase()}_URL)`));
      const headers = new Headers(init?.headers);
      if (token && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
      return fetch(new URL(path, baseUrl), { ...init, headers });
    },
  };
}
