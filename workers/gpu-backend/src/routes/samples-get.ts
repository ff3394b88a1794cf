import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import { SamplePageSchema } from "@frontier/contracts";
import type { Env } from "../context.ts";
import { JobIdParams } from "../params.ts";
import { noSuchJob } from "../problems.ts";

const route = createRoute({
  method: "get",
  path: "/v1/samples/{id}",
  summary: "A sampling job and one page of its completions",
  security: [{ bearer: [] }],
  request: {
    params: JobIdParams,
    query: z.object({
      cursor: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
  },
  responses: {
    200: { description: "the job and a page of completions", content: { "application/json": { schema: SamplePageSchema } } },
    ...problemResponses(400, 401, 404),
  },
});

export function registerGetSamples(app: OpenAPIHono<Env>): void {
  app.openapi(route, (c) => {
    const { id } = c.req.valid("param");
    const { cursor, limit } = c.req.valid("query");
    const page = c.get("services").samples.page(id, cursor, limit);
    if (!page) throw noSuchJob("sampling", id);
    return c.json(page, 200);
  });
}
