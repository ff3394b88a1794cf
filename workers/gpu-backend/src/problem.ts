// RFC 9457 problem details, the one error shape of this API.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

// Typed `never` so a typed OpenAPI handler may return it beside its declared JSON responses.
export function problem(c: Context, status: ContentfulStatusCode, title: string, detail?: string, extensions: Record<string, unknown> = {}): never {
  const body: ProblemDetails = { type: "about:blank", title, status, ...(detail ? { detail } : {}), ...extensions };
  return c.body(JSON.stringify(body), status, { "content-type": "application/problem+json" }) as never;
}
