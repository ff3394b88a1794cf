// RFC 9457 problem details: the one error shape of every Frontier service. Routes throw
// ProblemError (or let zod fail); `onError` and `onNotFound` turn everything into
// application/problem+json, so no service ever writes an error body by hand.
import type { Hook } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { ProblemDocumentSchema, type FieldError } from "@frontier/contracts";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Stable problem type identifiers (each service documents the ones it uses). */
export const PROBLEM_TYPES = {
  validation: "the request did not match the schema; `errors` lists the fields",
  "malformed-json": "the body is not parseable JSON",
  "unsupported-media-type": "the body must be application/json",
  "payload-too-large": "the body is larger than the server's limit",
  "not-found": "no such resource or route",
  "method-not-allowed": "the route exists but not with this method; see Allow",
  unauthorized: "missing or unknown bearer token",
  forbidden: "the token lacks the scope this endpoint needs",
  "rate-limited": "too many requests for this key; see Retry-After",
  conflict: "the request conflicts with the resource's current state",
  "idempotency-key-reused": "this Idempotency-Key was first used with a different request",
  "idempotency-in-progress": "the first request with this Idempotency-Key is still being handled",
  "invalid-signature": "the webhook signature, its headers or its timestamp did not verify",
  "unknown-event": "the webhook event type is not one this endpoint handles",
  unavailable: "the server is not configured for this endpoint, or a dependency is down",
  internal: "an unexpected server error",
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export const problemTypeUri = (type: ProblemType) => `urn:frontier:problem:${type}`;

export type { FieldError };

export interface ProblemInit {
  status: number;
  type: ProblemType;
  title: string;
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members (RFC 9457 extensions). */
  extensions?: Record<string, unknown>;
}

/** Throw from anywhere below a route; `onError` turns it into the response. */
export class ProblemError extends Error {
  constructor(readonly problem: ProblemInit) {
    super(problem.detail ?? problem.title);
    this.name = "ProblemError";
  }
}

export function problemResponse(c: Context, problem: ProblemInit): Response {
  const body = {
    type: problemTypeUri(problem.type),
    title: problem.title,
    status: problem.status,
    ...(problem.detail !== undefined ? { detail: problem.detail } : {}),
    instance: new URL(c.req.url).pathname,
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...problem.extensions,
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...problem.headers },
  });
}

/** Zod issues → `[{path, message}]`, paths dotted ("metadata.name", "tiers.0.tests"). */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldError[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

/** A body that fails validation is 422; bad query, path or header parameters are 400. */
export function validationProblem(errors: FieldError[], status: 400 | 422 = 422, detail?: string): ProblemInit {
  return {
    status,
    type: "validation",
    title: status === 400 ? "Invalid request parameters" : "Request body failed validation",
    detail: detail ?? errors.map((e) => `${e.path}: ${e.message}`).join("; "),
    errors,
  };
}

/** The `defaultHook` of every OpenAPIHono app: zod failures become problem documents. */
// biome-ignore lint/suspicious/noExplicitAny: one hook serves OpenAPIHono apps of different Env types, paths and response types; hono's Hook needs `any` there to be assignable to each app's defaultHook
export const validationHook: Hook<unknown, any, any, any> = (result, c) => {
  if (result.success) return;
  const status = result.target === "json" || result.target === "form" ? 422 : 400;
  return problemResponse(c, validationProblem(fieldErrors(result.error.issues), status));
};

/** `app.notFound(onNotFound)`. */
export function onNotFound(c: Context): Response {
  return problemResponse(c, { status: 404, type: "not-found", title: "Not found", detail: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` });
}

/** `app.onError(onError)`: problems, Hono's own exceptions (bearer auth, body limit, bad JSON), then 500. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof ProblemError) return problemResponse(c, err.problem);
  if (err instanceof HTTPException) {
    const headers: Record<string, string> = {};
    const challenge = err.res?.headers.get("www-authenticate");
    if (challenge) headers["www-authenticate"] = challenge;
    if (err.status === 401)
      return problemResponse(c, { status: 401, type: "unauthorized", title: "Unauthorized", detail: "send Authorization: Bearer <token>", headers });
    if (err.status === 400 && challenge) {
      return problemResponse(c, {
        status: 400,
        type: "unauthorized",
        title: "Malformed Authorization header",
        detail: "send Authorization: Bearer <token>",
        headers,
      });
    }
    if (err.status === 400 && /json/i.test(err.message)) {
      return problemResponse(c, { status: 400, type: "malformed-json", title: "Malformed JSON", detail: err.message });
    }
    if (err.status === 413) return problemResponse(c, { status: 413, type: "payload-too-large", title: "Payload too large" });
    if (err.status < 500) return problemResponse(c, { status: err.status, type: "validation", title: "Bad request", detail: err.message });
  }
  console.error("unhandled error", c.req.method, new URL(c.req.url).pathname, err);
  return problemResponse(c, { status: 500, type: "internal", title: "Internal server error" });
}

/** The problem document for OpenAPI descriptions (the same schema the clients validate with). */
// clone(): zod copies `.openapi` onto a schema when it is created, so a contracts schema built
// before @hono/zod-openapi was first imported (a caller that imports @frontier/contracts first) lacks it.
export const ProblemSchema = ProblemDocumentSchema.clone().openapi("Problem");

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request (malformed JSON, bad query, path or header)",
  401: "Missing or unknown bearer token, or a webhook that does not verify",
  403: "The token lacks the scope",
  404: "Not found",
  409: "Conflict with the resource's state",
  413: "Body over the size limit",
  415: "Body is not application/json",
  422: "Body failed validation (fields listed in errors)",
  429: "Rate limited",
  503: "Not configured, or a dependency is down",
};

/** OpenAPI `responses` entries for the listed error statuses. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: STATUS_TEXT[status] ?? "Error", content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } }]),
  );
}

export { z };
