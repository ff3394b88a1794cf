// Checkpoint and run queries. Writes that must land together go through db.batch (atomic on D1).
import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import { newId } from "../domain/ids.ts";
import { pinnedUrl } from "../domain/revisions.ts";
import type { Database } from "../ports.ts";
import { checkpoints, DEFAULT_TEAM, runs, webhookDeliveries, type CheckpointParent } from "./schema/index.ts";

export type CheckpointRow = typeof checkpoints.$inferSelect;

export interface NewCheckpoint {
  /** The owning team (default: the default team). */
  teamId?: string;
  run: string;
  url: string;
  step?: number | null;
  label?: string | null;
  metadata?: Record<string, unknown> | null;
  source: CheckpointRow["source"];
  status: CheckpointRow["status"];
  parents?: CheckpointParent[] | null;
  /** Set when the backend pinned the URL at registration; omitted: the pin is deferred. */
  pin?: { revision: string | null; at: string } | null;
}

/** The checkpoint as the API shows it. */
export function checkpointJson(row: CheckpointRow) {
  return {
    id: row.id,
    run: row.run,
    step: row.step,
    url: row.url,
    label: row.label,
    status: row.status,
    source: row.source,
    parents: row.parents,
    metadata: row.metadata,
    revision: row.revision,
    pinned_url: pinnedUrl(row.url, row.revision),
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
export type CheckpointJson = ReturnType<typeof checkpointJson>;

/** Statements that register the run (if new) and insert the checkpoint; run them in one batch. */
export function insertCheckpointStatements(db: Database, input: NewCheckpoint, now: Date) {
  const at = now.toISOString();
  const row: CheckpointRow = {
    id: newId("ckpt", now),
    teamId: input.teamId ?? DEFAULT_TEAM,
    run: input.run,
    step: input.step ?? null,
    url: input.url,
    label: input.label ?? null,
    status: input.status,
    source: input.source,
    parents: input.parents ?? null,
    metadata: input.metadata ?? null,
    createdAt: at,
    updatedAt: at,
    revision: input.pin?.revision ?? null,
    pinnedAt: input.pin?.at ?? null,
    urlPublic: false,
  };
  const upsertRun = db
    .insert(runs)
    .values({ teamId: row.teamId, name: input.run, status: "running", createdAt: at, updatedAt: at })
    .onConflictDoUpdate({ target: [runs.teamId, runs.name], set: { updatedAt: at } });
  const insert = db.insert(checkpoints).values(row);
  return { row, statements: [upsertRun, insert] as const };
}

/**
 * A trained checkpoint that a training run's webhook reported, recorded with its delivery in one
 * atomic batch. Senders retry with a new webhook-id for the same event, so a checkpoint is keyed by
 * (run, step, url, revision) here: when one already came by webhook, the delivery is recorded against it and
 * nothing new is inserted (`duplicate: true`). The insert is conditional inside the batch, so two
 * such deliveries racing still leave one checkpoint.
 */
export async function saveWebhookCheckpoint(
  db: Database,
  delivery: { id: string; type: string; receivedAt: string },
  input: Omit<NewCheckpoint, "source" | "status" | "parents"> & { step: number },
  now: Date,
): Promise<{ row: CheckpointRow; duplicate: boolean }> {
  const { row, statements } = insertCheckpointStatements(db, { ...input, source: "webhook", status: "ready" }, now);
  // The same URL at another pinned revision (a branch that moved) is another checkpoint; an unknown
  // revision (a deferred pin) matches any.
  const same = sql`${checkpoints.teamId} = ${row.teamId} and ${checkpoints.run} = ${row.run} and ${checkpoints.step} = ${row.step} and ${checkpoints.url} = ${row.url} and ${checkpoints.source} = 'webhook'
    and (${checkpoints.revision} is null or ${row.revision} is null or ${checkpoints.revision} = ${row.revision})`;
  const [upsertRun] = statements;
  await db.batch([
    upsertRun,
    // Every column, in the table's order.
    db.insert(checkpoints).select(
      sql`select ${row.id}, ${row.teamId}, ${row.run}, ${row.step}, ${row.url}, ${row.label}, ${row.status}, ${row.source}, null, ${row.metadata === null ? null : JSON.stringify(row.metadata)}, ${row.createdAt}, ${row.updatedAt}, ${row.revision}, ${row.pinnedAt}, 0
        where not exists (select 1 from ${checkpoints} where ${same})`,
    ),
    db.insert(webhookDeliveries).values({
      teamId: row.teamId,
      id: delivery.id,
      type: delivery.type,
      receivedAt: delivery.receivedAt,
      checkpointId: sql`(select ${checkpoints.id} from ${checkpoints} where ${same} order by ${checkpoints.id} limit 1)`,
      run: row.run,
    }),
  ]);
  const [stored] = await db
    .select({ checkpoint: checkpoints })
    .from(webhookDeliveries)
    .innerJoin(checkpoints, eq(checkpoints.id, webhookDeliveries.checkpointId))
    .where(and(eq(webhookDeliveries.teamId, row.teamId), eq(webhookDeliveries.id, delivery.id)))
    .limit(1);
  if (!stored) throw new Error(`webhook delivery ${delivery.id} was recorded without its checkpoint`);
  return { row: stored.checkpoint, duplicate: stored.checkpoint.id !== row.id };
}

export async function createCheckpoint(db: Database, input: NewCheckpoint, now: Date): Promise<CheckpointRow> {
  const { row, statements } = insertCheckpointStatements(db, input, now);
  await db.batch(statements);
  return row;
}

export async function getCheckpoint(db: Database, id: string): Promise<CheckpointRow | undefined> {
  const [row] = await db.select().from(checkpoints).where(eq(checkpoints.id, id)).limit(1);
  return row;
}

/** Oldest first; `after` is the last id of the previous page. Returns one extra row to tell if more follow. */
export async function listCheckpoints(db: Database, options: { run?: string; after?: string; limit: number; visible?: SQL }) {
  const conditions = [
    options.visible,
    options.run !== undefined ? eq(checkpoints.run, options.run) : undefined,
    options.after !== undefined ? gt(checkpoints.id, options.after) : undefined,
  ].filter((condition) => condition !== undefined);
  const rows = await db
    .select()
    .from(checkpoints)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(checkpoints.id))
    .limit(options.limit + 1);
  return { rows: rows.slice(0, options.limit), more: rows.length > options.limit };
}

export function finishRunStatement(db: Database, run: string, now: Date, teamId: string = DEFAULT_TEAM) {
  const at = now.toISOString();
  return db
    .insert(runs)
    .values({ teamId, name: run, status: "finished", createdAt: at, updatedAt: at, finishedAt: at })
    .onConflictDoUpdate({
      target: [runs.teamId, runs.name],
      set: { status: "finished", updatedAt: at, finishedAt: sql`coalesce(${runs.finishedAt}, ${at})` },
    });
}
