// Every table the app knows. Each area keeps its tables in a file of its own and adds one line here;
// drizzle-kit reads this file to generate migrations.
export * from "./core.ts";
export * from "./pipeline.ts";
export * from "./runs.ts";
export * from "./cache.ts";
export * from "./outbound.ts";
