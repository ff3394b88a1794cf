// A team's training-run webhook secrets (team admin): create (or rotate), list, revoke.
import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError, problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import type { Ports } from "../ports.ts";
import { teamOf } from "../services/access.ts";
import { createWebhookSecret, DEFAULT_OVERLAP_SECONDS, listWebhookSecrets, revokeWebhookSecret, webhookSecretJson } from "../services/webhook-secrets.ts";

const WebhookSecret = z
  .object({
    id: z.string(),
    team: z.string(),
    prefix: z.string(),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi("WebhookSecret");
const CreatedSecret = WebhookSecret.extend({
  secret: z.string().openapi({ description: "`whsec_…`: shown once" }),
  endpoint: z.string().openapi({ description: "Where the team's training runs send their events" }),
}).openapi("CreatedWebhookSecret");
const NewSecret = z
  .object({
    overlap_seconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600)
      .optional()
      .openapi({ description: `How long the team's earlier secrets keep verifying (default ${DEFAULT_OVERLAP_SECONDS}; 0: stop now)` }),
  })
  .strict()
  .openapi("NewWebhookSecret");

export function mountWebhookSecrets(app: App, ports: Ports) {
  const create = createRoute({
    method: "post",
    path: "/v1/webhook-secrets",
    tags: ["hooks"],
    summary: "Create or rotate the team's training-run webhook secret (admin)",
    description:
      "A new `whsec_` secret for `/v1/hooks/{team}/training-runs`. The team's earlier secrets keep verifying for " +
      "`overlap_seconds` (default a day), so a training loop can switch without dropping events.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "admin"), rateLimitWrites(ports)] as const,
    request: { body: { required: false, content: { "application/json": { schema: NewSecret } } } },
    responses: {
      201: { description: "Created", content: { "application/json": { schema: CreatedSecret } } },
      ...problemResponses(400, 401, 403, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => {
    const team = teamOf(c);
    const row = await createWebhookSecret(ports.db, team, ports.clock.now(), c.req.valid("json")?.overlap_seconds, ports.config.SECRETS_KEY);
    c.header("location", `/v1/webhook-secrets/${row.id}`);
    return c.json({ ...webhookSecretJson(row), secret: row.secret, endpoint: `/v1/hooks/${team}/training-runs` }, 201);
  });

  const list = createRoute({
    method: "get",
    path: "/v1/webhook-secrets",
    tags: ["hooks"],
    summary: "The team's webhook secrets (admin; never the secrets themselves)",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "admin")] as const,
    responses: {
      200: { description: "Secrets", content: { "application/json": { schema: z.object({ data: z.array(WebhookSecret) }) } } },
      ...problemResponses(401, 403),
    },
  });
  app.openapi(list, async (c) => c.json({ data: (await listWebhookSecrets(ports.db, teamOf(c))).map(webhookSecretJson) }, 200));

  const revoke = createRoute({
    method: "delete",
    path: "/v1/webhook-secrets/{id}",
    tags: ["hooks"],
    summary: "Revoke one of the team's webhook secrets (admin)",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "admin"), rateLimitWrites(ports)] as const,
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 204: { description: "Revoked" }, ...problemResponses(401, 403, 404, 429) },
  });
  app.openapi(revoke, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await revokeWebhookSecret(ports.db, teamOf(c), id, ports.clock.now()))) {
      throw new ProblemError({ status: 404, type: "not-found", title: "Webhook secret not found", detail: `no live secret ${id}` });
    }
    return c.body(null, 204);
  });
}
