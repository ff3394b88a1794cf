// GET /v1/evaluations/:id/metrics?k=…: pass@k with standard errors, failure breakdown (per tier),
// per-problem counts — computed from the samples judged so far (`complete` says whether that is all).
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.ts";
import { ProblemError, problemResponses, validationProblem } from "../http/problem.ts";
import type { Ports } from "../ports.ts";
import { getBenchmark } from "../services/benchmarks.ts";
import { metricsFromRows, STANDARD_KS, verdictRows } from "../services/metrics.ts";
import { evaluationOr404 } from "./evaluations.ts";

const Metrics = z
  .object({
    evaluation: z.string(),
    checkpoint: z.string(),
    benchmark: z.object({ name: z.string(), version: z.string() }),
    complete: z.boolean(),
    pass_at_k: z.record(z.string(), z.number()),
    se: z.record(z.string(), z.number().nullable()),
    skipped_k: z.array(z.number()),
    min_n: z.number().int(),
    problems: z.number().int(),
    problems_without_judged_samples: z.array(z.string()),
    breakdown: z.record(z.string(), z.unknown()),
    per_problem: z.array(z.object({ problem: z.string(), n: z.number().int(), c: z.number().int(), verdicts: z.record(z.string(), z.number()) })),
  })
  .openapi("EvaluationMetrics");

export function parseKs(text: string | undefined): number[] {
  if (text === undefined || text.trim() === "") return [...STANDARD_KS];
  const parts = text.split(",").map((part) => part.trim());
  const ks = parts.map(Number);
  const bad = parts.filter((_, i) => !Number.isInteger(ks[i]) || ks[i] < 1 || ks[i] > 100_000);
  if (bad.length || ks.length > 32) {
    throw new ProblemError(validationProblem([{ path: "k", message: "a comma-separated list of at most 32 integers in 1..100000" }], 400));
  }
  return [...new Set(ks)];
}

export function mountEvaluationMetrics(app: App, ports: Ports) {
  const route = createRoute({
    method: "get",
    path: "/v1/evaluations/{id}/metrics",
    tags: ["metrics"],
    summary: "pass@k, failure breakdown and per-problem counts of an evaluation",
    description:
      "Unbiased pass@k (averaged over problems; a k above some problem's n is listed in `skipped_k`), standard errors over " +
      "problems, the correctness/efficiency failure breakdown overall and per tier, SE counted apart.",
    request: {
      params: z.object({ id: z.string().min(1).max(64) }),
      query: z.object({ k: z.string().max(300).optional().openapi({ example: "1,10,100" }) }),
    },
    responses: { 200: { description: "Metrics", content: { "application/json": { schema: Metrics } } }, ...problemResponses(400, 404) },
  });
  app.openapi(route, async (c) => {
    const evaluation = await evaluationOr404(ports, c.req.valid("param").id);
    const ks = parseKs(c.req.valid("query").k);
    const benchmark = await getBenchmark(ports.db, evaluation.benchmark, evaluation.benchmarkVersion);
    const metrics = metricsFromRows(await verdictRows(ports.db, evaluation.id), ks, benchmark?.tiers.length || undefined);
    return c.json(
      {
        evaluation: evaluation.id,
        checkpoint: evaluation.checkpointId,
        benchmark: { name: evaluation.benchmark, version: evaluation.benchmarkVersion },
        complete: evaluation.status === "complete",
        ...metrics,
        breakdown: metrics.breakdown as unknown as Record<string, unknown>,
      },
      200,
    );
  });
}
