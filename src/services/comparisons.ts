// Paired comparison of two complete evaluations on the same benchmark version, via the metrics domain.
import { and, eq, inArray } from "drizzle-orm";
import { SeedSchema } from "@frontier/contracts";
import { z } from "zod";
import { ProblemError, validationProblem } from "@frontier/http";
import { DEFAULT_TEAM, evaluations } from "../db/schema/index.ts";
import { MetricsInputError, pairedComparison } from "../domain/metrics/index.ts";
import type { Ports } from "../ports.ts";
import { perProblem, verdictRowsByEvaluation } from "./metrics.ts";

export const ComparisonRequestSchema = z
  .object({
    /** The baseline evaluation. */
    a: z.string().min(1).max(64),
    /** The evaluation compared with it: differences are b − a. */
    b: z.string().min(1).max(64),
    k: z.array(z.number().int().min(1).max(100_000)).min(1).max(20).default([1]),
    seed: SeedSchema,
    resamples: z.number().int().min(1).max(10_000).default(1000),
  })
  .strict();
export type ComparisonRequest = z.infer<typeof ComparisonRequestSchema>;

/** Both must be evaluations of `teamId` (another team's is "no evaluation"). */
export async function compareEvaluations(ports: Ports, request: ComparisonRequest, teamId: string = DEFAULT_TEAM) {
  const ids = [request.a, request.b];
  if (request.a === request.b) throw new ProblemError(validationProblem([{ path: "b", message: "a and b must be different evaluations" }]));
  const rows = await ports.db
    .select()
    .from(evaluations)
    .where(and(inArray(evaluations.id, ids), eq(evaluations.teamId, teamId)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const errors = (["a", "b"] as const).flatMap((side) => {
    const row = byId.get(request[side]);
    if (!row) return [{ path: side, message: `no evaluation ${request[side]}` }];
    if (row.status !== "complete") return [{ path: side, message: `evaluation ${request[side]} is ${row.status}, not complete` }];
    return [];
  });
  if (errors.length) throw new ProblemError(validationProblem(errors));
  const versions = new Set(rows.map((row) => `${row.benchmark}@${row.benchmarkVersion}`));
  if (versions.size > 1)
    throw new ProblemError(validationProblem([{ path: "b", message: `a and b were evaluated on different benchmarks: ${[...versions].join(", ")}` }]));
  const verdicts = await verdictRowsByEvaluation(ports.db, ids);
  const counts = (id: string) => perProblem(verdicts.get(id)!).map(({ problem, n, c }) => ({ problem, n, c }));
  try {
    const result = pairedComparison(counts(request.a), counts(request.b), request.k, { seed: request.seed, resamples: request.resamples });
    return { a: request.a, b: request.b, benchmark: [...versions][0], ...result };
  } catch (error) {
    if (error instanceof MetricsInputError) {
      throw new ProblemError(
        validationProblem(
          error.issues.map((message) => ({ path: "(metrics)", message })),
          422,
          error.message,
        ),
      );
    }
    throw error;
  }
}
