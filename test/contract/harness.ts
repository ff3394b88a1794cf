// What the contract suite needs from a running Frontier API, whatever runtime serves it.
// The workerd harness is test/src/contract.test.ts; a Deno harness implements the same shape.
export type ApiScope = "read" | "submit" | "admin" | "operator";

/** A fetch Response whose json() is untyped (the suite asserts on shapes itself). */
export type ApiResponse = Omit<Response, "json"> & { json(): Promise<any> };

export interface ContractHarness {
  /** Sends a request to the API; `path` is absolute ("/v1/health") and may carry a query. Any fetch Response fits. */
  fetch(path: string, init?: RequestInit): Promise<ApiResponse>;
  /** Creates an API key with these scopes directly in the server's database and returns the secret key. */
  createApiKey(scopes: ApiScope[]): Promise<string>;
  /** The server's WEBHOOK_SECRET (`whsec_…`). */
  webhookSecret: string;
  /** The server's notion of now (webhook timestamps are checked against it). */
  now(): Date;
  /** Whether the server was started with ALLOW_FILE_URLS (the local demo). Default false. */
  allowsFileUrls?: boolean;
}

export const PROBLEM_JSON = "application/problem+json";

/** A run name no other test uses, so tests can share one database. */
export function uniqueRun(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function jsonInit(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } };
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** Asserts an RFC 9457 problem document and returns it. */
export async function expectProblem(
  expect: (value: unknown) => any,
  response: ApiResponse,
  status: number,
  type?: string,
): Promise<{ type: string; title: string; status: number; detail?: string; instance?: string; errors?: { path: string; message: string }[] }> {
  const text = await response.text();
  expect({ status: response.status, body: text.slice(0, 300) }).toMatchObject({ status });
  expect(response.headers.get("content-type")).toContain(PROBLEM_JSON);
  const problem = JSON.parse(text);
  expect(problem.status).toBe(status);
  expect(typeof problem.title).toBe("string");
  expect(typeof problem.type).toBe("string");
  if (type) expect(problem.type).toBe(`urn:frontier:problem:${type}`);
  return problem;
}

const readKeys = new WeakMap<ContractHarness, Promise<string>>();

/** A GET with a read key of the default team (the team every createApiKey key belongs to): reads are private. */
export async function read(h: ContractHarness, path: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
  if (!readKeys.has(h)) readKeys.set(h, h.createApiKey(["read"]));
  return h.fetch(path, { headers: { ...bearer(await readKeys.get(h)!), ...headers } });
}
