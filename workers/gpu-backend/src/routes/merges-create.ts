import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { problemResponses, ProblemError } from "@frontier/http";
import { MergeJobSchema, MergeRequestSchema } from "@frontier/contracts";
import type { Env } from "../context.ts";
import { MergeError } from "../merge/engine.ts";
import { resolveLocation, resolverConfigFromEnv } from "../safetensors/source.ts";
import { SafetensorsError } from "../safetensors/errors.ts";
import { callbacksNotConfigured } from "../problems.ts";

const route = createRoute({
  method: "post",
  path: "/v1/merges",
  summary: "Queue a merge θ = Σ cᵢ·θᵢ of safetensors checkpoints",
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { "application/json": { schema: MergeRequestSchema } } } },
  responses: {
    202: { description: "queued", content: { "application/json": { schema: MergeJobSchema } } },
    ...problemResponses(400, 401, 422),
  },
});

export function registerCreateMerge(app: OpenAPIHono<Env>): void {
  app.openapi(route, (c) => {
    const { merges, callbacksEnabled } = c.get("services");
    const request = c.req.valid("json");
    if (request.callback && !callbacksEnabled) throw callbacksNotConfigured();
    try {
      // Scheme errors surface now rather than as a failed job.
      for (const parent of request.parents) resolveLocation(parent.url, resolverConfigFromEnv({}));
      const job = merges.create(request);
      c.header("location", `/v1/merges/${job.id}`);
      return c.json(job, 202);
    } catch (error) {
      if (error instanceof MergeError || error instanceof SafetensorsError) {
        throw new ProblemError({ status: 422, type: "validation", title: "Invalid merge request", detail: error.message });
      }
      throw error;
    }
  });
}
