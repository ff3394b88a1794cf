import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import { MergeJobSchema } from "@frontier/contracts";
import type { Env } from "../context.ts";
import { JobIdParams } from "../params.ts";
import { noSuchJob } from "../problems.ts";

const route = createRoute({
  method: "get",
  path: "/v1/merges/{id}",
  summary: "A merge job: status, output URL, files with sha256, or the error",
  security: [{ bearer: [] }],
  request: { params: JobIdParams },
  responses: {
    200: { description: "the job", content: { "application/json": { schema: MergeJobSchema } } },
    ...problemResponses(401, 404),
  },
});

export function registerGetMerge(app: OpenAPIHono<Env>): void {
  app.openapi(route, (c) => {
    const { id } = c.req.valid("param");
    const job = c.get("services").merges.get(id);
    if (!job) throw noSuchJob("merge", id);
    return c.json(job, 200);
  });
}
