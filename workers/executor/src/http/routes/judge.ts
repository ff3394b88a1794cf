// POST /v1/judge: one verdict per submission, for an inline problem or a pack's problem.
import type { Hono } from "hono";
import { z } from "zod";
import { LANGUAGES, ProblemSchema, type Problem } from "@frontier/contracts";
import type { Judge } from "../../judge.ts";
import { PackError, type PackStore } from "../../packs.ts";
import { problemResponse } from "../problem-json.ts";

export const JudgeRequestSchema = z
  .object({
    problem: ProblemSchema.optional(),
    pack: z.string().min(1).optional(),
    pack_version: z.string().optional(),
    problem_id: z.string().min(1).optional(),
    submissions: z
      .array(z.object({ id: z.string().optional(), language: z.enum(LANGUAGES), code: z.string().max(1_000_000) }))
      .min(1)
      .max(1000),
    options: z.object({ all_tests: z.boolean().optional() }).optional(),
  })
  .refine((body) => !!body.problem !== !!(body.pack && body.problem_id), {
    message: "give either `problem`, or `pack` and `problem_id`",
  });

export function registerJudge(app: Hono, judge: Judge, packs: PackStore): void {
  app.post("/v1/judge", async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return problemResponse(c, 400, "Invalid JSON", "the request body is not JSON");
    }
    const parsed = JudgeRequestSchema.safeParse(raw);
    if (!parsed.success) {
      return problemResponse(c, 400, "Invalid request", z.prettifyError(parsed.error), { errors: parsed.error.issues });
    }
    const body = parsed.data;
    let problem: Problem;
    let packVersion: string | null = null;
    if (body.problem) {
      problem = body.problem;
    } else {
      if (!packs.configured) return problemResponse(c, 404, "Unknown pack", "this executor has no PACKS_DIR or PACKS_URL");
      try {
        const found = await packs.problem(body.pack!, body.problem_id!, body.pack_version);
        problem = found.problem;
        packVersion = found.version;
      } catch (error) {
        if (error instanceof PackError) return problemResponse(c, error.status, error.title, error.message);
        throw error;
      }
    }
    const results = await judge.judge(problem, body.submissions, { allTests: body.options?.all_tests ?? false });
    return c.json({ problem_id: problem.id, pack_version: packVersion, results });
  });
}
