// GET /v1/audit: the team's writes (who, what, when), newest first. Team admins only.
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import type { Ports } from "../ports.ts";
import { teamOf } from "../services/access.ts";
import { auditPage } from "../services/teams.ts";

const AuditEntry = z
  .object({
    id: z.string(),
    actor: z.string().openapi({ description: "The API key id, or webhook:<secret id> for a signed training-run event" }),
    method: z.string(),
    path: z.string(),
    status: z.number().int(),
    at: z.string(),
  })
  .openapi("AuditEntry");

export function mountAudit(app: App, ports: Ports) {
  const route = createRoute({
    method: "get",
    path: "/v1/audit",
    tags: ["teams"],
    summary: "The team's audit log of writes (admin)",
    description: "One entry per accepted write (an Idempotency-Key replay is not a second write), newest first.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "admin")] as const,
    request: {
      query: z.object({
        cursor: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    },
    responses: {
      200: {
        description: "A page of the log",
        content: { "application/json": { schema: z.object({ data: z.array(AuditEntry), next_cursor: z.string().nullable() }) } },
      },
      ...problemResponses(400, 401, 403),
    },
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    return c.json(await auditPage(ports.db, teamOf(c), { before: query.cursor, limit: query.limit }), 200);
  });
}
