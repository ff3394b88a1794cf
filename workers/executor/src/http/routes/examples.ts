// POST /v1/examples: judge one program on a problem's public tests only (agentic feedback).
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { ExamplesRequestSchema, ExamplesResponseSchema, type Problem } from "@frontier/contracts";
import { bearer, ProblemError, problemResponses, type ProblemType } from "@frontier/http";
import type { Judge } from "../../judge.ts";
import { PackError, type PackStore } from "../../packs.ts";

const PACK_ERROR_TYPES: Record<PackError["status"], ProblemType> = { 404: "not-found", 409: "conflict", 422: "validation", 502: "unavailable" };

export function mountExamples(app: OpenAPIHono, { judge, packs, token }: { judge: Judge; packs: PackStore; token: string }): void {
  const route = createRoute({
    method: "post",
    path: "/v1/examples",
    summary: "Judge a program on a problem's public tests (the feedback an agent sees)",
    description:
      "Only the problem's `examples` run, every one of them; each comes back with its input, expected and actual " +
      "output (truncated). Hidden tiers are never run or shown here.",
    security: [{ bearer: [] }],
    middleware: [bearer({ realm: "executor", token })] as const,
    request: { body: { required: true, content: { "application/json": { schema: ExamplesRequestSchema } } } },
    responses: {
      200: { description: "Per public test: input, expected, actual, verdict", content: { "application/json": { schema: ExamplesResponseSchema } } },
      ...problemResponses(400, 401, 404, 409, 422, 502),
    },
  });
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    let problem: Problem;
    if (body.problem) problem = body.problem;
    else {
      if (!packs.configured)
        throw new ProblemError({ status: 404, type: "not-found", title: "Unknown pack", detail: "this executor has no PACKS_DIR or PACKS_URL" });
      try {
        problem = (await packs.problem(body.pack!, body.problem_id!, body.pack_version)).problem;
      } catch (error) {
        if (error instanceof PackError)
          throw new ProblemError({ status: error.status, type: PACK_ERROR_TYPES[error.status], title: error.title, detail: error.message });
        throw error;
      }
    }
    return c.json(await judge.examples(problem, body.submission), 200);
  });
}
