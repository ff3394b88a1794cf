// The public-read cache's version: one counter that SQL triggers (migrations, hand-written) bump on
// every write to a table a public read shows (tracks, benchmarks, checkpoints, evaluations' status,
// metrics, ensembles). Cached public responses are keyed by it, so a new result shows at once.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const publicVersions = sqliteTable("public_versions", {
  /** "public": the one scope today (issue 20 may add one per team). */
  scope: text("scope").primaryKey(),
  version: integer("version").notNull().default(0),
});
