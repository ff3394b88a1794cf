import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ProblemError, problemResponses } from "@frontier/http";
import type { Env } from "../context.ts";
import { JobIdParams } from "../params.ts";

const Deleted = z.object({ id: z.string(), removed: z.number().int() }).openapi("MergeOutputDeleted");

const route = createRoute({
  method: "delete",
  path: "/v1/merges/{id}/output",
  summary: "Delete a merge's stored output (retention: the edge decides it is referenced by nothing); idempotent",
  security: [{ bearer: [] }],
  request: { params: JobIdParams },
  responses: {
    200: { description: "what was removed (0 when it was already gone)", content: { "application/json": { schema: Deleted } } },
    ...problemResponses(401, 409),
  },
});

export function registerDeleteMergeOutput(app: OpenAPIHono<Env>): void {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { merges, outputStore } = c.get("services");
    const job = merges.get(id);
    if (job && (job.status === "queued" || job.status === "running")) {
      throw new ProblemError({ status: 409, type: "conflict", title: "Merge still running", detail: `merge ${id} is ${job.status}` });
    }
    return c.json({ id, removed: await outputStore.remove(id) }, 200);
  });
}
