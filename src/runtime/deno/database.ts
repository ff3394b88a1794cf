// The Deno runtime's database: a SQLite file migrated from migrations/ on open, behind the D1 API,
// wrapped by the same drizzle D1 driver the Workers entry uses.
import { drizzle } from "drizzle-orm/d1";
import type { DatabaseSync } from "node:sqlite";
import * as schema from "../../db/schema/index.ts";
import type { Database } from "../../ports.ts";
import { applyMigrations, readMigrations } from "./migrations.ts";
import { openSqlite, SqliteD1Database } from "./sqlite-d1.ts";

/** The repository's migrations/ folder, found from this file so any working directory works. */
export const MIGRATIONS_FOLDER = new URL("../../../migrations/", import.meta.url);

export interface DenoDatabase {
  db: Database;
  /** The D1-shaped binding under `db`. */
  d1: SqliteD1Database;
  sqlite: DatabaseSync;
  /** Migrations applied by this open (empty when the file was up to date). */
  applied: string[];
  close(): void;
}

export async function openDatabase(path: string, migrationsFolder: URL | string = MIGRATIONS_FOLDER): Promise<DenoDatabase> {
  const sqlite = openSqlite(path);
  try {
    const applied = applyMigrations(sqlite, await readMigrations(migrationsFolder));
    const d1 = new SqliteD1Database(sqlite);
    // drizzle's D1 driver only calls prepare/bind/run/all/raw/batch, which SqliteD1Database provides.
    const db = drizzle(d1 as unknown as Parameters<typeof drizzle>[0], { schema }) as unknown as Database;
    return { db, d1, sqlite, applied, close: () => sqlite.close() };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}
