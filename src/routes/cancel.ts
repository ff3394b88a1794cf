// Cancel: POST /v1/{evaluations|merges|submissions}/{id}/cancel stops queued and running work
// (services/cancel.ts). Idempotent; 409 for work that already finished.
import { EvaluationSchema, MergeSchema } from "@frontier/contracts";
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import { Evaluation, Merge, Submission } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { teamOf } from "../services/access.ts";
import { cancelEvaluation, cancelMerge, cancelSubmission } from "../services/cancel.ts";
import { evaluationJson } from "../services/evaluations.ts";
import { mergeJson } from "../services/merges.ts";
import { submissionJson } from "../services/submissions.ts";

const params = z.object({ id: z.string().min(1).max(64) });

export function mountCancel(app: App, ports: Ports) {
  const route = (resource: "evaluations" | "merges" | "submissions", schema: z.ZodType, what: string) =>
    createRoute({
      method: "post",
      path: `/v1/${resource}/{id}/cancel`,
      tags: [resource],
      summary: `Cancel ${what}`,
      description:
        "Needs `submit`. Stops queued and running work: its status becomes `cancelled`, the queue consumers drop its messages and " +
        "completions that still arrive are ignored. Cancelling again answers the same; work that already finished is 409.",
      security: [{ apiKey: [] }],
      middleware: [requireScope(ports, "submit"), rateLimitWrites(ports)] as const,
      request: { params },
      responses: {
        200: { description: "Cancelled", content: { "application/json": { schema } } },
        ...problemResponses(400, 401, 403, 404, 409, 429),
      },
    });

  app.openapi(route("evaluations", Evaluation, "an evaluation"), async (c) => {
    const row = await cancelEvaluation(ports, c.req.valid("param").id, teamOf(c));
    return c.json(EvaluationSchema.parse(await evaluationJson(ports.db, row)), 200);
  });
  app.openapi(route("merges", Merge, "a merge: its outputs still merging and the evaluations they started"), async (c) => {
    const merge = await cancelMerge(ports, c.req.valid("param").id, teamOf(c));
    return c.json(MergeSchema.parse(mergeJson(merge)), 200);
  });
  app.openapi(route("submissions", Submission, "a submission (and its evaluation, unless another submission waits on it)"), async (c) => {
    const row = await cancelSubmission(ports, c.req.valid("param").id, teamOf(c));
    return c.json(await submissionJson(ports.db, row), 200);
  });
}
