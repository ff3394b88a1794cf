// GET /v1/health: liveness plus a one-row query, so a broken database binding shows up.
import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { App } from "../http/env.ts";
import type { Ports } from "../ports.ts";

const Health = z.object({ status: z.enum(["ok", "degraded"]), time: z.string(), checks: z.object({ db: z.enum(["ok", "failing"]) }) }).openapi("Health");

const route = createRoute({
  method: "get",
  path: "/v1/health",
  tags: ["service"],
  summary: "Service health",
  responses: {
    200: { description: "Healthy", content: { "application/json": { schema: Health } } },
    503: { description: "The database is not answering", content: { "application/json": { schema: Health } } },
  },
});

export function mountHealth(app: App, ports: Ports) {
  app.openapi(route, async (c) => {
    let db: "ok" | "failing" = "ok";
    try {
      await ports.db.run(sql`select 1`);
    } catch (error) {
      console.error("health: database check failed", error);
      db = "failing";
    }
    const body = { status: db === "ok" ? ("ok" as const) : ("degraded" as const), time: ports.clock.now().toISOString(), checks: { db } };
    return db === "ok" ? c.json(body, 200) : c.json(body, 503);
  });
}
