// GET /v1/evaluations/{id}/export: the evaluation as JSONL — a header line with the full protocol
// and versions, then every sample with its verdict (services/export.ts). Streamed.
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import type { App } from "../http/env.ts";
import { ownedOr404 } from "../services/access.ts";
import type { Ports } from "../ports.ts";
import { evaluationOr404 } from "../services/evaluations.ts";
import { exportStream } from "../services/export.ts";

export function mountEvaluationExport(app: App, ports: Ports) {
  const route = createRoute({
    method: "get",
    path: "/v1/evaluations/{id}/export",
    tags: ["evaluations"],
    summary: "Export an evaluation as JSONL: protocol and versions, then samples with verdicts",
    description:
      'The first line is `{"type":"header", format, evaluation, status, checkpoint, protocol, versions}`; every further line is ' +
      '`{"type":"sample", …}` as in `…/samples`, ordered by problem and index. Streamed; any status may be exported.',
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: {
      200: { description: "JSON Lines", content: { "application/x-ndjson": { schema: z.string() } } },
      ...problemResponses(400, 404),
    },
  });
  app.openapi(route, async (c) => {
    const evaluation = ownedOr404(c, await evaluationOr404(ports, c.req.valid("param").id), "Evaluation", c.req.valid("param").id);
    return c.body(exportStream(ports.db, evaluation, ports.completions), 200, {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${evaluation.id}.jsonl"`,
      "cache-control": "no-store",
    }) as never;
  });
}
