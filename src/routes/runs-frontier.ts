// GET /v1/runs/:run/frontier: the correctness–efficiency frontier over a run's evaluated checkpoints.
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.ts";
import { problemResponses } from "../http/problem.ts";
import type { Ports } from "../ports.ts";
import { runFrontier } from "../services/analysis.ts";
import { parseKs } from "./evaluation-metrics.ts";

const Frontier = z
  .object({
    run: z.string(),
    benchmark: z.string().nullable(),
    points: z.array(
      z.object({
        checkpoint: z.string(),
        evaluation: z.string(),
        label: z.string().nullable(),
        alpha: z.number().nullable(),
        correctness_failure_rate: z.number().nullable(),
        efficiency_failure_rate: z.number().nullable(),
        pass_at_k: z.record(z.string(), z.number().nullable()),
        judged: z.number().int(),
        problems: z.number().int(),
        pareto: z.boolean(),
      }),
    ),
    pareto: z.array(z.string()),
    complementarity: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("Frontier");

export function mountRunFrontier(app: App, ports: Ports) {
  const route = createRoute({
    method: "get",
    path: "/v1/runs/{run}/frontier",
    tags: ["metrics"],
    summary: "Frontier of a run: failure rates and pass@k per checkpoint, the Pareto set, complementarity",
    description:
      "One point per checkpoint of the run that has a complete evaluation on the benchmark (its latest), with α for merge-grid " +
      "points, ordered by α. `benchmark` (name or name@version) is needed when the run was evaluated on several.",
    request: {
      params: z.object({ run: z.string().min(1).max(128) }),
      query: z.object({ k: z.string().max(300).optional().openapi({ example: "1,10" }), benchmark: z.string().min(1).max(300).optional() }),
    },
    responses: { 200: { description: "The frontier", content: { "application/json": { schema: Frontier } } }, ...problemResponses(400) },
  });
  app.openapi(route, async (c) => {
    const { run } = c.req.valid("param");
    const query = c.req.valid("query");
    const result = await runFrontier(ports.db, run, { benchmark: query.benchmark, ks: query.k ? parseKs(query.k) : [1] });
    return c.json(result as unknown as z.infer<typeof Frontier>, 200);
  });
}
