// GET /v1/health: sandbox availability, capacity, queue depth and toolchain versions (no auth).
import type { Hono } from "hono";
import type { Judge } from "../../judge.ts";

export function registerHealth(app: Hono, judge: Judge): void {
  app.get("/v1/health", async (c) => {
    const probe = await judge.probe();
    const stats = judge.stats();
    return c.json({
      status: probe.available ? "ok" : "degraded",
      sandbox: probe.available ? { available: true } : { available: false, reason: probe.reason },
      capacity: stats.capacity,
      running: stats.running,
      queue_depth: stats.queued,
      versions: probe.versions,
    });
  });
}
