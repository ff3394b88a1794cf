// API keys through the API: a team admin creates keys of its own team (the key is in this response
// only) and revokes them; an operator creates keys for any team, operator keys included.
// The first operator key comes from `npm run keys -- create --scope operator` (npm start prints one).
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../http/env.ts";
import { apiKeyJson, insertApiKey, newApiKey, revokeApiKey } from "../db/api-keys.ts";
import { API_SCOPES } from "../db/schema/index.ts";
import { requireScope } from "../http/auth.ts";
import { ProblemError, problemResponses, validationProblem } from "@frontier/http";
import { getTeam } from "../services/teams.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import type { Ports } from "../ports.ts";

const NewKey = z
  .object({
    scopes: z.array(z.enum(API_SCOPES)).min(1),
    team: z.string().min(1).max(64).optional().openapi({ description: "The key's team (default: the caller's; another team needs `operator`)" }),
    label: z.string().max(200).optional(),
  })
  .strict()
  .openapi("NewApiKey");

const ApiKey = z
  .object({
    id: z.string(),
    prefix: z.string(),
    scopes: z.array(z.enum(API_SCOPES)),
    team: z.string(),
    label: z.string().nullable(),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .openapi("ApiKey");

const CreatedKey = ApiKey.extend({ key: z.string().openapi({ description: "The secret key. Shown once; only its SHA-256 is stored." }) }).openapi(
  "CreatedApiKey",
);

export function mountKeys(app: App, ports: Ports) {
  const create = createRoute({
    method: "post",
    path: "/v1/keys",
    tags: ["keys"],
    summary: "Create an API key",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "admin"), rateLimitWrites(ports)] as const,
    request: { body: { required: true, content: { "application/json": { schema: NewKey } } } },
    responses: {
      201: { description: "Created; `key` is not retrievable later", content: { "application/json": { schema: CreatedKey } } },
      ...problemResponses(400, 401, 403, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => {
    const input = c.req.valid("json");
    const principal = c.get("principal")!;
    const team = input.team ?? principal.teamId;
    if (!principal.operator && (team !== principal.teamId || input.scopes.includes("operator"))) {
      throw new ProblemError({
        status: 403,
        type: "forbidden",
        title: "Insufficient scope",
        detail: "keys for another team, and operator keys, need the 'operator' scope",
      });
    }
    if (!(await getTeam(ports.db, team))) throw new ProblemError(validationProblem([{ path: "team", message: `no team '${team}'` }]));
    const { key, row } = await newApiKey(input.scopes, input.label ?? null, ports.clock.now(), team);
    await insertApiKey(ports.db, row);
    c.header("cache-control", "no-store");
    return c.json({ ...apiKeyJson(row), key }, 201);
  });

  const revoke = createRoute({
    method: "delete",
    path: "/v1/keys/{id}",
    tags: ["keys"],
    summary: "Revoke an API key",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "admin"), rateLimitWrites(ports)] as const,
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 204: { description: "Revoked" }, ...problemResponses(401, 403, 404, 429) },
  });
  app.openapi(revoke, async (c) => {
    const { id } = c.req.valid("param");
    const principal = c.get("principal")!;
    if (!(await revokeApiKey(ports.db, id, ports.clock.now(), principal.operator ? undefined : principal.teamId))) {
      throw new ProblemError({ status: 404, type: "not-found", title: "API key not found", detail: `no live key ${id}` });
    }
    return c.body(null, 204);
  });
}
