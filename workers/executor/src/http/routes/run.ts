// POST /v1/run: run one program on one stdin in the judging sandbox (the `run_code` tool).
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { RunRequestSchema, RunResponseSchema } from "@frontier/contracts";
import { bearer, ProblemError, problemResponses } from "@frontier/http";
import { RunSystemError, type Judge } from "../../judge.ts";

export function mountRun(app: OpenAPIHono, { judge, token }: { judge: Judge; token: string }): void {
  const route = createRoute({
    method: "post",
    path: "/v1/run",
    summary: "Run a program on one stdin (tool use)",
    description:
      "The same sandbox and limits as judging. stdout and stderr are cut to a fixed size (`truncated` says so). " +
      "Verdict OK, RE, TLE, MLE, OLE or CE; a sandbox failure is a 503, never a verdict.",
    security: [{ bearer: [] }],
    middleware: [bearer({ realm: "executor", token })] as const,
    request: { body: { required: true, content: { "application/json": { schema: RunRequestSchema } } } },
    responses: {
      200: { description: "What the program did", content: { "application/json": { schema: RunResponseSchema } } },
      ...problemResponses(400, 401, 422, 503),
    },
  });
  app.openapi(route, async (c) => {
    try {
      return c.json(await judge.run(c.req.valid("json")), 200);
    } catch (error) {
      if (error instanceof RunSystemError) throw new ProblemError({ status: 503, type: "unavailable", title: "Sandbox unavailable", detail: error.message });
      throw error;
    }
  });
}
