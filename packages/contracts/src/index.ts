// The contracts every Frontier service shares: zod schemas and the types inferred from them.
// No runtime dependency but zod, so the edge, the executor, the backend, the CLI and the page
// can all import it.
export * from "./problem.ts";
export * from "./pack.ts";
export * from "./http.ts";
export * from "./executor.ts";
export * from "./backend.ts";
export * from "./public.ts";
export * from "./admin.ts";
