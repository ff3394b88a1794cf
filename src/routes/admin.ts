// The operator's view (admin scope; issue 20 moves it to `operator`): GET /v1/admin/status and
// POST /v1/admin/replay-dlq.
import { createRoute } from "@hono/zod-openapi";
import { AdminStatusSchema, ReplayDlqSchema } from "@frontier/contracts";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import type { Ports } from "../ports.ts";
import { adminStatus, replayDeadLetters } from "../services/admin.ts";

const AdminStatus = AdminStatusSchema.openapi("AdminStatus");
const ReplayDlq = ReplayDlqSchema.openapi("ReplayDlq");

export function mountAdmin(app: App, ports: Ports) {
  const status = createRoute({
    method: "get",
    path: "/v1/admin/status",
    tags: ["admin"],
    summary: "Pending work per queue, the oldest pending sample, dead letters, executor and backend health",
    description:
      "Needs `operator`. A Worker cannot read a Cloudflare queue's backlog, so `queues.exposed` is false and each queue's " +
      "pending work is counted from D1 (evaluations still sampling, merges running, samples waiting for a verdict). " +
      "The executor and the backend are asked for their /v1/health (5 s each).",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "operator")] as const,
    responses: { 200: { description: "Status", content: { "application/json": { schema: AdminStatus } } }, ...problemResponses(401, 403) },
  });
  app.openapi(status, async (c) => {
    c.header("cache-control", "no-store");
    return c.json(await adminStatus(ports), 200);
  });

  const replay = createRoute({
    method: "post",
    path: "/v1/admin/replay-dlq",
    tags: ["admin"],
    summary: "Re-queue the programs the executions dead-letter queue gave up on",
    description:
      "Needs `operator`. Every complete_with_errors evaluation holding SE samples from the dead-letter queue has its SE samples " +
      "re-judged (as POST /v1/evaluations/{id}/retry-errors), at most 50 evaluations per call, oldest first. Evaluations failed " +
      "by the sampling dead-letter queue are counted by GET /v1/admin/status and are re-created, not replayed.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "operator"), rateLimitWrites(ports)] as const,
    responses: { 202: { description: "Re-queued", content: { "application/json": { schema: ReplayDlq } } }, ...problemResponses(401, 403, 429) },
  });
  app.openapi(replay, async (c) => c.json(await replayDeadLetters(ports), 202));
}
