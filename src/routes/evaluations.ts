// Evaluations: POST starts one (202), GET shows status and progress, GET …/samples pages samples.
import { createRoute, z } from "@hono/zod-openapi";
import { EvaluationSchema, VERDICTS } from "@frontier/contracts";
import { ProblemError, problemResponses, validationProblem } from "@frontier/http";
import { requireScope } from "../http/auth.ts";
import type { App } from "../http/env.ts";
import { idempotent } from "../http/idempotency.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import { Evaluation, SamplePage } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { ownedOr404, teamOf } from "../services/access.ts";

import {
  decodeSampleCursor,
  encodeSampleCursor,
  EvaluationParamsSchema,
  evaluationJson,
  evaluationOr404,
  listSamples,
  sampleJson,
  startEvaluation,
} from "../services/evaluations.ts";

const NewEvaluation = EvaluationParamsSchema.extend({ checkpoint: z.string().min(1).max(64) })
  .strict()
  .openapi("NewEvaluation");

export function mountEvaluations(app: App, ports: Ports) {
  const create = createRoute({
    method: "post",
    path: "/v1/evaluations",
    tags: ["evaluations"],
    summary: "Evaluate a checkpoint on a benchmark",
    description:
      "Samples n programs per problem from the checkpoint (through the backend), judges each (verdict cache first, then the " +
      "executor) and stores metrics once every sample has a verdict. Answers 202 at once; follow `Location`. Needs `submit`.",
    security: [{ apiKey: [] }],
    middleware: [requireScope(ports, "submit"), rateLimitWrites(ports), idempotent(ports)] as const,
    request: {
      headers: z.object({ "idempotency-key": z.string().optional() }),
      body: { required: true, content: { "application/json": { schema: NewEvaluation } } },
    },
    responses: {
      202: { description: "Accepted", content: { "application/json": { schema: Evaluation } } },
      ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429),
    },
  });
  app.openapi(create, async (c) => {
    const row = await startEvaluation(ports, c.req.valid("json"), teamOf(c));
    c.header("location", `/v1/evaluations/${row.id}`);
    // Parsed, not asserted: the per-verdict counts are built from a list, wider than the contract's type.
    return c.json(EvaluationSchema.parse(await evaluationJson(ports.db, row)), 202);
  });

  const getOne = createRoute({
    method: "get",
    path: "/v1/evaluations/{id}",
    tags: ["evaluations"],
    summary: "Status and progress of an evaluation",
    security: [{ apiKey: [] }],
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 200: { description: "The evaluation", content: { "application/json": { schema: Evaluation } } }, ...problemResponses(400, 404) },
  });
  app.openapi(getOne, async (c) => {
    const row = ownedOr404(c, await evaluationOr404(ports, c.req.valid("param").id), "Evaluation", c.req.valid("param").id);
    return c.json(EvaluationSchema.parse(await evaluationJson(ports.db, row)), 200);
  });

  const samplesRoute = createRoute({
    method: "get",
    path: "/v1/evaluations/{id}/samples",
    tags: ["evaluations"],
    summary: "Samples with their verdicts and code, by problem then index",
    security: [{ apiKey: [] }],
    request: {
      params: z.object({ id: z.string().min(1).max(64) }),
      query: z.object({
        problem: z.string().min(1).max(200).optional(),
        verdict: z.enum(VERDICTS).optional(),
        cursor: z.string().max(300).optional().openapi({ description: "`next_cursor` of the previous page (opaque)" }),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    },
    responses: {
      200: { description: "A page of samples", content: { "application/json": { schema: SamplePage } } },
      ...problemResponses(400, 404),
    },
  });
  app.openapi(samplesRoute, async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    ownedOr404(c, await evaluationOr404(ports, id), "Evaluation", id);
    let after: NonNullable<ReturnType<typeof decodeCursor>> | undefined;
    if (query.cursor !== undefined) {
      const decoded = decodeCursor(query.cursor);
      if (!decoded) throw new ProblemError(validationProblem([{ path: "cursor", message: "not a cursor this API issued" }], 400));
      after = decoded;
    }
    const page = await listSamples(ports.db, id, { problem: query.problem, verdict: query.verdict, after, limit: query.limit }, ports.completions);
    const last = page.rows.at(-1);
    return c.json(
      {
        data: page.rows.map(sampleJson),
        next_cursor: page.more && last ? encodeCursor({ problem: last.problemId, index: last.index }) : null,
      },
      200,
    );
  });
}

// The sample cursor travels base64url-encoded so it stays opaque and URL-safe.
function encodeCursor(cursor: { problem: string; index: number }): string {
  const bytes = new TextEncoder().encode(encodeSampleCursor(cursor));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeCursor(text: string) {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return decodeSampleCursor(new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
  } catch {
    return null;
  }
}
