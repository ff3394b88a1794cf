// Continuous evaluation: PUT/GET /v1/runs/{run}/policy. A run's policy evaluates each of its signed
// `checkpoint.saved` events (every k-th step) on the named tracks (services/run-policies.ts).
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import { RunName } from "../http/checkpoint-input.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import type { Ports } from "../ports.ts";
import { readerTeamOr404, teamOf } from "../services/access.ts";
import { putRunPolicy, runPolicyJson, runPolicyOr404 } from "../services/run-policies.ts";

const RunPolicyInput = z
  .object({
    tracks: z.array(z.string().min(1).max(64)).min(1).max(20),
    every_steps: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .optional()
      .openapi({ description: "Evaluate steps that are multiples of this (default 1: every checkpoint)" }),
    publish: z.boolean().optional().openapi({
      description: "Publish the evaluations it starts on their tracks, so they rank on the public leaderboard (default false: only the team's keys see them)",
    }),
  })
  .strict()
  .openapi("RunPolicyInput");

const RunPolicy = z
  .object({
    run: z.string(),
    tracks: z.array(z.string()),
    every_steps: z.number().int(),
    publish: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
    evaluations: z.array(z.object({ checkpoint: z.string(), step: z.number().int(), track: z.string(), evaluation: z.string() })).openapi({
      description: "The evaluations this policy started, by step",
    }),
  })
  .openapi("RunPolicy");

const params = z.object({ run: RunName });

export function mountRunPolicies(app: App, ports: Ports) {
  const put = createRoute({
    method: "put",
    path: "/v1/runs/{run}/policy",
    tags: ["runs"],
    summary: "Evaluate a training run's checkpoints automatically on tracks",
    description:
      "Needs the `submit` (or `admin`) scope. From now on every signed `checkpoint.saved` of the run whose step is a multiple of " +
      "`every_steps` (default 1) starts one evaluation on each track, under the track's protocol; a replayed or retried event " +
      "starts none. Replaces an earlier policy of the run. Unknown tracks are 422.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "submit"), rateLimitWrites(ports)] as const,
    request: { params, body: { required: true, content: { "application/json": { schema: RunPolicyInput } } } },
    responses: {
      200: { description: "Replaced", content: { "application/json": { schema: RunPolicy } } },
      201: { description: "Created", content: { "application/json": { schema: RunPolicy } } },
      ...problemResponses(400, 401, 403, 413, 415, 422, 429),
    },
  });
  app.openapi(put, async (c) => {
    const { run } = c.req.valid("param");
    const { row, created } = await putRunPolicy(ports.db, run, c.req.valid("json"), c.get("principal")!.keyId, ports.clock.now(), teamOf(c));
    return c.json(await runPolicyJson(ports.db, row), created ? 201 : 200);
  });

  const get = createRoute({
    method: "get",
    path: "/v1/runs/{run}/policy",
    tags: ["runs"],
    summary: "A training run's continuous-evaluation policy and the evaluations it started (the run's team)",
    security: [{ apiKey: [] }],
    request: { params },
    responses: { 200: { description: "The policy", content: { "application/json": { schema: RunPolicy } } }, ...problemResponses(400, 404) },
  });
  app.openapi(get, async (c) =>
    c.json(
      await runPolicyJson(ports.db, await runPolicyOr404(ports.db, c.req.valid("param").run, readerTeamOr404(c, "Run policy", c.req.valid("param").run))),
      200,
    ),
  );
}
