// PUT /v1/packs/{name}?version=: an operator uploads a pack archive (`frontier benchmark upload`) into
// the PACKS R2 bucket, from which executor Containers (no internet) are given it on first need.
// The archive holds the hidden tests: it is verified and stored, never echoed, logged or put in D1.
import { createRoute, z } from "@hono/zod-openapi";
import { PackArchiveSchema, packArchiveKey, verifyPackArchive } from "@frontier/contracts";
import { ProblemError, problemResponses } from "@frontier/http";
import type { App } from "../http/env.ts";
import { requireScope } from "../http/auth.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import type { Ports } from "../ports.ts";

/** Workers accept request bodies up to 100 MB (paid plans); an archive is one body. */
export const PACK_ARCHIVE_MAX_BYTES = 100 * 1000 * 1000;

const Uploaded = z
  .object({
    name: z.string(),
    version: z.string(),
    problems: z.number().int(),
    /** The object's key in the PACKS bucket. */
    key: z.string(),
    /** false when this version was already uploaded (the upload is idempotent). */
    created: z.boolean(),
  })
  .openapi("PackUpload");

export function mountPacks(app: App, ports: Ports) {
  const upload = createRoute({
    method: "put",
    path: "/v1/packs/{name}",
    tags: ["benchmarks"],
    summary: "Upload a pack archive (hidden tests included) for the executors",
    description:
      "Needs the `operator` scope. Body: a `frontier-pack-archive/1` document (the manifest and every problem file). It is " +
      "checked against the manifest's hashes and `version`, and stored in the PACKS bucket, from which the executor " +
      "Containers, which have no internet, get it when they first judge the pack. Nothing of it is answered back.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "operator"), rateLimitWrites(ports)] as const,
    request: {
      params: z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/) }),
      query: z.object({ version: z.string().regex(/^sha256:[0-9a-f]{64}$/) }),
      body: { required: true, content: { "application/json": { schema: PackArchiveSchema.openapi("PackArchive") } } },
    },
    responses: {
      200: { description: "Already uploaded", content: { "application/json": { schema: Uploaded } } },
      201: { description: "Stored", content: { "application/json": { schema: Uploaded } } },
      ...problemResponses(400, 401, 403, 413, 415, 422, 429, 503),
    },
  });
  app.openapi(upload, async (c) => {
    const { name } = c.req.valid("param");
    const { version } = c.req.valid("query");
    const archive = c.req.valid("json");
    if (!ports.packs) {
      throw new ProblemError({ status: 503, type: "unavailable", title: "No pack bucket", detail: "this deployment has no PACKS bucket bound" });
    }
    // `name` is the executor's name for the pack (a benchmark's `pack`), which may differ from the manifest's.
    const reason = await verifyPackArchive(archive, { version });
    if (reason) {
      throw new ProblemError({
        status: 422,
        type: "validation",
        title: "Pack archive does not verify",
        detail: reason,
        errors: [{ path: "body", message: reason }],
      });
    }
    const key = packArchiveKey(name, version);
    const created = !(await ports.packs.has(key));
    if (created) await ports.packs.put(key, JSON.stringify(archive));
    const body = { name, version, problems: archive.manifest.problems.length, key, created };
    return created ? c.json(body, 201) : c.json(body, 200);
  });
}
