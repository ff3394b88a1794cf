// Typed clients for the executor and the GPU backend, over the ServiceClient port (a Container
// binding or a plain URL; the runtime decides). They speak the contracts in workers/*/README.md.
import type { JudgeResult, Language } from "@frontier/contracts";
import type { ServiceClient } from "../ports.ts";
// The backend's own request type (type-only: nothing of the backend is bundled into the edge).
import type { SampleRequest } from "../../workers/gpu-backend/src/samplers/types.ts";

/** The call did not get a usable answer: transport failure, timeout or a 5xx. Worth retrying. */
export class TransientServiceError extends Error {
  constructor(readonly service: string, message: string, readonly status?: number) {
    super(`${service}: ${message}`);
    this.name = "TransientServiceError";
  }
}

/** The service understood the request and refused it (4xx). Retrying the same request will not help. */
export class RejectedByServiceError extends Error {
  constructor(readonly service: string, readonly status: number, readonly detail: string) {
    super(`${service} answered ${status}: ${detail}`);
    this.name = "RejectedByServiceError";
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;

async function call<T>(service: string, client: ServiceClient, path: string, init: RequestInit & { timeoutMs?: number }): Promise<T> {
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
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new TransientServiceError(service, `answered ${response.status} with a body that is not JSON`);
  }
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

export function executorClient(client: ServiceClient) {
  return {
    /** Judges submissions of one problem of a pack; results in submission order. */
    async judge(request: { pack: string; packVersion: string; problemId: string; submissions: JudgeSubmission[] }): Promise<ExecutorResult[]> {
      const body = await call<{ results: ExecutorResult[] }>("executor", client, "/v1/judge", {
        ...json({ pack: request.pack, pack_version: request.packVersion, problem_id: request.problemId, submissions: request.submissions }),
        timeoutMs: 600_000,
      });
      if (!Array.isArray(body.results) || body.results.length !== request.submissions.length) {
        throw new TransientServiceError("executor", `expected ${request.submissions.length} results, got ${Array.isArray(body.results) ? body.results.length : "none"}`);
      }
      return body.results;
    },
  };
}

export interface BackendCompletion {
  problem_id: string;
  index: number;
  text: string;
  finish_reason: "stop" | "length" | "error";
  tokens?: number;
}

export type BackendJobStatus = "queued" | "running" | "succeeded" | "failed";

export interface SamplesPage {
  id: string;
  status: BackendJobStatus;
  expected: number;
  produced: number;
  completions: BackendCompletion[];
  next_cursor: number | null;
  error: { title?: string; detail?: string } | null;
}

export interface MergeJob {
  id: string;
  status: BackendJobStatus;
  output?: { url: string } | null;
  error?: { title?: string; detail?: string; code?: string } | null;
}

export function backendClient(client: ServiceClient) {
  return {
    startSamples(request: SampleRequest & { callback?: string }): Promise<{ id: string; status: BackendJobStatus }> {
      return call("backend", client, "/v1/samples", { ...json(request), timeoutMs: 30_000 });
    },
    samplesPage(jobId: string, cursor: number, limit = 1000): Promise<SamplesPage> {
      return call("backend", client, `/v1/samples/${encodeURIComponent(jobId)}?cursor=${cursor}&limit=${limit}`, { method: "GET", timeoutMs: 30_000 });
    },
    startMerge(request: { parents: { url: string; coefficient: number }[]; callback?: string; allow_non_affine?: boolean }): Promise<MergeJob> {
      return call("backend", client, "/v1/merges", { ...json(request), timeoutMs: 30_000 });
    },
    merge(jobId: string): Promise<MergeJob> {
      return call("backend", client, `/v1/merges/${encodeURIComponent(jobId)}`, { method: "GET", timeoutMs: 30_000 });
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
