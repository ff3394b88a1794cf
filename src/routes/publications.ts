// Publishing an evaluation on a track: POST/GET /v1/evaluations/{id}/publications and DELETE
// /v1/evaluations/{id}/publications/{track}. Until published, a team's conforming evaluation shows
// on the track's leaderboard and frontier to the team's own keys only (services/publications.ts).
import { createRoute, z } from "@hono/zod-openapi";
import { PublicationSchema } from "@frontier/contracts";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import type { Ports } from "../ports.ts";
import { ownedOr404, teamOf } from "../services/access.ts";
import { getEvaluation } from "../services/evaluation-store.ts";
import { publicationsOf, publishEvaluation, withdrawPublication } from "../services/publications.ts";

const Publication = PublicationSchema.clone().openapi("Publication");

const NewPublication = z
  .object({ track: z.string().min(1).max(64) })
  .strict()
  .openapi("NewPublication");
const id = z.string().min(1).max(64);

export function mountPublications(app: App, ports: Ports) {
  const publish = createRoute({
    method: "post",
    path: "/v1/evaluations/{id}/publications",
    tags: ["tracks"],
    summary: "Publish an evaluation on a track (its row becomes public)",
    description:
      "Needs `submit` on the evaluation's team. The evaluation must follow the track's protocol and problem set (422 otherwise, " +
      "or when it failed or was cancelled); it ranks on the track's public leaderboard and frontier once complete, and its " +
      "checkpoint becomes readable with its storage URL redacted. Publishing again answers 200 with the existing publication.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "submit"), rateLimitWrites(ports)] as const,
    request: { params: z.object({ id }), body: { required: true, content: { "application/json": { schema: NewPublication } } } },
    responses: {
      200: { description: "Already published", content: { "application/json": { schema: Publication } } },
      201: { description: "Published", content: { "application/json": { schema: Publication } } },
      ...problemResponses(400, 401, 403, 404, 413, 415, 422, 429),
    },
  });
  app.openapi(publish, async (c) => {
    const { publication, created } = await publishEvaluation(
      ports.db,
      { evaluationId: c.req.valid("param").id, track: c.req.valid("json").track, teamId: teamOf(c) },
      ports.clock.now(),
    );
    return c.json(publication, created ? 201 : 200);
  });

  const list = createRoute({
    method: "get",
    path: "/v1/evaluations/{id}/publications",
    tags: ["tracks"],
    summary: "The tracks an evaluation is published on",
    description: "Private to the evaluation's team (a `read` key).",
    security: [{ apiKey: [] }],
    request: { params: z.object({ id }) },
    responses: {
      200: { description: "Its publications", content: { "application/json": { schema: z.object({ data: z.array(Publication) }) } } },
      ...problemResponses(400, 404),
    },
  });
  app.openapi(list, async (c) => {
    const evaluationId = c.req.valid("param").id;
    ownedOr404(c, await getEvaluation(ports.db, evaluationId), "Evaluation", evaluationId);
    return c.json({ data: await publicationsOf(ports.db, evaluationId) }, 200);
  });

  const withdraw = createRoute({
    method: "delete",
    path: "/v1/evaluations/{id}/publications/{track}",
    tags: ["tracks"],
    summary: "Withdraw an evaluation from a track's public board",
    description: "Needs `admin` on the evaluation's team. The row stays visible to the team's own keys.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "admin"), rateLimitWrites(ports)] as const,
    request: { params: z.object({ id, track: z.string().min(1).max(64) }) },
    responses: { 204: { description: "Withdrawn" }, ...problemResponses(400, 401, 403, 404, 429) },
  });
  app.openapi(withdraw, async (c) => {
    const { id: evaluationId, track } = c.req.valid("param");
    ownedOr404(c, await getEvaluation(ports.db, evaluationId), "Evaluation", evaluationId);
    await withdrawPublication(ports.db, { evaluationId, track, teamId: teamOf(c) });
    return c.body(null, 204);
  });
}
