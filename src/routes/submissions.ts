// Submissions: POST queues a checkpoint URL's evaluation on a track (submit key, quotas), GET lists
// the public queue, GET …/{id} shows one.
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import { acceptedCheckpointUrl } from "../http/checkpoint-input.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import { Submission } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { SUBMISSION_STATUSES, submissionFor, submissionJson, submissionOr404, submissionQueue, submit } from "../services/submissions.ts";
import { teamOf } from "../services/access.ts";

// Not strict on purpose: sampling fields a client adds (n, temperature, problems, …) are ignored,
// since a submission always runs under its track's protocol.
const NewSubmission = z
  .object({
    url: z.string().max(2048).openapi({ example: "hf://acme/coder-7b@rev-1" }),
    track: z.string().min(1).max(64),
    label: z.string().max(200).optional(),
  })
  .openapi("NewSubmission");

export function mountSubmissions(app: App, ports: Ports) {
  const create = createRoute({
    method: "post",
    path: "/v1/submissions",
    tags: ["submissions"],
    summary: "Submit a checkpoint URL for evaluation on a track",
    description:
      "Needs `submit`. Registers the checkpoint and queues its evaluation under the track's protocol (any sampling field in the " +
      "body is ignored). The same URL already evaluated or in progress on the track answers 200 with that result. Quotas per " +
      "key: samples per 24 hours and submissions in flight; over either, 429 problem+json with Retry-After.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "submit"), rateLimitWrites(ports)] as const,
    request: { body: { required: true, content: { "application/json": { schema: NewSubmission } } } },
    responses: {
      200: { description: "Already evaluated or in progress on this track", content: { "application/json": { schema: Submission } } },
      202: { description: "Queued", content: { "application/json": { schema: Submission } } },
      ...problemResponses(400, 401, 403, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => {
    const input = c.req.valid("json");
    const url = acceptedCheckpointUrl(input.url, ports.config, "url");
    const { row, created } = await submit(ports, c.get("principal")!.keyId, { ...input, url }, teamOf(c));
    c.header("location", `/v1/submissions/${row.id}`);
    return c.json(await submissionJson(ports.db, row), created ? 202 : 200);
  });

  const list = createRoute({
    method: "get",
    path: "/v1/submissions",
    tags: ["submissions"],
    summary: "The public submission queue, oldest first",
    request: {
      query: z.object({
        status: z
          .enum(["pending", "running", "finished", "failed", ...SUBMISSION_STATUSES])
          .optional()
          .openapi({ description: "pending, running, finished (complete with or without errors), failed (failed or cancelled), or one status" }),
        limit: z.coerce.number().int().min(1).max(200).default(100),
      }),
    },
    responses: {
      200: { description: "Submissions", content: { "application/json": { schema: z.object({ data: z.array(Submission) }) } } },
      ...problemResponses(400),
    },
  });
  app.openapi(list, async (c) => {
    const query = c.req.valid("query");
    return c.json({ data: await submissionQueue(ports.db, query.status, query.limit, c.get("principal")?.teamId) }, 200);
  });

  const getOne = createRoute({
    method: "get",
    path: "/v1/submissions/{id}",
    tags: ["submissions"],
    summary: "One submission with its status and progress",
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 200: { description: "The submission", content: { "application/json": { schema: Submission } } }, ...problemResponses(400, 404) },
  });
  app.openapi(getOne, async (c) => {
    const row = await submissionOr404(ports.db, c.req.valid("param").id, c.get("principal")?.teamId);
    return c.json(submissionFor(c.get("principal")?.teamId, row, await submissionJson(ports.db, row)), 200);
  });
}
