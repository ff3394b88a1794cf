// RFC 9457 problem details for every error the executor's HTTP API returns.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export function problemResponse(c: Context, status: ContentfulStatusCode, title: string, detail?: string, extra: Record<string, unknown> = {}): Response {
  const body = { type: "about:blank", title, status, ...(detail ? { detail } : {}), instance: c.req.path, ...extra };
  return c.body(JSON.stringify(body), status, { "content-type": "application/problem+json" });
}
