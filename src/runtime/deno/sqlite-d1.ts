// The D1 binding's API over a local SQLite file (node:sqlite, built into Deno). The Deno entry
// hands this to the same drizzle D1 driver the Workers entry uses, so every query — row shapes,
// batch() atomicity, run() metadata — goes through identical driver code on both runtimes.
import { DatabaseSync, type StatementSync } from "node:sqlite";

/** D1 refuses statements with more bound parameters than this; so does this adapter, to keep parity. */
export const D1_MAX_BOUND_PARAMETERS = 100;

/** D1 has no SQL transactions (batch() is the atomic unit); refusing them here keeps code portable. */
const TRANSACTION_STATEMENT = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;

type SqlValue = null | number | bigint | string | Uint8Array;

export interface SqliteD1Options {
  /** Statements kept compiled, by SQL text. */
  statementCacheSize?: number;
}

export interface D1Meta {
  duration: number;
  changes: number;
  last_row_id: number;
  changed_db: boolean;
  rows_read: number;
  rows_written: number;
  size_after: number;
}

export interface D1Result<Row = Record<string, unknown>> {
  success: true;
  meta: D1Meta;
  results: Row[];
}

/** Opens (creating if needed) a SQLite database with the settings D1 runs with. */
export function openSqlite(path: string): DatabaseSync {
  const sqlite = new DatabaseSync(path);
  // D1 enforces foreign keys; WAL lets `deno task keys` write while the server runs.
  sqlite.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
  return sqlite;
}

export class SqliteD1Database {
  readonly #sqlite: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #cacheSize: number;
  #changes?: StatementSync;

  constructor(sqlite: DatabaseSync, options: SqliteD1Options = {}) {
    this.#sqlite = sqlite;
    this.#cacheSize = options.statementCacheSize ?? 256;
  }

  prepare(query: string): SqliteD1Statement {
    return new SqliteD1Statement(this, query, []);
  }

  /** Runs the statements in one transaction: all of them apply, or (on any error) none. */
  async batch<Row = Record<string, unknown>>(statements: SqliteD1Statement[]): Promise<D1Result<Row>[]> {
    if (statements.length === 0) return [];
    this.#sqlite.exec("BEGIN IMMEDIATE");
    try {
      // node:sqlite is synchronous: nothing else runs on this connection until COMMIT.
      const results = statements.map((statement) => statement.executeSync() as D1Result<Row>);
      this.#sqlite.exec("COMMIT");
      return results;
    } catch (error) {
      this.#sqlite.exec("ROLLBACK");
      throw d1Error(error);
    }
  }

  async exec(query: string): Promise<{ count: number; duration: number }> {
    const started = performance.now();
    try {
      this.#sqlite.exec(query);
    } catch (error) {
      throw d1Error(error);
    }
    const count = query.split(/;\s*(?:\n|$)/).filter((part) => part.trim() !== "").length;
    return { count, duration: performance.now() - started };
  }

  /** @internal A compiled statement for this SQL, from the cache when possible. */
  compiled(query: string): StatementSync {
    let statement = this.#statements.get(query);
    if (statement) {
      // Refresh its place in the (insertion-ordered) map: least recently used goes first.
      this.#statements.delete(query);
    } else {
      statement = this.#sqlite.prepare(query);
      if (this.#statements.size >= this.#cacheSize) this.#statements.delete(this.#statements.keys().next().value!);
    }
    this.#statements.set(query, statement);
    return statement;
  }

  /** @internal What the last statement changed, for D1's result metadata. */
  lastChanges(): { changes: number; last_row_id: number } {
    this.#changes ??= this.#sqlite.prepare("SELECT changes() AS changes, last_insert_rowid() AS last_row_id");
    const row = this.#changes.get() as { changes: number; last_row_id: number };
    return { changes: Number(row.changes), last_row_id: Number(row.last_row_id) };
  }
}

export class SqliteD1Statement {
  readonly #database: SqliteD1Database;
  readonly #query: string;
  readonly #params: SqlValue[];

  constructor(database: SqliteD1Database, query: string, params: SqlValue[]) {
    this.#database = database;
    this.#query = query;
    this.#params = params;
  }

  bind(...values: unknown[]): SqliteD1Statement {
    if (values.length > D1_MAX_BOUND_PARAMETERS) {
      throw new Error(`D1_ERROR: too many SQL variables (${values.length}); D1 allows at most ${D1_MAX_BOUND_PARAMETERS} bound parameters per statement`);
    }
    return new SqliteD1Statement(this.#database, this.#query, values.map(toSqlValue));
  }

  async run<Row = Record<string, unknown>>(): Promise<D1Result<Row>> {
    return this.executeSync() as D1Result<Row>;
  }

  async all<Row = Record<string, unknown>>(): Promise<D1Result<Row>> {
    return this.executeSync() as D1Result<Row>;
  }

  async first<T = unknown>(column?: string): Promise<T | null> {
    const [row] = this.executeSync().results;
    if (!row) return null;
    if (column === undefined) return row as T;
    if (!(column in row)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
    return row[column] as T;
  }

  async raw<T = unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    const statement = this.#statement();
    statement.setReturnArrays(true);
    try {
      const rows = statement.all(...this.#params) as T[];
      if (options?.columnNames) return [statement.columns().map((column) => column.name) as T, ...rows];
      return rows;
    } catch (error) {
      throw d1Error(error);
    } finally {
      statement.setReturnArrays(false);
    }
  }

  /** @internal Runs the statement now; rows come back as plain objects, like D1's `all()`. */
  executeSync(): D1Result {
    const started = performance.now();
    const statement = this.#statement();
    let results: Record<string, unknown>[];
    try {
      results = (statement.all(...this.#params) as Record<string, unknown>[]).map((row) => ({ ...row }));
    } catch (error) {
      throw d1Error(error);
    }
    const { changes, last_row_id } = this.#database.lastChanges();
    const wrote = statement.columns().length === 0 || /^\s*(insert|update|delete|replace)\b/i.test(this.#query);
    const written = wrote ? changes : 0;
    return {
      success: true,
      meta: {
        duration: performance.now() - started,
        changes: written,
        last_row_id,
        changed_db: written > 0,
        rows_read: results.length,
        rows_written: written,
        size_after: 0,
      },
      results,
    };
  }

  #statement(): StatementSync {
    if (TRANSACTION_STATEMENT.test(this.#query)) {
      throw new Error("D1_ERROR: SQL transactions are not supported by D1; group writes with batch() instead");
    }
    try {
      return this.#database.compiled(this.#query);
    } catch (error) {
      throw d1Error(error);
    }
  }
}

/** D1 accepts booleans (as 1/0) and buffers (as blobs), and refuses undefined. */
function toSqlValue(value: unknown): SqlValue {
  if (value === null || typeof value === "number" || typeof value === "string" || typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new Error(`D1_TYPE_ERROR: Type '${value === undefined ? "undefined" : typeof value}' not supported for value '${String(value)}'`);
}

function d1Error(error: unknown): Error {
  if (error instanceof Error && error.message.startsWith("D1_")) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { errstr?: string; code?: string })?.errstr ?? (error as { code?: string })?.code;
  return new Error(`D1_ERROR: ${message}${code ? `: ${code}` : ""}`, { cause: error });
}
