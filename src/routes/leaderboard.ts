// GET /v1/leaderboard: public, ranked pass@k of checkpoints and ensembles on one benchmark.
import { createRoute, z } from "@hono/zod-openapi";
import { LEADERBOARD_KINDS, SETTINGS } from "@frontier/contracts";
import { problemResponses } from "@frontier/http";
import type { App } from "../http/env.ts";
import { Leaderboard } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { readDb } from "../http/public-cache.ts";
import { leaderboardPage } from "../services/leaderboard.ts";

export const LeaderboardQuerySchema = z.object({
  benchmark: z.string().min(1).max(300).optional().openapi({ description: "name (latest version with results) or name@version" }),
  track: z.string().min(1).max(64).optional().openapi({ description: "Track id (default: the benchmark's first track)" }),
  k: z.coerce.number().int().min(1).max(100_000).default(1),
  kind: z.enum(LEADERBOARD_KINDS).optional().openapi({ description: "Only checkpoints or only ensembles (default both)" }),
  setting: z
    .enum(SETTINGS)
    .optional()
    .openapi({ description: "Only rows of this inference setting (default every setting, one row per checkpoint and setting)" }),
  cursor: z.string().max(600).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export function mountLeaderboard(app: App, ports: Ports) {
  const route = createRoute({
    method: "get",
    path: "/v1/leaderboard",
    tags: ["leaderboard"],
    summary: "Checkpoints and ensembles ranked by pass@k on a benchmark (public)",
    description:
      "Ranked per track: one row per checkpoint (its latest complete evaluation that follows the track's protocol exactly and " +
      "covers its problem set) and per ensemble whose budget is k and whose members all conform. Without `track`, the " +
      "benchmark's first track (with neither, the first track created); a benchmark without a track answers the ad-hoc " +
      "view (latest complete evaluation per checkpoint) with `track: null`. " +
      "Ordered by pass@k descending (rows without pass@k at this k last), then by id; `next_cursor` continues the order. " +
      "Cacheable: ETag, Cache-Control and 304 on If-None-Match; CORS open.",
    request: { query: LeaderboardQuerySchema },
    responses: { 200: { description: "A page of the leaderboard", content: { "application/json": { schema: Leaderboard } } }, ...problemResponses(400, 404) },
  });
  app.openapi(route, async (c) => c.json(await leaderboardPage(readDb(c, ports), { ...c.req.valid("query"), team: c.get("principal")?.teamId }), 200));
}
