import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { ProblemError, problemResponses } from "@frontier/http";
import { ResolveCheckpointRequestSchema, ResolvedCheckpointSchema } from "@frontier/contracts";
import type { Env } from "../context.ts";
import { resolveRevision } from "../checkpoints/materialise.ts";

const route = createRoute({
  method: "post",
  path: "/v1/checkpoints/resolve",
  summary: "Pin a checkpoint URL to its immutable revision (Hub commit sha, object version id or ETag) without downloading it",
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { "application/json": { schema: ResolveCheckpointRequestSchema } } } },
  responses: {
    200: { description: "the revision", content: { "application/json": { schema: ResolvedCheckpointSchema } } },
    ...problemResponses(401, 404, 422, 503),
  },
});

export function registerResolveCheckpoint(app: OpenAPIHono<Env>): void {
  app.openapi(route, async (c) => {
    const { url } = c.req.valid("json");
    try {
      const resolved = await resolveRevision(url, c.get("services").cache);
      return c.json({ url, ...resolved }, 200);
    } catch (error) {
      const name = (error as Error).name;
      const code = (error as { code?: string }).code;
      if (name === "FetchRefused" || code === "unsupported") {
        throw new ProblemError({
          status: 422,
          type: "validation",
          title: "Checkpoint URL refused",
          detail: (error as Error).message,
          errors: [{ path: "url", message: (error as Error).message }],
        });
      }
      if (code === "not_found") throw new ProblemError({ status: 404, type: "not-found", title: "No such checkpoint", detail: (error as Error).message });
      throw new ProblemError({ status: 503, type: "unavailable", title: "Checkpoint source unavailable", detail: (error as Error).message });
    }
  });
}
