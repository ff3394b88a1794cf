// GET /v1/runs/:run/frontier: the correctness–efficiency frontier over a run's evaluated checkpoints.
import { createRoute, z } from "@hono/zod-openapi";
import { SETTINGS } from "@frontier/contracts";
import { problemResponses } from "@frontier/http";
import type { App } from "../http/env.ts";
import { parseKs } from "../http/query.ts";
import { Frontier } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { readerTeamOr404 } from "../services/access.ts";
import { runFrontier } from "../services/analysis.ts";

export function mountRunFrontier(app: App, ports: Ports) {
  const route = createRoute({
    method: "get",
    path: "/v1/runs/{run}/frontier",
    tags: ["metrics"],
    summary: "Frontier of a run: failure rates and pass@k per checkpoint, the Pareto set, complementarity",
    description:
      "Private to the run's team (a `read` key). One point per checkpoint of the run that has a complete evaluation on the benchmark (its latest), with α for merge-grid " +
      "points, ordered by α. `benchmark` (name or name@version) is needed when the run was evaluated on several. " +
      "`track`: only evaluations that follow the track's protocol and cover its problem set.",
    security: [{ apiKey: [] }],
    request: {
      params: z.object({ run: z.string().min(1).max(128) }),
      query: z.object({
        k: z.string().max(300).optional().openapi({ example: "1,10" }),
        benchmark: z.string().min(1).max(300).optional(),
        track: z.string().min(1).max(64).optional().openapi({ description: "Only evaluations that rank on this track" }),
        setting: z.enum(SETTINGS).optional().openapi({ description: "reasoning (default), tool or agentic: the frontier is per setting" }),
      }),
    },
    responses: { 200: { description: "The frontier", content: { "application/json": { schema: Frontier } } }, ...problemResponses(400, 404) },
  });
  app.openapi(route, async (c) => {
    const { run } = c.req.valid("param");
    const query = c.req.valid("query");
    const result = await runFrontier(ports.db, run, {
      benchmark: query.benchmark,
      track: query.track,
      ks: query.k ? parseKs(query.k) : [1],
      setting: query.setting,
      teamId: readerTeamOr404(c, "Run", run),
    });
    return c.json(result, 200);
  });
}
