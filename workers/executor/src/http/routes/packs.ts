// PUT /v1/packs/{name}?version=: the edge pushes a pack archive (from R2) to this executor, which
// has no internet on Containers. Verified against the manifest's hashes and the version, kept on disk.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { bearer, ProblemError, problemResponse, problemResponses } from "@frontier/http";
import { PackError, type PackStore } from "../../packs.ts";

export const MAX_PACK_BYTES = 256 * 1024 * 1024;

const InstalledSchema = z.object({
  name: z.string(),
  version: z.string(),
  problems: z.number().int(),
  /** false when this version was already here. */
  installed: z.boolean(),
});

export function mountPacks(app: OpenAPIHono, deps: { packs: PackStore; token: string }): void {
  const route = createRoute({
    method: "put",
    path: "/v1/packs/{name}",
    summary: "Install a pack archive (frontier-pack-archive/1), verified against its manifest",
    security: [{ bearer: [] }],
    middleware: [
      bearer({ realm: "executor", token: deps.token }),
      bodyLimit({
        maxSize: MAX_PACK_BYTES,
        onError: (c) =>
          problemResponse(c, { status: 413, type: "payload-too-large", title: "Payload too large", detail: `the archive is over ${MAX_PACK_BYTES} bytes` }),
      }),
    ] as const,
    request: {
      params: z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/) }),
      query: z.object({ version: z.string().regex(/^sha256:[0-9a-f]{64}$/) }),
    },
    responses: {
      200: { description: "Installed (or already there)", content: { "application/json": { schema: InstalledSchema } } },
      ...problemResponses(400, 401, 413, 422),
    },
  });
  app.openapi(route, async (c) => {
    const { name } = c.req.valid("param");
    const { version } = c.req.valid("query");
    try {
      const result = await deps.packs.install(name, version, await c.req.text());
      return c.json({ name, ...result }, 200);
    } catch (error) {
      if (error instanceof PackError) throw new ProblemError({ status: 422, type: "validation", title: error.title, detail: error.message });
      throw error;
    }
  });
}
