import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "../context.ts";
import { problem } from "../problem.ts";
import { SampleJobSchema, SamplesRequestSchema, problemResponses } from "../schemas.ts";

const route = createRoute({
  method: "post",
  path: "/v1/samples",
  summary: "Queue sampling n completions per problem from a checkpoint",
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { "application/json": { schema: SamplesRequestSchema } } } },
  responses: {
    202: { description: "queued", content: { "application/json": { schema: SampleJobSchema } } },
    401: problemResponses[401],
    422: problemResponses[422],
  },
});

export function registerCreateSamples(app: OpenAPIHono<Env>): void {
  app.openapi(route, (c) => {
    const { samples, callbacksEnabled } = c.get("services");
    const request = c.req.valid("json");
    if (request.callback && !callbacksEnabled) {
      return problem(c, 422, "Callbacks are not configured", "this backend has no BACKEND_WEBHOOK_SECRET to sign callbacks with");
    }
    const ids = new Set(request.problems.map((p) => p.id));
    if (ids.size !== request.problems.length) return problem(c, 422, "Invalid sampling request", "problem ids must be unique within a request");
    const job = samples.create(request);
    c.header("location", `/v1/samples/${job.id}`);
    return c.json(job, 202);
  });
}
