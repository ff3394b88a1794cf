// Frontier's HTTP convention, shared by the edge, the executor and the GPU backend.
export * from "./problem.ts";
export * from "./bearer.ts";
