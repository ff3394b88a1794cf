// Outbound webhooks: endpoints a team registers, events emitted by the pipeline, and their
// deliveries through the `webhooks` queue, each signed per Standard Webhooks with the endpoint's
// secret. One delivery per endpoint and event (a unique key), so an event emitted twice — a
// completion seen by two consumers, a replayed callback — is delivered once. A delivery is retried
// with backoff (src/queue/retry-policy.ts) until the receiver answers 2xx or the attempts run out;
// every attempt is logged; a manual redelivery sends it again under the same webhook-id.
import { ProblemError, validationProblem } from "@frontier/http";
import { and, asc, desc, eq } from "drizzle-orm";
import { outboundDeliveries, webhookEndpoints, type OutboundDeliveryRow, type OutboundEvent, type WebhookEndpointRow } from "../db/schema/index.ts";
import { newId } from "../domain/ids.ts";
import { webhookSigner } from "../domain/webhooks.ts";
import { checkWebhookUrl } from "../http/webhook-url.ts";
import type { Ports, QueueMessage } from "../ports.ts";
import { openSecret, sealSecret } from "./secret-box.ts";
import { WebhookMessageSchema, type WebhookMessage } from "../queue/messages.ts";
import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_TIMEOUT_MS, webhookRetryDelaySeconds } from "../queue/retry-policy.ts";

const MAX_LOG_ENTRIES = 20;
const MAX_ERROR_CHARS = 300;

export interface NewWebhookEndpoint {
  url: string;
  events: OutboundEvent[];
  description?: string;
}

export function endpointJson(row: WebhookEndpointRow) {
  return { id: row.id, url: row.url, events: row.events, created_at: row.createdAt };
}

export function deliveryJson(row: OutboundDeliveryRow) {
  return {
    id: row.id,
    webhook: row.endpointId,
    event_id: row.eventId,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    attempt_log: row.log,
    payload: JSON.parse(row.payload) as unknown,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    delivered_at: row.deliveredAt,
  };
}

/** A fresh `whsec_<base64>` secret of 24 random bytes. */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

export async function createEndpoint(ports: Ports, team: string, keyId: string, input: NewWebhookEndpoint) {
  const check = checkWebhookUrl(input.url, ports.config.WEBHOOK_ALLOW_HOSTS);
  if (!check.ok) throw new ProblemError(validationProblem([{ path: "url", message: `url ${check.reason}` }]));
  const now = ports.clock.now();
  const secret = newSecret();
  const row: WebhookEndpointRow = {
    id: newId("whk", now),
    teamId: team,
    url: check.url,
    events: [...new Set(input.events)],
    // Sealed at rest when SECRETS_KEY is set; the answer carries the secret itself (shown once).
    secret: await sealSecret(secret, ports.config.SECRETS_KEY),
    keyId,
    createdAt: now.toISOString(),
  };
  await ports.db.insert(webhookEndpoints).values(row);
  return { ...row, secret };
}

export async function listEndpoints(ports: Ports, team: string) {
  return ports.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.teamId, team)).orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
}

/** The team's endpoint, or 404 (another team's endpoint is not found either). */
export async function endpointOr404(ports: Ports, team: string, id: string): Promise<WebhookEndpointRow> {
  const [row] = await ports.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.teamId, team)))
    .limit(1);
  if (!row) throw new ProblemError({ status: 404, type: "not-found", title: "Webhook not found", detail: `no webhook ${id}` });
  return row;
}

/** Removes the endpoint and its delivery log; deliveries still queued are dropped by the consumer. */
export async function deleteEndpoint(ports: Ports, team: string, id: string) {
  await endpointOr404(ports, team, id);
  await ports.db.batch([
    ports.db.delete(outboundDeliveries).where(eq(outboundDeliveries.endpointId, id)),
    ports.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)),
  ]);
}

export async function listDeliveries(ports: Ports, team: string, endpointId: string) {
  await endpointOr404(ports, team, endpointId);
  return ports.db
    .select()
    .from(outboundDeliveries)
    .where(eq(outboundDeliveries.endpointId, endpointId))
    .orderBy(desc(outboundDeliveries.createdAt), desc(outboundDeliveries.id))
    .limit(100);
}

/** Sends a delivery again (same webhook-id and body, freshly signed); 409 while one is pending. */
export async function redeliver(ports: Ports, team: string, endpointId: string, deliveryId: string) {
  await endpointOr404(ports, team, endpointId);
  const [row] = await ports.db
    .select()
    .from(outboundDeliveries)
    .where(and(eq(outboundDeliveries.id, deliveryId), eq(outboundDeliveries.endpointId, endpointId)))
    .limit(1);
  if (!row)
    throw new ProblemError({ status: 404, type: "not-found", title: "Delivery not found", detail: `no delivery ${deliveryId} for webhook ${endpointId}` });
  if (row.status === "pending") {
    throw new ProblemError({ status: 409, type: "conflict", title: "Delivery pending", detail: `delivery ${deliveryId} is still being attempted` });
  }
  const generation = row.generation + 1;
  const updated = await ports.db
    .update(outboundDeliveries)
    .set({ status: "pending", generation, updatedAt: ports.clock.now().toISOString() })
    .where(and(eq(outboundDeliveries.id, deliveryId), eq(outboundDeliveries.generation, row.generation)))
    .returning();
  if (updated.length === 0)
    throw new ProblemError({ status: 409, type: "conflict", title: "Delivery pending", detail: `delivery ${deliveryId} was just redelivered` });
  await ports.queues.send("webhooks", { type: "webhook.deliver", delivery_id: deliveryId, generation } satisfies WebhookMessage);
  return updated[0];
}

export interface OutboundEventInput {
  type: OutboundEvent;
  /** Identifies the occurrence: the same key is the same event (delivered once per endpoint). */
  key: string;
  team: string;
  data: Record<string, unknown>;
}

/** The webhook-id of an event: stable, so emitting it twice is one event. */
export const eventId = (type: OutboundEvent, key: string) => `msg_${type.replace(".", "_")}_${key}`;

/**
 * Records a delivery of the event for each of the team's endpoints subscribed to it and queues
 * them. Never throws: a failure to notify is logged, not allowed to fail the pipeline step.
 */
export async function emitEvent(ports: Ports, event: OutboundEventInput): Promise<void> {
  try {
    const endpoints = (await ports.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.teamId, event.team))).filter((e) =>
      e.events.includes(event.type),
    );
    if (endpoints.length === 0) return;
    const now = ports.clock.now();
    const id = eventId(event.type, event.key);
    const payload = JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data });
    const queued: WebhookMessage[] = [];
    for (const endpoint of endpoints) {
      const inserted = await ports.db
        .insert(outboundDeliveries)
        .values({
          id: newId("dlv", now),
          endpointId: endpoint.id,
          teamId: event.team,
          eventId: id,
          type: event.type,
          payload,
          status: "pending",
          attempts: 0,
          generation: 0,
          log: [],
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
          deliveredAt: null,
        })
        .onConflictDoNothing()
        .returning({ id: outboundDeliveries.id });
      for (const row of inserted) queued.push({ type: "webhook.deliver", delivery_id: row.id, generation: 0 });
    }
    if (queued.length > 0) await ports.queues.sendBatch("webhooks", queued);
  } catch (error) {
    console.error(`webhooks: could not emit ${event.type} ${event.key}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** One signed POST; the HTTP status, or null with the error on a transport failure. */
async function attempt(ports: Ports, endpoint: WebhookEndpointRow, row: OutboundDeliveryRow): Promise<{ status: number | null; error: string | null }> {
  // Checked again at send time: an endpoint stored under a looser WEBHOOK_ALLOW_HOSTS is not sent to.
  const check = checkWebhookUrl(endpoint.url, ports.config.WEBHOOK_ALLOW_HOSTS);
  if (!check.ok) return { status: null, error: `url ${check.reason}` };
  const secret = await openSecret(endpoint.secret, ports.config.SECRETS_KEY);
  if (secret === null) return { status: null, error: "the endpoint's secret is sealed and SECRETS_KEY is missing or not the key it was sealed with" };
  const signature = webhookSigner(secret).sign(row.eventId, ports.clock.now(), row.payload);
  try {
    const response = await fetch(endpoint.url, {
      method: "POST",
      body: row.payload,
      // A redirect could lead anywhere: it is not followed, and counts as a failed attempt.
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: {
        "content-type": "application/json",
        "user-agent": "frontier-webhooks",
        "webhook-id": row.eventId,
        "webhook-timestamp": String(Math.floor(ports.clock.now().getTime() / 1000)),
        "webhook-signature": signature,
      },
    });
    const ok = response.status >= 200 && response.status < 300;
    const text = ok ? "" : (await response.text().catch(() => "")).slice(0, MAX_ERROR_CHARS);
    await response.body?.cancel().catch(() => {});
    return { status: response.status, error: ok ? null : `HTTP ${response.status}${text ? `: ${text}` : ""}` };
  } catch (error) {
    return { status: null, error: (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_CHARS) };
  }
}

/** The `webhooks` queue consumer. */
export async function consumeWebhooks(messages: readonly QueueMessage[], ports: Ports): Promise<void> {
  for (const message of messages) {
    const parsed = WebhookMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error("webhooks: dropping a message that does not parse", parsed.error.message);
      message.ack();
      continue;
    }
    const { delivery_id: deliveryId, generation } = parsed.data;
    const [row] = await ports.db.select().from(outboundDeliveries).where(eq(outboundDeliveries.id, deliveryId)).limit(1);
    // Delivered already, failed for good, redelivered since, or deleted with its endpoint: nothing to send.
    if (row?.status !== "pending" || row.generation !== generation) {
      message.ack();
      continue;
    }
    const [endpoint] = await ports.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, row.endpointId)).limit(1);
    if (!endpoint) {
      message.ack();
      continue;
    }
    const result = await attempt(ports, endpoint, row);
    const at = ports.clock.now().toISOString();
    const delivered = result.status !== null && result.status >= 200 && result.status < 300;
    const lastTry = message.attempts >= WEBHOOK_MAX_ATTEMPTS;
    const status = delivered ? "delivered" : lastTry ? "failed" : "pending";
    await ports.db
      .update(outboundDeliveries)
      .set({
        status,
        attempts: row.attempts + 1,
        log: [...row.log, { at, status: result.status, error: result.error }].slice(-MAX_LOG_ENTRIES),
        updatedAt: at,
        ...(delivered ? { deliveredAt: at } : {}),
      })
      .where(and(eq(outboundDeliveries.id, deliveryId), eq(outboundDeliveries.generation, generation), eq(outboundDeliveries.status, "pending")));
    if (status === "pending") message.retry({ delaySeconds: webhookRetryDelaySeconds(message.attempts) });
    else message.ack();
  }
}
