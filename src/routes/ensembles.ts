// Ensembles: POST {members: [evaluation ids], budget, allocation} computes and stores ensemble
// pass@budget; GET reads a stored one.
import { createRoute, z } from "@hono/zod-openapi";
import { EnsembleSchema } from "@frontier/contracts";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import { Ensemble } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { ownedOr404, teamOf } from "../services/access.ts";

import { createEnsemble, EnsembleRequestSchema, ensembleJson, getEnsemble } from "../services/analysis.ts";

export function mountEnsembles(app: App, ports: Ports) {
  const create = createRoute({
    method: "post",
    path: "/v1/ensembles",
    tags: ["metrics"],
    summary: "Ensemble pass@k at a fixed sample budget across complete evaluations",
    description:
      "Splits `budget` samples per problem across the member evaluations (`equal`, `proportional` with `weights`, or " +
      "`optimized`, which warns that it is fit on the samples it is scored on unless `holdout` is given) and compares with " +
      "the best single member at the same budget. Members must be complete evaluations of one benchmark version. Needs `submit`.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "submit"), rateLimitWrites(ports)] as const,
    request: { body: { required: true, content: { "application/json": { schema: EnsembleRequestSchema.openapi("EnsembleRequest") } } } },
    responses: {
      201: { description: "Computed and stored", content: { "application/json": { schema: Ensemble } } },
      ...problemResponses(400, 401, 403, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => {
    const row = await createEnsemble(ports, c.req.valid("json"), teamOf(c));
    c.header("location", `/v1/ensembles/${row.id}`);
    // The stored result is untyped JSON: checked against the contract on the way out.
    return c.json(EnsembleSchema.parse(ensembleJson(row)), 201);
  });

  const getOne = createRoute({
    method: "get",
    path: "/v1/ensembles/{id}",
    tags: ["metrics"],
    summary: "A stored ensemble result",
    security: [{ apiKey: [] }],
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 200: { description: "The ensemble", content: { "application/json": { schema: Ensemble } } }, ...problemResponses(400, 404) },
  });
  app.openapi(getOne, async (c) => {
    const { id } = c.req.valid("param");
    const row = ownedOr404(c, await getEnsemble(ports.db, id), "Ensemble", id);
    return c.json(EnsembleSchema.parse(ensembleJson(row)), 200);
  });
}
