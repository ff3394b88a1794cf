// RFC 9457 problem details: every 4xx/5xx the API returns is application/problem+json built here.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "@hono/zod-openapi";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Stable problem type identifiers; /docs lists them. */
export const PROBLEM_TYPES = {
  validation: "the request did not match the schema; `errors` lists the fields",
  "malformed-json": "the body is not parseable JSON",
  "unsupported-media-type": "the body must be application/json",
  "payload-too-large": "the body is larger than the server's limit",
  "not-found": "no such resource or route",
  "method-not-allowed": "the route exists but not with this method; see Allow",
  unauthorized: "missing or unknown API key",
  forbidden: "the API key lacks the scope this endpoint needs",
  "rate-limited": "too many write requests for this API key; see Retry-After",
  "idempotency-key-reused": "this Idempotency-Key was first used with a different request",
  "idempotency-in-progress": "the first request with this Idempotency-Key is still being handled",
  "invalid-signature": "the webhook signature, its headers or its timestamp did not verify",
  "unknown-event": "the webhook event type is not one this endpoint handles",
  unavailable: "the server is not configured for this endpoint",
  internal: "an unexpected server error",
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export const problemTypeUri = (type: ProblemType) => `urn:frontier:problem:${type}`;

export type FieldError = { path: string; message: string };

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

/** Throw from anywhere below a route; the app's error handler turns it into the response. */
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

export function validationProblem(errors: FieldError[], status = 422, detail?: string): ProblemInit {
  return {
    status,
    type: "validation",
    title: status === 400 ? "Invalid request parameters" : "Request body failed validation",
    detail: detail ?? errors.map((e) => `${e.path}: ${e.message}`).join("; "),
    errors,
  };
}

export function onError(err: Error, c: Context): Response {
  if (err instanceof ProblemError) return problemResponse(c, err.problem);
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message)) {
      return problemResponse(c, { status: 400, type: "malformed-json", title: "Malformed JSON", detail: err.message });
    }
    if (err.status === 413) {
      return problemResponse(c, { status: 413, type: "payload-too-large", title: "Payload too large" });
    }
    if (err.status < 500) {
      return problemResponse(c, { status: err.status, type: "validation", title: "Bad request", detail: err.message });
    }
  }
  console.error("unhandled error", c.req.method, new URL(c.req.url).pathname, err);
  return problemResponse(c, { status: 500, type: "internal", title: "Internal server error" });
}

/** The schema of a problem document, for the OpenAPI description. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: problemTypeUri("validation") }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request (malformed JSON, bad query or cursor)",
  401: "Missing or unknown API key, or a webhook that does not verify",
  403: "API key lacks the scope",
  404: "Not found",
  409: "A request with this Idempotency-Key is in progress",
  413: "Body over the size limit",
  415: "Body is not application/json",
  422: "Body failed validation (fields listed in errors)",
  429: "Rate limited",
  503: "Not configured",
};

/** OpenAPI `responses` entries for the listed error statuses. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: STATUS_TEXT[status] ?? "Error", content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } },
    ]),
  );
}
