// Checkpoints: POST (submit scope, Idempotency-Key), GET one, GET a page (run filter, opaque cursor).
import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError, problemResponses, validationProblem } from "@frontier/http";
import { checkpointJson, createCheckpoint, getCheckpoint, listCheckpoints } from "../db/checkpoints.ts";
import { checkpoints } from "../db/schema/index.ts";
import { checkpointFor, ownedOr404, teamOf, visibleCheckpoint, visibleCheckpointsCondition } from "../services/access.ts";
import { eq } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "../domain/cursor.ts";
import { requireScope } from "../http/auth.ts";
import { acceptedCheckpointUrl, CheckpointFields, RunName } from "../http/checkpoint-input.ts";
import type { App } from "../http/env.ts";
import { idempotent } from "../http/idempotency.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import { Checkpoint, CheckpointPage } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { pinForRegistration } from "../services/revisions.ts";

const NewCheckpoint = z.object(CheckpointFields).strict().openapi("NewCheckpoint");

export function mountCheckpoints(app: App, ports: Ports) {
  const create = createRoute({
    method: "post",
    path: "/v1/checkpoints",
    tags: ["checkpoints"],
    summary: "Register a checkpoint",
    description:
      "Needs an API key with the `submit` scope. Send `Idempotency-Key` to make retries safe: the same key and body " +
      "replay the first response (with `Idempotent-Replayed: true`); the same key with another body is a 422.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "submit"), rateLimitWrites(ports), idempotent(ports)] as const,
    request: {
      headers: z.object({ "idempotency-key": z.string().optional() }),
      body: { required: true, content: { "application/json": { schema: NewCheckpoint } } },
    },
    responses: {
      201: { description: "Created", content: { "application/json": { schema: Checkpoint } } },
      ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => {
    const input = c.req.valid("json");
    const url = acceptedCheckpointUrl(input.url, ports.config, "url");
    const pin = await pinForRegistration(ports, url, "url");
    const row = await createCheckpoint(ports.db, { ...input, teamId: teamOf(c), url, pin, source: "api", status: "ready" }, ports.clock.now());
    c.header("location", `/v1/checkpoints/${row.id}`);
    return c.json(checkpointJson(row), 201);
  });

  const getOne = createRoute({
    method: "get",
    path: "/v1/checkpoints/{id}",
    tags: ["checkpoints"],
    summary: "One checkpoint",
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: {
      200: { description: "The checkpoint", content: { "application/json": { schema: Checkpoint } } },
      ...problemResponses(400, 404),
    },
  });
  app.openapi(getOne, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await visibleCheckpoint(c, ports.db, await getCheckpoint(ports.db, id), id), 200);
  });

  const patch = createRoute({
    method: "patch",
    path: "/v1/checkpoints/{id}",
    tags: ["checkpoints"],
    summary: "Publish (or hide) a checkpoint's storage URL",
    description:
      "Needs the team's `admin` scope. `url_public: true` shows the full storage URL wherever the checkpoint is public " +
      "(a public track's queue and leaderboard); otherwise public reads show its scheme and host only.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "admin"), rateLimitWrites(ports)] as const,
    request: {
      params: z.object({ id: z.string().min(1).max(64) }),
      body: { required: true, content: { "application/json": { schema: z.object({ url_public: z.boolean() }).strict().openapi("CheckpointPatch") } } },
    },
    responses: {
      200: { description: "The checkpoint", content: { "application/json": { schema: Checkpoint } } },
      ...problemResponses(400, 401, 403, 404, 413, 415, 422, 429),
    },
  });
  app.openapi(patch, async (c) => {
    const { id } = c.req.valid("param");
    const row = ownedOr404(c, await getCheckpoint(ports.db, id), "Checkpoint", id);
    const urlPublic = c.req.valid("json").url_public;
    await ports.db.update(checkpoints).set({ urlPublic, updatedAt: ports.clock.now().toISOString() }).where(eq(checkpoints.id, row.id));
    return c.json(checkpointFor(c, { ...row, urlPublic }), 200);
  });

  const list = createRoute({
    method: "get",
    path: "/v1/checkpoints",
    tags: ["checkpoints"],
    summary: "List checkpoints, oldest first",
    request: {
      query: z.object({
        run: RunName.optional(),
        cursor: z.string().optional().openapi({ description: "`next_cursor` from the previous page (opaque)" }),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    },
    responses: {
      200: { description: "A page of checkpoints", content: { "application/json": { schema: CheckpointPage } } },
      ...problemResponses(400),
    },
  });
  app.openapi(list, async (c) => {
    const query = c.req.valid("query");
    let after: string | undefined;
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor);
      if (!cursor) throw new ProblemError(validationProblem([{ path: "cursor", message: "not a cursor this API issued" }], 400));
      after = cursor.after;
    }
    const page = await listCheckpoints(ports.db, { run: query.run, after, limit: query.limit, visible: visibleCheckpointsCondition(c) });
    const last = page.rows.at(-1);
    return c.json({ data: page.rows.map((row) => checkpointFor(c, row)), next_cursor: page.more && last ? encodeCursor({ after: last.id }) : null }, 200);
  });
}
