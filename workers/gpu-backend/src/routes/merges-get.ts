import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "../context.ts";
import { problem } from "../problem.ts";
import { JobIdParams, MergeJobSchema, problemResponses } from "../schemas.ts";

const route = createRoute({
  method: "get",
  path: "/v1/merges/{id}",
  summary: "A merge job: status, output URL, files with sha256, or the error",
  security: [{ bearer: [] }],
  request: { params: JobIdParams },
  responses: {
    200: { description: "the job", content: { "application/json": { schema: MergeJobSchema } } },
    401: problemResponses[401],
    404: problemResponses[404],
  },
});

export function registerGetMerge(app: OpenAPIHono<Env>): void {
  app.openapi(route, (c) => {
    const job = c.get("services").merges.get(c.req.valid("param").id);
    if (!job) return problem(c, 404, "No such merge job", `no merge job ${c.req.valid("param").id}`);
    return c.json(job, 200);
  });
}
