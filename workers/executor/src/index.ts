// The executor as a library (what `frontier judge` runs in-process); the HTTP server is server.ts.
export { Judge, type ExecutorJudgeResult, type JudgeConfig, type JudgeOptions, type Submission } from "./judge.ts";
