// GET /v1/health: sandbox availability, capacity, queue depth and toolchain versions (no auth).
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { ExecutorHealthSchema } from "@frontier/contracts";
import type { Judge } from "../../judge.ts";

const route = createRoute({
  method: "get",
  path: "/v1/health",
  summary: "Sandbox availability, capacity and toolchain versions",
  responses: {
    200: {
      description: "The executor answers; `status` is degraded when sandboxes cannot start",
      content: { "application/json": { schema: ExecutorHealthSchema } },
    },
  },
});

export function mountHealth(app: OpenAPIHono, judge: Judge): void {
  app.openapi(route, async (c) => {
    const probe = await judge.probe();
    const stats = judge.stats();
    return c.json(
      {
        status: probe.available ? ("ok" as const) : ("degraded" as const),
        sandbox: probe.available ? { available: true } : { available: false, reason: probe.reason },
        isolation: probe.isolation,
        capacity: stats.capacity,
        running: stats.running,
        queue_depth: stats.queued,
        versions: probe.versions,
        executor_version: probe.executorVersion,
        speed_factor: judge.speedFactor(),
        retime_factor: judge.config.retimeFactor,
      },
      200,
    );
  });
}
