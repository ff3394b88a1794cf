// Outbound webhooks: endpoints a team registers (POST /v1/webhooks) and one delivery per endpoint
// and event (the unique key makes an event emitted twice deliver once). Signed per Standard Webhooks.
import type { OutboundEventType } from "@frontier/contracts";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export type OutboundEvent = OutboundEventType;

export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id").notNull().default("default"),
    url: text("url").notNull(),
    events: text("events", { mode: "json" }).$type<OutboundEvent[]>().notNull(),
    /** `whsec_<base64>`: shown once, at creation; kept to sign deliveries. */
    secret: text("secret").notNull(),
    keyId: text("key_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("webhook_endpoints_team").on(t.teamId, t.createdAt)],
);
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;

export const OUTBOUND_DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type OutboundDeliveryStatus = (typeof OUTBOUND_DELIVERY_STATUSES)[number];

export const outboundDeliveries = sqliteTable(
  "outbound_deliveries",
  {
    id: text("id").primaryKey(),
    endpointId: text("endpoint_id").notNull(),
    teamId: text("team_id").notNull().default("default"),
    /** The event's id, sent as `webhook-id` (the same on every attempt and redelivery). */
    eventId: text("event_id").notNull(),
    type: text("type").$type<OutboundEvent>().notNull(),
    /** The exact JSON body signed and sent. */
    payload: text("payload").notNull(),
    status: text("status", { enum: OUTBOUND_DELIVERY_STATUSES }).notNull(),
    /** HTTP attempts so far, manual redeliveries included. */
    attempts: integer("attempts").notNull().default(0),
    /** Bumped by a manual redelivery: queue messages of an older generation are dropped. */
    generation: integer("generation").notNull().default(0),
    /** Every attempt: when, the HTTP status (null on a transport error), the error. */
    log: text("log", { mode: "json" }).$type<{ at: string; status: number | null; error: string | null }[]>().notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    deliveredAt: text("delivered_at"),
  },
  (t) => [uniqueIndex("outbound_deliveries_event").on(t.endpointId, t.eventId), index("outbound_deliveries_endpoint").on(t.endpointId, t.createdAt)],
);
export type OutboundDeliveryRow = typeof outboundDeliveries.$inferSelect;
