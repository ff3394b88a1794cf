// GET /v1/evaluations/:id/metrics?k=…: pass@k with standard errors, failure breakdown (per tier),
// per-problem counts — computed from the samples judged so far (`complete` says whether that is all).
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import type { App } from "../http/env.ts";
import { parseKs } from "../http/query.ts";
import { EvaluationMetrics } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { ownedOr404 } from "../services/access.ts";

import { getBenchmark } from "../services/benchmarks.ts";
import { evaluationOr404 } from "../services/evaluations.ts";
import { metricsFromRows, verdictRows } from "../services/metrics.ts";

export function mountEvaluationMetrics(app: App, ports: Ports) {
  const route = createRoute({
    method: "get",
    path: "/v1/evaluations/{id}/metrics",
    tags: ["metrics"],
    summary: "pass@k, failure breakdown and per-problem counts of an evaluation",
    description:
      "Unbiased pass@k (averaged over problems; a k above some problem's n is listed in `skipped_k`), standard errors over " +
      "problems, the correctness/efficiency failure breakdown overall and per tier, SE counted apart (`se_left_out`: the SE samples the figures leave out).",
    security: [{ apiKey: [] }],
    request: {
      params: z.object({ id: z.string().min(1).max(64) }),
      query: z.object({ k: z.string().max(300).optional().openapi({ example: "1,10,100" }) }),
    },
    responses: { 200: { description: "Metrics", content: { "application/json": { schema: EvaluationMetrics } } }, ...problemResponses(400, 404) },
  });
  app.openapi(route, async (c) => {
    const evaluation = ownedOr404(c, await evaluationOr404(ports, c.req.valid("param").id), "Evaluation", c.req.valid("param").id);
    const ks = parseKs(c.req.valid("query").k);
    const benchmark = await getBenchmark(ports.db, evaluation.benchmark, evaluation.benchmarkVersion);
    const metrics = metricsFromRows(await verdictRows(ports.db, evaluation.id), ks, benchmark?.tiers.length || undefined);
    return c.json(
      {
        evaluation: evaluation.id,
        checkpoint: evaluation.checkpointId,
        benchmark: { name: evaluation.benchmark, version: evaluation.benchmarkVersion },
        complete: evaluation.status === "complete" || evaluation.status === "complete_with_errors",
        ...metrics,
      },
      200,
    );
  });
}
