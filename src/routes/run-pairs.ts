// Paired runs: POST/GET /v1/runs/{run}/pairs and POST /v1/runs/{run}/pairs/{with}/build. Two runs
// declared as merge endpoints get their grid built once both have sent run.finished (services/run-pairs.ts).
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import { RunName } from "../http/checkpoint-input.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import { readerTeamOr404, teamOf } from "../services/access.ts";
import type { Ports } from "../ports.ts";
import { buildPair, declarePair, listPairs, pairJson } from "../services/run-pairs.ts";

const RunPairInput = z
  .object({
    with: RunName.openapi({ description: "The other endpoint run (α = 1)" }),
    alphas: z
      .array(z.number().finite().min(-10).max(10))
      .min(1)
      .max(64)
      .openapi({ example: [-0.5, 0, 0.5, 1, 1.5] }),
    tracks: z.array(z.string().min(1).max(64)).min(1).max(20),
    publish: z.boolean().optional().openapi({
      description:
        "Publish the grid's evaluations (and so its ensembles) on the tracks, so they rank on the public leaderboard (default false: only the team's keys see them)",
    }),
  })
  .strict()
  .openapi("RunPairInput");

const RunPair = z
  .object({
    run: z.string(),
    with: z.string(),
    alphas: z.array(z.number()),
    tracks: z.array(z.string()),
    publish: z.boolean(),
    merge: z.string().nullable().openapi({ description: 'The grid\'s merge once built ("" while it is being built)' }),
    built_at: z.string().nullable(),
    ensembles: z.record(z.string(), z.string()).openapi({ description: "Track → the ensemble over the grid's evaluations on it, once they all completed" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("RunPair");

export function mountRunPairs(app: App, ports: Ports) {
  const declare = createRoute({
    method: "post",
    path: "/v1/runs/{run}/pairs",
    tags: ["runs"],
    summary: "Pair two training runs as merge endpoints",
    description:
      "Needs `submit`. When both runs have sent `run.finished` (or on `…/pairs/{with}/build`), Frontier builds the merge grid " +
      "θ(α) = (1−α)·θ_run + α·θ_with between their final checkpoints (each run's latest ready step) and evaluates every point " +
      "on each track under its protocol; once a track's evaluations all complete, one ensemble over them at the track's n " +
      "(`ensembles`). Built once: a replayed `run.finished` or a second build makes nothing. Redeclaring " +
      "replaces alphas and tracks until it is built (then 409).",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "submit"), rateLimitWrites(ports)] as const,
    request: { params: z.object({ run: RunName }), body: { required: true, content: { "application/json": { schema: RunPairInput } } } },
    responses: {
      200: { description: "Redeclared", content: { "application/json": { schema: RunPair } } },
      201: { description: "Declared", content: { "application/json": { schema: RunPair } } },
      ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429),
    },
  });
  app.openapi(declare, async (c) => {
    const { row, created } = await declarePair(ports, c.req.valid("param").run, c.req.valid("json"), c.get("principal")!.keyId, teamOf(c));
    return c.json(pairJson(row), created ? 201 : 200);
  });

  const list = createRoute({
    method: "get",
    path: "/v1/runs/{run}/pairs",
    tags: ["runs"],
    summary: "The pairs a run belongs to (the run's team)",
    request: { params: z.object({ run: RunName }) },
    responses: { 200: { description: "Pairs", content: { "application/json": { schema: z.object({ data: RunPair.array() }) } } }, ...problemResponses(400) },
  });
  app.openapi(list, async (c) => {
    const { run } = c.req.valid("param");
    return c.json({ data: (await listPairs(ports, readerTeamOr404(c, "Run", run), run)).map(pairJson) }, 200);
  });

  const build = createRoute({
    method: "post",
    path: "/v1/runs/{run}/pairs/{with}/build",
    tags: ["runs"],
    summary: "Build a pair's merge grid now, without waiting for run.finished",
    description:
      "Needs `submit`. 202 with the merge when this call built it; 200 with the existing merge when it was built before; 422 when a run has no ready checkpoint.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "submit"), rateLimitWrites(ports)] as const,
    request: { params: z.object({ run: RunName, with: RunName }) },
    responses: {
      200: { description: "Built before", content: { "application/json": { schema: z.object({ merge: z.string(), built: z.boolean() }) } } },
      202: { description: "Built now", content: { "application/json": { schema: z.object({ merge: z.string(), built: z.boolean() }) } } },
      ...problemResponses(400, 401, 403, 404, 422, 429),
    },
  });
  app.openapi(build, async (c) => {
    const { run, with: other } = c.req.valid("param");
    const result = (await buildPair(ports, teamOf(c), run, other, true))!;
    return c.json({ merge: result.mergeId, built: result.built }, result.built ? 202 : 200);
  });
}
