// The HTTP client the `frontier` API commands and `npm start` share: one base URL, an optional
// bearer key, RFC 9457 problem bodies turned into ApiError, transport failures into UnreachableError.
// Resources are read through their @frontier/contracts schema: an answer off the contract is an
// ApiError naming the field, not a crash later in a table.
import { pageOf } from "@frontier/contracts";
import type { z } from "zod";

/** Exit codes every API command documents (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** The API answered with an error (4xx/5xx problem+json), or the input could not be read. */
  api: 1,
  /** Bad usage: unknown option, missing argument. */
  usage: 2,
  /** The API could not be reached (connection refused, DNS, timeout). */
  unreachable: 3,
} as const;

export const DEFAULT_API_URL = "http://127.0.0.1:8787";

export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: ProblemDetails,
  ) {
    super(`${method} ${path}: ${status} ${problem.title ?? "error"}${problem.detail ? `: ${problem.detail}` : ""}`);
    this.name = "ApiError";
  }

  /** Lines for a person: the status and title, the detail, then one line per field error. */
  describe(): string[] {
    const lines = [`${this.status} ${this.problem.title ?? "error"}${this.problem.detail ? `: ${this.problem.detail}` : ""}`];
    for (const e of this.problem.errors ?? []) lines.push(`  ${e.path || "(body)"}: ${e.message}`);
    return lines;
  }
}

export class UnreachableError extends Error {
  constructor(
    readonly baseUrl: string,
    reason: string,
  ) {
    super(`cannot reach the API at ${baseUrl} (${reason})`);
    this.name = "UnreachableError";
  }
}

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the API key (default: when one is set). */
  auth?: boolean;
  timeoutMs?: number;
}

export class ApiClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    readonly key?: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  url(path: string, query?: RequestOptions["query"]): string {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    return url.toString();
  }

  async request<T>(method: string, path: string, options: RequestOptions & { schema?: z.ZodType<T> } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (options.body !== undefined) headers["content-type"] ??= "application/json";
    if (this.key && options.auth !== false) headers.authorization = `Bearer ${this.key}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
    } catch (error) {
      throw new UnreachableError(this.baseUrl, transportReason(error));
    }
    const text = await response.text();
    if (!response.ok) throw new ApiError(method, path, response.status, parseProblem(text, response));
    if (text === "" && !options.schema) return undefined as T;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(method, path, response.status, { title: "Unexpected answer", detail: `the body is not JSON: ${text.slice(0, 120)}` });
    }
    if (!options.schema) return body as T;
    const parsed = options.schema.safeParse(body);
    if (!parsed.success) {
      const errors = parsed.error.issues.slice(0, 5).map((issue) => ({ path: issue.path.map(String).join(".") || "(body)", message: issue.message }));
      throw new ApiError(method, path, response.status, { title: "Unexpected answer", detail: "the body does not match the API's contract", errors });
    }
    return parsed.data;
  }

  /** GET a non-JSON resource (an export): the response once it is known to be a success, its body not yet read. */
  async download(path: string, query?: Query): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.key) headers.authorization = `Bearer ${this.key}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, query), { headers });
    } catch (error) {
      throw new UnreachableError(this.baseUrl, transportReason(error));
    }
    if (!response.ok) throw new ApiError("GET", path, response.status, parseProblem(await response.text(), response));
    return response;
  }

  /** GET a resource, validated with its schema; without one, the JSON as it came (an unchecked read). */
  get<S extends z.ZodType>(path: string, schema: S, query?: Query): Promise<z.output<S>>;
  get<T = unknown>(path: string, query?: Query): Promise<T>;
  get(path: string, schemaOrQuery?: z.ZodType | Query, query?: Query): Promise<unknown> {
    return isSchema(schemaOrQuery) ? this.request("GET", path, { query, schema: schemaOrQuery }) : this.request("GET", path, { query: schemaOrQuery });
  }

  /** POST a JSON body; the answer validated with `schema` when one is given. */
  post<S extends z.ZodType>(path: string, body: unknown, schema: S, headers?: Record<string, string>): Promise<z.output<S>>;
  post<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  post(path: string, body: unknown, schemaOrHeaders?: z.ZodType | Record<string, string>, headers?: Record<string, string>): Promise<unknown> {
    return isSchema(schemaOrHeaders)
      ? this.request("POST", path, { body, headers, schema: schemaOrHeaders })
      : this.request("POST", path, { body, headers: schemaOrHeaders });
  }

  /** Every item of a cursor-paginated list (`{data, next_cursor}`), up to `max` items, each validated with `item`. */
  async all<S extends z.ZodType>(path: string, item: S, query: Query = {}, max = Infinity): Promise<z.output<S>[]> {
    const items: z.output<S>[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.request("GET", path, { query: { ...query, cursor }, schema: pageOf(item) });
      items.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor && items.length < max);
    return items.slice(0, max);
  }
}

function isSchema(value: unknown): value is z.ZodType {
  return typeof value === "object" && value !== null && typeof (value as { safeParse?: unknown }).safeParse === "function";
}

function parseProblem(text: string, response: Response): ProblemDetails {
  try {
    const body = JSON.parse(text);
    if (body && typeof body === "object") return body as ProblemDetails;
  } catch {
    // not JSON: fall through
  }
  return { status: response.status, title: response.statusText || "error", detail: text.slice(0, 200) || undefined };
}

function transportReason(error: unknown): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError") return "no answer in time";
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(error);
}
