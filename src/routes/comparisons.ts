// Comparisons: POST {a, b, k} answers the paired difference in pass@k of evaluation b against a on
// the same problems, with paired bootstrap intervals. Computed on request, not stored.
import { createRoute } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import { Comparison } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { teamOf } from "../services/access.ts";
import { ComparisonRequestSchema, compareEvaluations } from "../services/comparisons.ts";

export function mountComparisons(app: App, ports: Ports) {
  const create = createRoute({
    method: "post",
    path: "/v1/comparisons",
    tags: ["metrics"],
    summary: "Paired comparison of two complete evaluations on the same problems",
    description:
      "For each k: mean pass@k of `a` and of `b` over their shared problems, the difference b − a, its standard error over " +
      "problems and a paired percentile bootstrap 95% interval (`seed`, `resamples`). Both must be complete evaluations of one " +
      "benchmark version with the same problems. Needs `submit`.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "submit"), rateLimitWrites(ports)] as const,
    request: { body: { required: true, content: { "application/json": { schema: ComparisonRequestSchema.openapi("ComparisonRequest") } } } },
    responses: {
      200: { description: "The comparison", content: { "application/json": { schema: Comparison } } },
      ...problemResponses(400, 401, 403, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => c.json(await compareEvaluations(ports, c.req.valid("json"), teamOf(c)), 200));
}
