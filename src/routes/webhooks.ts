// Outbound webhooks: register an endpoint for events (the secret is returned once), list and delete
// endpoints, read an endpoint's delivery log, redeliver one delivery (services/webhooks.ts).
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import { NewWebhook, Webhook, WebhookDelivery } from "../http/schemas.ts";
import { teamOf } from "../services/access.ts";
import type { Ports } from "../ports.ts";
import { createEndpoint, deleteEndpoint, deliveryJson, endpointJson, listDeliveries, listEndpoints, redeliver } from "../services/webhooks.ts";

const Id = z.string().min(1).max(64);

export function mountWebhooks(app: App, ports: Ports) {
  const auth = requireScope(ports, "submit");

  const create = createRoute({
    method: "post",
    path: "/v1/webhooks",
    tags: ["webhooks"],
    summary: "Register an endpoint for outbound webhooks",
    description:
      "Needs `submit`. Every event of the team's resources named in `events` is POSTed to `url`, signed per Standard Webhooks " +
      "(webhook-id, webhook-timestamp, webhook-signature) with the secret in this answer — the only time it is shown. " +
      "Failed deliveries are retried with backoff; each endpoint receives each event once.",
    security: [{ apiKey: [] }],
    middleware: [auth, rateLimitWrites(ports)] as const,
    request: { body: { required: true, content: { "application/json": { schema: NewWebhook } } } },
    responses: {
      201: { description: "Created (with its secret)", content: { "application/json": { schema: Webhook } } },
      ...problemResponses(400, 401, 403, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => {
    const row = await createEndpoint(ports, teamOf(c), c.get("principal")!.keyId, c.req.valid("json"));
    c.header("location", `/v1/webhooks/${row.id}`);
    return c.json({ ...endpointJson(row), secret: row.secret }, 201);
  });

  const list = createRoute({
    method: "get",
    path: "/v1/webhooks",
    tags: ["webhooks"],
    summary: "The team's webhook endpoints (without secrets)",
    security: [{ apiKey: [] }],
    middleware: [auth] as const,
    responses: {
      200: { description: "Endpoints", content: { "application/json": { schema: z.object({ data: Webhook.array() }) } } },
      ...problemResponses(401, 403),
    },
  });
  app.openapi(list, async (c) => c.json({ data: (await listEndpoints(ports, teamOf(c))).map(endpointJson) }, 200));

  const remove = createRoute({
    method: "delete",
    path: "/v1/webhooks/{id}",
    tags: ["webhooks"],
    summary: "Delete an endpoint and its delivery log; queued deliveries are dropped",
    security: [{ apiKey: [] }],
    middleware: [auth, rateLimitWrites(ports)] as const,
    request: { params: z.object({ id: Id }) },
    responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 403, 404, 429) },
  });
  app.openapi(remove, async (c) => {
    await deleteEndpoint(ports, teamOf(c), c.req.valid("param").id);
    return c.body(null, 204);
  });

  const deliveries = createRoute({
    method: "get",
    path: "/v1/webhooks/{id}/deliveries",
    tags: ["webhooks"],
    summary: "An endpoint's delivery log, newest first (last 100)",
    security: [{ apiKey: [] }],
    middleware: [auth] as const,
    request: { params: z.object({ id: Id }) },
    responses: {
      200: { description: "Deliveries", content: { "application/json": { schema: z.object({ data: WebhookDelivery.array() }) } } },
      ...problemResponses(400, 401, 403, 404),
    },
  });
  app.openapi(deliveries, async (c) => c.json({ data: (await listDeliveries(ports, teamOf(c), c.req.valid("param").id)).map(deliveryJson) }, 200));

  const again = createRoute({
    method: "post",
    path: "/v1/webhooks/{id}/deliveries/{delivery}/redeliver",
    tags: ["webhooks"],
    summary: "Send a delivery again (same webhook-id and body, a fresh signature)",
    description: "Needs `submit`. 409 while the delivery is still being attempted.",
    security: [{ apiKey: [] }],
    middleware: [auth, rateLimitWrites(ports)] as const,
    request: { params: z.object({ id: Id, delivery: Id }) },
    responses: {
      202: { description: "Queued", content: { "application/json": { schema: WebhookDelivery } } },
      ...problemResponses(400, 401, 403, 404, 409, 429),
    },
  });
  app.openapi(again, async (c) => {
    const { id, delivery } = c.req.valid("param");
    return c.json(deliveryJson(await redeliver(ports, teamOf(c), id, delivery)), 202);
  });
}
