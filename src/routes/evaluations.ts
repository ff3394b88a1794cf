// Evaluations: POST starts one (202), GET shows status and progress, GET …/samples pages samples.
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.ts";
import { VERDICTS } from "@frontier/contracts";
import { requireScope } from "../http/auth.ts";
import { idempotent } from "../http/idempotency.ts";
import { ProblemError, problemResponses, validationProblem } from "../http/problem.ts";
import { rateLimitWrites } from "../http/rate-limit.ts";
import type { Ports } from "../ports.ts";
import { getEvaluation } from "../services/evaluation-store.ts";
import {
  decodeSampleCursor,
  encodeSampleCursor,
  EvaluationParamsSchema,
  evaluationJson,
  listSamples,
  sampleJson,
  startEvaluation,
} from "../services/evaluations.ts";

const NewEvaluation = EvaluationParamsSchema.extend({ checkpoint: z.string().min(1).max(64) }).strict().openapi("NewEvaluation");

const VerdictCounts = z.object(Object.fromEntries(VERDICTS.map((v) => [v, z.number().int()])) as Record<(typeof VERDICTS)[number], z.ZodNumber>);

export const Evaluation = z
  .object({
    id: z.string().openapi({ example: "eval_01jz3k9m2q8v4x7n6p5r3t2w1y0z" }),
    checkpoint: z.string(),
    benchmark: z.object({ name: z.string(), version: z.string() }),
    status: z.enum(["queued", "sampling", "judging", "complete", "failed"]),
    language: z.enum(["python", "cpp"]),
    params: z.object({ n: z.number().int(), temperature: z.number(), top_p: z.number(), max_tokens: z.number().int(), seed: z.number().int() }),
    problems: z.number().int(),
    progress: z.object({
      requested: z.number().int().openapi({ description: "problems × n" }),
      received: z.number().int().openapi({ description: "samples stored" }),
      cached: z.number().int().openapi({ description: "verdicts taken from the verdict cache (no executor call)" }),
      judged: z.number().int().openapi({ description: "verdicts from the executor" }),
      extraction_errors: z.number().int().openapi({ description: "CE without an executor call: no code could be extracted" }),
      dead_lettered: z.number().int().openapi({ description: "SE after every retry failed" }),
      pending: z.number().int(),
      verdicts: VerdictCounts,
    }),
    sampling: z.object({ job: z.string().nullable(), mode: z.enum(["callback", "poll"]).nullable() }),
    errors: z.array(z.object({ at: z.string(), stage: z.string(), message: z.string() })),
    created_at: z.string(),
    updated_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .openapi("Evaluation");

const Sample = z
  .object({
    problem: z.string(),
    index: z.number().int(),
    verdict: z.enum(VERDICTS).nullable(),
    source: z.enum(["cache", "executor", "extraction", "dead-letter"]).nullable(),
    tiers_passed: z.number().int().nullable(),
    time_ms: z.number().int().nullable(),
    memory_kb: z.number().int().nullable(),
    failure: z.object({ tier: z.number(), test: z.number(), verdict: z.string(), time_ms: z.number(), message: z.string().optional() }).nullable(),
    language: z.enum(["python", "cpp"]).nullable(),
    code: z.string().nullable(),
    completion: z.string(),
    finish_reason: z.string().nullable(),
    tokens: z.number().int().nullable(),
    received_at: z.string(),
    judged_at: z.string().nullable(),
  })
  .openapi("Sample");

export async function evaluationOr404(ports: Ports, id: string) {
  const row = await getEvaluation(ports.db, id);
  if (!row) throw new ProblemError({ status: 404, type: "not-found", title: "Evaluation not found", detail: `no evaluation ${id}` });
  return row;
}

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
    const row = await startEvaluation(ports, c.req.valid("json"));
    c.header("location", `/v1/evaluations/${row.id}`);
    return c.json((await evaluationJson(ports.db, row)) as z.infer<typeof Evaluation>, 202);
  });

  const getOne = createRoute({
    method: "get",
    path: "/v1/evaluations/{id}",
    tags: ["evaluations"],
    summary: "Status and progress of an evaluation",
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 200: { description: "The evaluation", content: { "application/json": { schema: Evaluation } } }, ...problemResponses(400, 404) },
  });
  app.openapi(getOne, async (c) => {
    const row = await evaluationOr404(ports, c.req.valid("param").id);
    return c.json((await evaluationJson(ports.db, row)) as z.infer<typeof Evaluation>, 200);
  });

  const samplesRoute = createRoute({
    method: "get",
    path: "/v1/evaluations/{id}/samples",
    tags: ["evaluations"],
    summary: "Samples with their verdicts and code, by problem then index",
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
      200: { description: "A page of samples", content: { "application/json": { schema: z.object({ data: z.array(Sample), next_cursor: z.string().nullable() }).openapi("SamplePage") } } },
      ...problemResponses(400, 404),
    },
  });
  app.openapi(samplesRoute, async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    await evaluationOr404(ports, id);
    let after;
    if (query.cursor !== undefined) {
      after = decodeCursor(query.cursor);
      if (!after) throw new ProblemError(validationProblem([{ path: "cursor", message: "not a cursor this API issued" }], 400));
    }
    const page = await listSamples(ports.db, id, { problem: query.problem, verdict: query.verdict, after, limit: query.limit });
    const last = page.rows.at(-1);
    return c.json(
      {
        data: page.rows.map(sampleJson) as z.infer<typeof Sample>[],
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
