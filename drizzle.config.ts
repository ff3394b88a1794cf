// drizzle-kit: `npx drizzle-kit generate` writes flat migrations/NNNN_name.sql, the layout
// `wrangler d1 migrations apply` reads. Never edit a generated migration: change the schema and generate a new one.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema/index.ts",
  out: "./migrations",
});
