// POST /v1/evaluations/:id/retry-errors (admin): re-queues the SE samples of a complete_with_errors
// evaluation (the executor could not judge them, e.g. it was down past the retry horizon).
import { createRoute, z } from "@hono/zod-openapi";
import { EvaluationSchema } from "@frontier/contracts";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import { Evaluation } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { ownedOr404 } from "../services/access.ts";
import { getEvaluation } from "../services/evaluation-store.ts";

import { evaluationJson } from "../services/evaluations.ts";
import { retryErrors } from "../services/retry-errors.ts";

const RetryErrors = z
  .object({
    requeued: z.number().int().openapi({ description: "SE samples set back to pending" }),
    messages: z.number().int().openapi({ description: "executions messages sent for them" }),
    cached: z.number().int().openapi({ description: "of them, answered at once by the verdict cache" }),
    evaluation: Evaluation,
  })
  .openapi("RetryErrors");

export function mountEvaluationRetryErrors(app: App, ports: Ports) {
  const route = createRoute({
    method: "post",
    path: "/v1/evaluations/{id}/retry-errors",
    tags: ["evaluations"],
    summary: "Re-judge the SE samples of an evaluation",
    description:
      "For a `complete_with_errors` evaluation: its SE samples (the executor could not judge them) go back to pending and " +
      "to the executions queue; the evaluation is `judging` again until they have verdicts. 409 for any other status. Needs `admin`.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "admin"), rateLimitWrites(ports)] as const,
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: {
      202: { description: "Re-queued", content: { "application/json": { schema: RetryErrors } } },
      ...problemResponses(400, 401, 403, 404, 409, 429),
    },
  });
  app.openapi(route, async (c) => {
    ownedOr404(c, await getEvaluation(ports.db, c.req.valid("param").id), "Evaluation", c.req.valid("param").id);
    const result = await retryErrors(ports, c.req.valid("param").id);
    c.header("location", `/v1/evaluations/${result.evaluation.id}`);
    return c.json(
      {
        requeued: result.requeued,
        messages: result.messages,
        cached: result.cached,
        evaluation: EvaluationSchema.parse(await evaluationJson(ports.db, result.evaluation)),
      },
      202,
    );
  });
}
