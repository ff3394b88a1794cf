// Merges: POST a grid {a, b, alphas} or an affine combination {parents}; GET one with its outputs.
import { createRoute, z } from "@hono/zod-openapi";
import { MergeSchema } from "@frontier/contracts";
import { ProblemError, problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { idempotent } from "../http/idempotency.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import { Merge } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { ownedOr404, teamOf } from "../services/access.ts";

import { createMerge, getMerge, mergeJson, MergeRequestSchema } from "../services/merges.ts";

export function mountMerges(app: App, ports: Ports) {
  const create = createRoute({
    method: "post",
    path: "/v1/merges",
    tags: ["merges"],
    summary: "Merge checkpoints (a grid over α, or an affine combination)",
    description:
      "`{a, b, alphas}` creates one derived checkpoint per α with θ(α) = (1−α)·θ_a + α·θ_b (α < 0 or > 1 extrapolates); " +
      "`{parents: [{checkpoint, coefficient}]}` creates one with θ = Σ cᵢ·θᵢ (coefficients sum to 1). Derived checkpoints " +
      "record their lineage and are `pending` (merge status `merging`) until the backend has written them, then `ready` " +
      "with the output URL, or `failed` with the backend's reason. `evaluate` (the parameters of POST /v1/evaluations " +
      "without `checkpoint`) starts an evaluation of each output once it is ready. Needs the `submit` scope.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "submit"), rateLimitWrites(ports), idempotent(ports)] as const,
    request: {
      headers: z.object({ "idempotency-key": z.string().optional() }),
      body: { required: true, content: { "application/json": { schema: MergeRequestSchema.openapi("MergeRequest") } } },
    },
    responses: {
      202: { description: "Accepted: the merge runs in the background", content: { "application/json": { schema: Merge } } },
      ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => {
    const merge = await createMerge(ports, c.req.valid("json"), teamOf(c));
    c.header("location", `/v1/merges/${merge.merge.id}`);
    // Parsed, not asserted: the merge's status is derived as a plain string.
    return c.json(MergeSchema.parse(mergeJson(merge)), 202);
  });

  const getOne = createRoute({
    method: "get",
    path: "/v1/merges/{id}",
    tags: ["merges"],
    summary: "One merge and its derived checkpoints",
    description: "Needs a key of the merge's team (`read`).",
    security: [{ apiKey: [] }],
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 200: { description: "The merge", content: { "application/json": { schema: Merge } } }, ...problemResponses(400, 404) },
  });
  app.openapi(getOne, async (c) => {
    const { id } = c.req.valid("param");
    const merge = await getMerge(ports.db, id);
    ownedOr404(c, merge?.merge, "Merge", id);
    if (!merge) throw new ProblemError({ status: 404, type: "not-found", title: "Merge not found", detail: `no merge ${id}` });
    return c.json(MergeSchema.parse(mergeJson(merge)), 200);
  });
}
