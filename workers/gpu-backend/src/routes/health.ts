import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { BackendHealthSchema } from "@frontier/contracts";
import type { Env } from "../context.ts";

const route = createRoute({
  method: "get",
  path: "/v1/health",
  summary: "Liveness; needs no token",
  responses: {
    200: { description: "the service is up", content: { "application/json": { schema: BackendHealthSchema } } },
  },
});

export function registerHealth(app: OpenAPIHono<Env>): void {
  app.openapi(route, (c) => {
    const { merges, samples, samplerName } = c.get("services");
    return c.json({ status: "ok" as const, sampler: samplerName, merges_running: merges.running, samples_running: samples.running }, 200);
  });
}
