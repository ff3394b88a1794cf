import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "../context.ts";
import { MergeError } from "../merge/engine.ts";
import { resolveLocation, resolverConfigFromEnv } from "../safetensors/source.ts";
import { SafetensorsError } from "../safetensors/errors.ts";
import { problem } from "../problem.ts";
import { MergeJobSchema, MergeRequestSchema, problemResponses } from "../schemas.ts";

const route = createRoute({
  method: "post",
  path: "/v1/merges",
  summary: "Queue a merge θ = Σ cᵢ·θᵢ of safetensors checkpoints",
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { "application/json": { schema: MergeRequestSchema } } } },
  responses: {
    202: { description: "queued", content: { "application/json": { schema: MergeJobSchema } } },
    401: problemResponses[401],
    422: problemResponses[422],
  },
});

export function registerCreateMerge(app: OpenAPIHono<Env>): void {
  app.openapi(route, (c) => {
    const { merges, callbacksEnabled } = c.get("services");
    const request = c.req.valid("json");
    if (request.callback && !callbacksEnabled) {
      return problem(c, 422, "Callbacks are not configured", "this backend has no BACKEND_WEBHOOK_SECRET to sign callbacks with");
    }
    try {
      // Scheme errors surface now rather than as a failed job.
      for (const parent of request.parents) resolveLocation(parent.url, resolverConfigFromEnv({}));
      const job = merges.create(request);
      c.header("location", `/v1/merges/${job.id}`);
      return c.json(job, 202);
    } catch (error) {
      if (error instanceof MergeError || error instanceof SafetensorsError) return problem(c, 422, "Invalid merge request", error.message);
      throw error;
    }
  });
}
