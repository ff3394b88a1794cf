// Teams (operator): create one, list them. A team's keys come from POST /v1/keys {team, scopes}.
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import type { Ports } from "../ports.ts";
import { createTeam, listTeams, teamJson } from "../services/teams.ts";

const NewTeam = z
  .object({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and -")
      .openapi({ example: "acme" }),
    name: z.string().min(1).max(200).optional(),
  })
  .strict()
  .openapi("NewTeam");
const Team = z.object({ id: z.string(), name: z.string(), created_at: z.string() }).openapi("Team");

export function mountTeams(app: App, ports: Ports) {
  const create = createRoute({
    method: "post",
    path: "/v1/teams",
    tags: ["teams"],
    summary: "Create a team (operator)",
    description: "The same id again answers 200 with the team.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "operator"), rateLimitWrites(ports)] as const,
    request: { body: { required: true, content: { "application/json": { schema: NewTeam } } } },
    responses: {
      200: { description: "Already exists", content: { "application/json": { schema: Team } } },
      201: { description: "Created", content: { "application/json": { schema: Team } } },
      ...problemResponses(400, 401, 403, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => {
    const { team, created } = await createTeam(ports.db, c.req.valid("json"), ports.clock.now());
    c.header("location", `/v1/teams/${team.id}`);
    return c.json(teamJson(team), created ? 201 : 200);
  });

  const list = createRoute({
    method: "get",
    path: "/v1/teams",
    tags: ["teams"],
    summary: "Every team (operator)",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "operator")] as const,
    responses: {
      200: { description: "Teams", content: { "application/json": { schema: z.object({ data: z.array(Team) }) } } },
      ...problemResponses(401, 403),
    },
  });
  app.openapi(list, async (c) => c.json({ data: (await listTeams(ports.db)).map(teamJson) }, 200));
}
