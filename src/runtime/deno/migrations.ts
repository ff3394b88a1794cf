// Applies migrations/*.sql the way `wrangler d1 migrations apply` does: files in name order, each
// one with its row in d1_migrations inside one transaction, so a database moved between the two
// tools knows which migrations it already has.
import type { DatabaseSync } from "node:sqlite";

export const MIGRATIONS_TABLE = "d1_migrations";

export interface Migration {
  name: string;
  sql: string;
}

/** The .sql files of a migrations folder, in the order wrangler applies them. */
export async function readMigrations(folder: URL | string): Promise<Migration[]> {
  const base = typeof folder === "string" ? folder.replace(/\/?$/, "/") : new URL(folder.href.replace(/\/?$/, "/"));
  const names: string[] = [];
  for await (const entry of Deno.readDir(base)) {
    if (entry.isFile && entry.name.endsWith(".sql")) names.push(entry.name);
  }
  names.sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      sql: await Deno.readTextFile(typeof base === "string" ? `${base}${name}` : new URL(name, base)),
    })),
  );
}

/** Applies the migrations this database has not seen; returns the names applied now. */
export function applyMigrations(sqlite: DatabaseSync, migrations: readonly Migration[]): string[] {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT UNIQUE,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
  )`);
  const applied = new Set((sqlite.prepare(`SELECT name FROM ${MIGRATIONS_TABLE}`).all() as { name: string }[]).map((row) => row.name));
  const record = sqlite.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (name) VALUES (?)`);
  const pending = migrations.filter((migration) => !applied.has(migration.name));
  if (pending.length === 0) return [];
  // drizzle-kit rebuilds tables (create new, copy, drop old, rename) for some changes; SQLite's
  // procedure for that runs with foreign keys off, since the pragma is a no-op inside a transaction.
  const foreignKeys = (sqlite.prepare("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys;
  sqlite.exec("PRAGMA foreign_keys = OFF");
  try {
    return pending.map((migration) => applyOne(sqlite, migration, record));
  } finally {
    sqlite.exec(`PRAGMA foreign_keys = ${foreignKeys ? "ON" : "OFF"}`);
  }
}

function applyOne(sqlite: DatabaseSync, migration: Migration, record: ReturnType<DatabaseSync["prepare"]>): string {
  sqlite.exec("BEGIN IMMEDIATE");
  try {
    sqlite.exec(migration.sql);
    record.run(migration.name);
    const broken = sqlite.prepare("PRAGMA foreign_key_check").all();
    if (broken.length > 0) throw new Error(`leaves ${broken.length} row(s) violating foreign keys`);
    sqlite.exec("COMMIT");
  } catch (error) {
    sqlite.exec("ROLLBACK");
    throw new Error(`migration ${migration.name} failed: ${error instanceof Error ? error.message : error}`, { cause: error });
  }
  return migration.name;
}
