// The executor's HTTP API (Hono): routes are thin, the judge and the pack store do the work.
import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Judge } from "../judge.ts";
import type { PackStore } from "../packs.ts";
import { problemResponse } from "./problem-json.ts";
import { registerHealth } from "./routes/health.ts";
import { registerJudge } from "./routes/judge.ts";

export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface ExecutorAppDeps {
  judge: Judge;
  packs: PackStore;
  /** Bearer token required on /v1/judge. */
  token: string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createExecutorApp({ judge, packs, token }: ExecutorAppDeps): Hono {
  if (!token) throw new Error("the executor needs a non-empty EXECUTOR_TOKEN");
  const app = new Hono();
  registerHealth(app, judge);
  app.use("/v1/judge", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !sameSecret(match[1].trim(), token)) {
      c.header("WWW-Authenticate", 'Bearer realm="executor"');
      return problemResponse(c, 401, "Unauthorized", "a valid bearer token is required");
    }
    await next();
  });
  app.use(
    "/v1/judge",
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => problemResponse(c, 413, "Payload too large", `the body is over ${MAX_BODY_BYTES} bytes`) }),
  );
  registerJudge(app, judge, packs);
  app.notFound((c) => problemResponse(c, 404, "Not found", `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    console.error("executor: unhandled error", error);
    return problemResponse(c, 500, "Internal error", "the executor failed; this is not the program's fault");
  });
  return app;
}
