// Teams: every owned row carries a team id; the default team holds everything from before teams.
import { and, desc, eq, lt } from "drizzle-orm";
import { auditLog, teams } from "../db/schema/index.ts";
import type { Database } from "../ports.ts";

export type TeamRow = typeof teams.$inferSelect;

export async function getTeam(db: Database, id: string): Promise<TeamRow | undefined> {
  const [row] = await db.select().from(teams).where(eq(teams.id, id)).limit(1);
  return row;
}

/** Creates the team; the same id again answers the existing one (created: false). */
export async function createTeam(db: Database, input: { id: string; name?: string }, now: Date) {
  const row: TeamRow = { id: input.id, name: input.name ?? input.id, createdAt: now.toISOString() };
  const inserted = await db.insert(teams).values(row).onConflictDoNothing().returning({ id: teams.id });
  if (inserted.length) return { team: row, created: true };
  return { team: (await getTeam(db, input.id))!, created: false };
}

export async function listTeams(db: Database) {
  return db.select().from(teams).orderBy(teams.id);
}

export function teamJson(row: TeamRow) {
  return { id: row.id, name: row.name, created_at: row.createdAt };
}

/** The team's audit log, newest first; `before` is the last id of the previous page. */
export async function auditPage(db: Database, teamId: string, options: { before?: string; limit: number }) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.teamId, teamId), options.before !== undefined ? lt(auditLog.id, options.before) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  return {
    data: page.map((row) => ({ id: row.id, actor: row.actor, method: row.method, path: row.path, status: row.status, at: row.at })),
    next_cursor: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
