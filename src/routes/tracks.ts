// Tracks: create one (admin), list them and read one (public). A track fixes what ranks on the leaderboard.
import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError, problemResponses, validationProblem } from "@frontier/http";
import { getTeam } from "../services/teams.ts";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import { NewTrack, Track, TrackFrontier } from "../http/schemas.ts";
import { parseKs } from "../http/query.ts";
import { trackFrontier } from "../services/analysis.ts";
import { z as zod } from "@hono/zod-openapi";
import type { Ports } from "../ports.ts";
import { readDb } from "../http/public-cache.ts";
import { createTrack, listTracks, trackJson, trackOr404 } from "../services/tracks.ts";

// `team`: a track private to that team (default: public).
const NewTrackForTeam = NewTrack.extend({
  team: zod.string().min(1).max(64).optional().openapi({ description: "Private to this team (default: public)" }),
}).openapi("NewTrackForTeam");

export function mountTracks(app: App, ports: Ports) {
  const create = createRoute({
    method: "post",
    path: "/v1/tracks",
    tags: ["tracks"],
    summary: "Create a track: a benchmark version, a fixed protocol and a problem set",
    description:
      "Needs the `operator` scope; public unless `team` makes it private to a team. Only complete evaluations that follow the protocol exactly (setting, language, n, temperature, " +
      "top_p, max_tokens, seed) and cover exactly the problem set (every problem of the benchmark unless `problems` names a " +
      "split) rank on the track. Tracks never change: the same id and definition again answers 200 with the track, another " +
      "definition under an existing id 409.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "operator"), rateLimitWrites(ports)] as const,
    request: { body: { required: true, content: { "application/json": { schema: NewTrackForTeam } } } },
    responses: {
      200: { description: "Already exists", content: { "application/json": { schema: Track } } },
      201: { description: "Created", content: { "application/json": { schema: Track } } },
      ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => {
    const { team, ...input } = c.req.valid("json");
    if (team !== undefined && !(await getTeam(ports.db, team))) {
      throw new ProblemError(validationProblem([{ path: "team", message: `no team '${team}'` }]));
    }
    const { track, created } = await createTrack(ports.db, input, ports.clock.now(), team ?? null);
    c.header("location", `/v1/tracks/${encodeURIComponent(track.id)}`);
    return c.json(trackJson(track), created ? 201 : 200);
  });

  const list = createRoute({
    method: "get",
    path: "/v1/tracks",
    tags: ["tracks"],
    summary: "Every track, oldest first (public)",
    responses: { 200: { description: "Tracks", content: { "application/json": { schema: z.object({ data: z.array(Track) }) } } } },
  });
  app.openapi(list, async (c) => c.json({ data: (await listTracks(readDb(c, ports), undefined, c.get("principal")?.teamId)).map(trackJson) }, 200));

  const getOne = createRoute({
    method: "get",
    path: "/v1/tracks/{id}",
    tags: ["tracks"],
    summary: "One track (public)",
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 200: { description: "The track", content: { "application/json": { schema: Track } } }, ...problemResponses(400, 404) },
  });
  app.openapi(getOne, async (c) => c.json(trackJson(await trackOr404(readDb(c, ports), c.req.valid("param").id, c.get("principal")?.teamId)), 200));

  const frontier = createRoute({
    method: "get",
    path: "/v1/tracks/{id}/frontier",
    tags: ["tracks"],
    summary: "A track's public frontier: failure rates and pass@k of its published checkpoints, the Pareto set (public)",
    description:
      "One point per checkpoint with a complete, published evaluation that conforms to the track (its latest), whatever its run " +
      "(runs are private: `/v1/runs/{run}/frontier` is the team's own view). A team's `read` key adds its own unpublished points.",
    request: {
      params: z.object({ id: z.string().min(1).max(64) }),
      query: z.object({ k: z.string().max(300).optional().openapi({ example: "1,10" }) }),
    },
    responses: {
      200: { description: "The frontier", content: { "application/json": { schema: TrackFrontier } } },
      ...problemResponses(400, 404),
    },
  });
  app.openapi(frontier, async (c) => {
    const k = c.req.valid("query").k;
    const db = readDb(c, ports);
    const teamId = c.get("principal")?.teamId;
    const track = await trackOr404(db, c.req.valid("param").id, teamId);
    const result = await trackFrontier(db, track, { ks: k ? parseKs(k) : [1], teamId });
    return c.json(result, 200);
  });
}
