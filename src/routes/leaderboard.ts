// GET /v1/leaderboard: public, ranked pass@k of checkpoints and ensembles on one benchmark.
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.ts";
import { problemResponses } from "../http/problem.ts";
import type { Ports } from "../ports.ts";
import { LEADERBOARD_KINDS, leaderboardPage } from "../services/leaderboard.ts";

const Row = z
  .object({
    kind: z.enum(LEADERBOARD_KINDS),
    id: z.string().openapi({ description: "Checkpoint id, or ensemble id for ensemble rows" }),
    label: z.string().nullable(),
    run: z.string().nullable(),
    evaluation: z.string().nullable(),
    pass_at_k: z.number().nullable().openapi({ description: "null when k exceeds the samples of some problem" }),
    se: z.number().nullable().openapi({ description: "Standard error of pass@k over problems" }),
    correctness_failure_rate: z.number().nullable(),
    efficiency_failure_rate: z.number().nullable(),
    pass_rate: z.number().nullable(),
    samples_per_problem: z.number().nullable(),
    lineage: z.object({
      source: z.string().nullable(),
      step: z.number().nullable(),
      alpha: z.number().nullable(),
      parents: z.array(z.object({ checkpoint: z.string(), coefficient: z.number() })).nullable(),
      members: z.array(z.object({ evaluation: z.string(), checkpoint: z.string().nullable() })).nullable(),
    }),
    ensemble: z
      .object({
        budget: z.number(),
        allocation: z.string(),
        best_single: z.object({ member: z.string(), value: z.number() }).nullable(),
        gain: z.number().nullable(),
      })
      .nullable(),
    updated_at: z.string(),
  })
  .openapi("LeaderboardRow");

const Leaderboard = z
  .object({
    benchmark: z.object({ name: z.string(), version: z.string(), id: z.string() }).nullable(),
    k: z.number().int(),
    kind: z.enum(LEADERBOARD_KINDS).nullable(),
    data: z.array(Row),
    next_cursor: z.string().nullable(),
  })
  .openapi("Leaderboard");

export const LeaderboardQuerySchema = z.object({
  benchmark: z.string().min(1).max(300).optional().openapi({ description: "name (latest version with results) or name@version" }),
  k: z.coerce.number().int().min(1).max(100_000).default(1),
  kind: z.enum(LEADERBOARD_KINDS).optional().openapi({ description: "Only checkpoints or only ensembles (default both)" }),
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
      "One row per checkpoint (its latest complete evaluation on the benchmark version) and per ensemble whose budget is k. " +
      "Ordered by pass@k descending (rows without pass@k at this k last), then by id; `next_cursor` continues the order. " +
      "Cacheable: ETag, Cache-Control and 304 on If-None-Match; CORS open.",
    request: { query: LeaderboardQuerySchema },
    responses: { 200: { description: "A page of the leaderboard", content: { "application/json": { schema: Leaderboard } } }, ...problemResponses(400, 404) },
  });
  app.openapi(route, async (c) => c.json(await leaderboardPage(ports.db, c.req.valid("query")), 200));
}
