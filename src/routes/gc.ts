// POST /v1/gc (operator): retention of merge outputs. Dry run unless `apply: true`; what "referenced"
// means is written at the top of src/services/gc.ts and in docs/api.md.
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import type { Ports } from "../ports.ts";
import { collectGarbage, DEFAULT_GC_GRACE_SECONDS } from "../services/gc.ts";

const GcRequest = z
  .object({
    apply: z.boolean().default(false).openapi({ description: "delete (default false: only list what would go)" }),
    grace_seconds: z
      .number()
      .int()
      .min(0)
      .max(365 * 86400)
      .default(DEFAULT_GC_GRACE_SECONDS)
      .openapi({ description: "outputs younger than this are kept (default one day)" }),
  })
  .strict()
  .openapi("GcRequest");

const GcResult = z
  .object({
    dry_run: z.boolean(),
    grace_seconds: z.number().int(),
    outputs: z.array(z.object({ checkpoint: z.string(), merge: z.string(), position: z.number().int(), url: z.string(), backend_job: z.string() })),
    deleted: z.number().int(),
    errors: z.array(z.object({ checkpoint: z.string(), error: z.string() })),
  })
  .openapi("GcResult");

export function mountGc(app: App, ports: Ports) {
  const route = createRoute({
    method: "post",
    path: "/v1/gc",
    tags: ["merges"],
    summary: "Delete the stored outputs of merges nothing references (dry run by default)",
    description:
      "A merged checkpoint's output is referenced while it has an evaluation that did not fail, while it is a parent of another " +
      "merged checkpoint that did not fail, or while it is younger than `grace_seconds`. The others are listed; with " +
      "`apply: true` the backend deletes each (DELETE /v1/merges/{job}/output) and the merge output records `deleted_at`. Needs `operator`.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "operator"), rateLimitWrites(ports)] as const,
    request: { body: { required: false, content: { "application/json": { schema: GcRequest } } } },
    responses: {
      200: { description: "What was (or would be) deleted", content: { "application/json": { schema: GcResult } } },
      ...problemResponses(400, 401, 403, 422, 429),
    },
  });
  app.openapi(route, async (c) => {
    // The body is optional: without one, a dry run with the default grace period.
    const body: Partial<z.output<typeof GcRequest>> = c.req.valid("json") ?? {};
    return c.json(await collectGarbage(ports, { apply: body.apply ?? false, graceSeconds: body.grace_seconds ?? DEFAULT_GC_GRACE_SECONDS }), 200);
  });
}
