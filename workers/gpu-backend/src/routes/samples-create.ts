import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { problemResponses, ProblemError } from "@frontier/http";
import { SampleJobSchema, SamplesRequestSchema } from "@frontier/contracts";
import type { Env } from "../context.ts";
import { callbacksNotConfigured } from "../problems.ts";

const route = createRoute({
  method: "post",
  path: "/v1/samples",
  summary: "Queue sampling n completions per problem from a checkpoint",
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { "application/json": { schema: SamplesRequestSchema } } } },
  responses: {
    202: { description: "queued", content: { "application/json": { schema: SampleJobSchema } } },
    ...problemResponses(400, 401, 422),
  },
});

export function registerCreateSamples(app: OpenAPIHono<Env>): void {
  app.openapi(route, (c) => {
    const { samples, callbacksEnabled } = c.get("services");
    const request = c.req.valid("json");
    if (request.callback && !callbacksEnabled) throw callbacksNotConfigured();
    const ids = new Set(request.problems.map((p) => p.id));
    if (ids.size !== request.problems.length) {
      throw new ProblemError({ status: 422, type: "validation", title: "Invalid sampling request", detail: "problem ids must be unique within a request" });
    }
    const job = samples.create(request);
    c.header("location", `/v1/samples/${job.id}`);
    return c.json(job, 202);
  });
}
