// Metrics of evaluations from their judged samples, through the metrics domain (src/domain/metrics).
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { samples, type EvaluationRow } from "../db/schema/index.ts";
import { countsFromVerdicts, failureBreakdown, passAtKReport, type CountRow, type VerdictRow } from "../domain/metrics/index.ts";
import type { Verdict } from "@frontier/contracts";
import type { Database } from "../ports.ts";
import { getBenchmark } from "./benchmarks.ts";
import { chunk } from "./sql.ts";

/** The k values stored for every complete evaluation (those above the smallest n are skipped). */
export const STANDARD_KS = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000] as const;

export async function verdictRows(db: Database, evaluationId: string): Promise<VerdictRow[]> {
  const rows = await db
    .select({ problem: samples.problemId, verdict: samples.verdict, tiers_passed: samples.tiersPassed })
    .from(samples)
    .where(and(eq(samples.evaluationId, evaluationId), isNotNull(samples.verdict)))
    .orderBy(asc(samples.problemId), asc(samples.index));
  return rows.map((row) => ({ problem: row.problem, verdict: row.verdict as Verdict, tiers_passed: row.tiers_passed ?? 0 }));
}

/** Verdict rows of several evaluations at once, by evaluation id. */
export async function verdictRowsByEvaluation(db: Database, evaluationIds: readonly string[]): Promise<Map<string, VerdictRow[]>> {
  const out = new Map<string, VerdictRow[]>(evaluationIds.map((id) => [id, []]));
  for (const part of chunk([...new Set(evaluationIds)], 50)) {
    const rows = await db
      .select({ evaluation: samples.evaluationId, problem: samples.problemId, verdict: samples.verdict, tiers_passed: samples.tiersPassed })
      .from(samples)
      .where(and(inArray(samples.evaluationId, part), isNotNull(samples.verdict)))
      .orderBy(asc(samples.evaluationId), asc(samples.problemId), asc(samples.index));
    for (const row of rows) out.get(row.evaluation)!.push({ problem: row.problem, verdict: row.verdict as Verdict, tiers_passed: row.tiers_passed ?? 0 });
  }
  return out;
}

/** Per-problem n (judged, SE left out), c (AC) and verdict counts, in problem order. */
export function perProblem(rows: readonly VerdictRow[]) {
  const verdicts = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const counts = verdicts.get(row.problem) ?? {};
    counts[row.verdict] = (counts[row.verdict] ?? 0) + 1;
    verdicts.set(row.problem, counts);
  }
  return countsFromVerdicts(rows).map((row) => ({ ...row, verdicts: verdicts.get(row.problem) ?? {} }));
}

/**
 * pass@k (with standard errors over problems) for the ks that fit, the failure breakdown and the
 * per-problem counts. Problems whose every sample is SE have no estimate: they are listed in
 * `problems_without_judged_samples` and left out of pass@k rather than counted as failures.
 */
export function metricsFromRows(rows: readonly VerdictRow[], ks: readonly number[], tiers?: number) {
  const problems = perProblem(rows);
  const counted: CountRow[] = problems.filter((p) => p.n > 0).map(({ problem, n, c }) => ({ problem, n, c }));
  const report = counted.length > 0 ? passAtKReport(counted, ks) : null;
  const passAt: Record<string, number> = {};
  const se: Record<string, number | null> = {};
  for (const k of ks) {
    const key = `pass@${k}` as const;
    if (report && typeof report[key] === "number") {
      passAt[key] = report[key];
      se[key] = report.se[key] ?? null;
    }
  }
  return {
    pass_at_k: passAt,
    se,
    skipped_k: report ? report.skipped_k : [...ks],
    min_n: report ? report.min_n : 0,
    problems: problems.length,
    problems_without_judged_samples: problems.filter((p) => p.n === 0).map((p) => p.problem),
    se_left_out: rows.filter((row) => row.verdict === "SE").length,
    breakdown: failureBreakdown(rows, tiers !== undefined ? { tiers } : {}),
    per_problem: problems,
  };
}

/** The standard k values plus the evaluation's own n (pass@n is the figure its budget supports). */
export function storedKs(n: number): number[] {
  return [...new Set<number>([...STANDARD_KS, n])].sort((a, b) => a - b);
}

export async function computeEvaluationMetrics(db: Database, evaluation: EvaluationRow, ks: readonly number[] = storedKs(evaluation.params.n)) {
  const benchmark = await getBenchmark(db, evaluation.benchmark, evaluation.benchmarkVersion);
  return metricsFromRows(await verdictRows(db, evaluation.id), ks, benchmark?.tiers.length || undefined);
}
