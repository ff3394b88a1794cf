// GET /v1/openapi.json: the executor's API described from the same schemas it validates with.
import type { OpenAPIHono } from "@hono/zod-openapi";

export function mountOpenApi(app: OpenAPIHono): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "EXECUTOR_TOKEN" });
  app.doc31("/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Frontier executor",
      version: "1",
      description: "Sandboxed judge: POST /v1/judge, GET /v1/health. Errors are application/problem+json (RFC 9457).",
    },
  });
}
