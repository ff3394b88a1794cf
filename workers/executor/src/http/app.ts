// The executor's HTTP API (Hono, one route per file): routes are thin, the judge and the pack store
// do the work. Errors follow @frontier/http: problem+json, 422 for a body that fails validation.
import { OpenAPIHono } from "@hono/zod-openapi";
import { onError, onNotFound, problemResponse, validationHook } from "@frontier/http";
import type { Judge } from "../judge.ts";
import type { PackStore } from "../packs.ts";
import { mountHealth } from "./routes/health.ts";
import { mountJudge } from "./routes/judge.ts";
import { mountExamples } from "./routes/examples.ts";
import { mountOpenApi } from "./routes/openapi.ts";
import { mountRun } from "./routes/run.ts";
import { mountPacks } from "./routes/packs.ts";

export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface ExecutorAppDeps {
  judge: Judge;
  packs: PackStore;
  /** Bearer token required on /v1/judge. */
  token: string;
  /** Submissions waiting for a sandbox above which /v1/judge answers 503 + Retry-After (0: no limit). */
  maxQueue?: number;
}

export type ExecutorApp = OpenAPIHono;

export function createExecutorApp({ judge, packs, token, maxQueue = 0 }: ExecutorAppDeps): ExecutorApp {
  if (!token) throw new Error("the executor needs a non-empty EXECUTOR_TOKEN");
  const app = new OpenAPIHono({ defaultHook: validationHook });
  mountHealth(app, judge);
  mountJudge(app, { judge, packs, token, maxBodyBytes: MAX_BODY_BYTES, maxQueue });
  mountRun(app, { judge, token });
  mountPacks(app, { packs, token });
  mountExamples(app, { judge, packs, token });
  mountOpenApi(app);
  app.notFound(onNotFound);
  app.onError((error, c) => {
    const response = onError(error, c);
    if (response.status !== 500) return response;
    // The edge retries a 500 and must not count it against the submission: say so.
    return problemResponse(c, {
      status: 500,
      type: "internal",
      title: "Internal server error",
      detail: "the executor failed; this is not the program's fault",
    });
  });
  return app;
}
