// Merges: POST a grid {a, b, alphas} or an affine combination {parents}; GET one with its outputs.
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.ts";
import { requireScope } from "../http/auth.ts";
import { idempotent } from "../http/idempotency.ts";
import { ProblemError, problemResponses } from "../http/problem.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import type { Ports } from "../ports.ts";
import { createMerge, getMerge, mergeJson, MergeRequestSchema } from "../services/merges.ts";

const Merge = z
  .object({
    id: z.string().openapi({ example: "mrg_01jz3k9m2q8v4x7n6p5r3t2w1y0z" }),
    status: z.enum(["merging", "ready", "failed", "partial"]),
    run: z.string(),
    request: z.record(z.string(), z.unknown()),
    evaluate: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.string(),
    checkpoints: z.array(
      z.object({
        id: z.string(),
        alpha: z.number().nullable(),
        parents: z.array(z.object({ checkpoint: z.string(), coefficient: z.number() })).nullable(),
        status: z.enum(["merging", "ready", "failed"]),
        url: z.string().nullable(),
        error: z.string().nullable(),
        evaluation: z.string().nullable(),
        backend_job: z.string().nullable(),
        label: z.string().nullable(),
      }),
    ),
  })
  .openapi("Merge");

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
    const merge = await createMerge(ports, c.req.valid("json"));
    c.header("location", `/v1/merges/${merge.merge.id}`);
    return c.json(mergeJson(merge) as z.infer<typeof Merge>, 202);
  });

  const getOne = createRoute({
    method: "get",
    path: "/v1/merges/{id}",
    tags: ["merges"],
    summary: "One merge and its derived checkpoints",
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 200: { description: "The merge", content: { "application/json": { schema: Merge } } }, ...problemResponses(400, 404) },
  });
  app.openapi(getOne, async (c) => {
    const { id } = c.req.valid("param");
    const merge = await getMerge(ports.db, id);
    if (!merge) throw new ProblemError({ status: 404, type: "not-found", title: "Merge not found", detail: `no merge ${id}` });
    return c.json(mergeJson(merge) as z.infer<typeof Merge>, 200);
  });
}
