// Webhook deliveries: one row per accepted `webhook-id`, written in the same batch as the event's
// effect, so a replay (same id) can never add a second checkpoint.
import { and, eq } from "drizzle-orm";
import type { Database } from "../ports.ts";
import { DEFAULT_TEAM, webhookDeliveries } from "./schema/index.ts";

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Delivery ids are per team: one team's `webhook-id` never answers for another's. */
export async function findDelivery(db: Database, id: string, teamId: string = DEFAULT_TEAM): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.teamId, teamId), eq(webhookDeliveries.id, id)))
    .limit(1);
  return row;
}

export function insertDeliveryStatement(db: Database, row: DeliveryRow) {
  return db.insert(webhookDeliveries).values(row);
}
