// POST /v1/judge: one verdict per submission, for an inline problem or a pack's problem.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { JudgeRequestSchema, JudgeResponseSchema, type Problem } from "@frontier/contracts";
import { bearer, ProblemError, problemResponse, problemResponses, type ProblemType } from "@frontier/http";
import type { Judge } from "../../judge.ts";
import { PackError, type PackStore } from "../../packs.ts";

export interface JudgeRouteDeps {
  judge: Judge;
  packs: PackStore;
  /** Bearer token callers must send. */
  token: string;
  maxBodyBytes: number;
  /** Waiting submissions above which the route answers 503 + Retry-After (0: no limit). */
  maxQueue?: number;
}

const PACK_ERROR_TYPES: Record<PackError["status"], ProblemType> = { 404: "not-found", 409: "conflict", 422: "validation", 502: "unavailable" };

export function mountJudge(app: OpenAPIHono, { judge, packs, token, maxBodyBytes, maxQueue = 0 }: JudgeRouteDeps): void {
  const route = createRoute({
    method: "post",
    path: "/v1/judge",
    summary: "Judge submissions against an inline problem or a pack's problem",
    description:
      "Give either `problem` (a problem JSON) or `pack` + `problem_id` (optionally `pack_version`, checked against the pack's). " +
      "Results come back in submission order. A verdict of SE is never the program's fault.",
    security: [{ bearer: [] }],
    middleware: [
      bearer({ realm: "executor", token }),
      // Busy: more submissions already wait for a sandbox than this instance accepts; the edge
      // tries the pack's next instance, or the queue retries later.
      async (c, next) => {
        if (maxQueue > 0 && judge.stats().queued >= maxQueue) {
          return problemResponse(c, {
            status: 503,
            type: "unavailable",
            title: "Executor busy",
            detail: `${judge.stats().queued} submissions already wait for a sandbox here`,
            headers: { "retry-after": "2" },
          });
        }
        await next();
      },
      bodyLimit({
        maxSize: maxBodyBytes,
        onError: (c) =>
          problemResponse(c, { status: 413, type: "payload-too-large", title: "Payload too large", detail: `the body is over ${maxBodyBytes} bytes` }),
      }),
    ] as const,
    request: { body: { required: true, content: { "application/json": { schema: JudgeRequestSchema } } } },
    responses: {
      200: { description: "One result per submission, in order", content: { "application/json": { schema: JudgeResponseSchema } } },
      ...problemResponses(400, 401, 404, 409, 413, 422, 503),
      502: { ...problemResponses(502)[502], description: "Fetching the pack failed, or its files do not match the manifest's hashes" },
    },
  });

  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    let problem: Problem;
    let packVersion: string | null = null;
    if (body.problem) {
      problem = body.problem;
    } else {
      if (!packs.configured)
        throw new ProblemError({ status: 404, type: "not-found", title: "Unknown pack", detail: "this executor has no PACKS_DIR or PACKS_URL" });
      try {
        const found = await packs.problem(body.pack!, body.problem_id!, body.pack_version);
        problem = found.problem;
        packVersion = found.version;
      } catch (error) {
        if (error instanceof PackError)
          throw new ProblemError({ status: error.status, type: PACK_ERROR_TYPES[error.status], title: error.title, detail: error.message });
        throw error;
      }
    }
    const results = await judge.judge(problem, body.submissions, { allTests: body.options?.all_tests ?? false });
    return c.json({ problem_id: problem.id, pack_version: packVersion, results }, 200);
  });
}
