/**
 * Frontier's metrics: pure functions from plain rows to plain JSON-serialisable objects. No I/O;
 * the HTTP routes and the CLI read rows, call these, and serialise the result. See README.md for
 * the definitions and a route-by-route guide.
 *
 * Inputs (zod schemas exported for request validation):
 * - {@link CountRowSchema}        `{problem, n, c}`            one problem's counts
 * - {@link MemberCountRowSchema}  `{member, problem, n, c}`    one member's counts on one problem
 * - {@link VerdictRowSchema}      `{problem, verdict, tiers_passed}`  one judged sample
 *
 * Bad input throws {@link MetricsInputError} (its `issues` list every problem found); a route maps
 * it to a 400 problem+json, the CLI to a message and exit code 1.
 *
 * @example
 *   passAtKReport([{ problem: "a", n: 10, c: 3 }], [1, 5])
 *   // { "pass@1": 0.3, "pass@5": 0.9166…, problems: 1, skipped_k: [], min_n: 10, se: {…} }
 *   ensemblePassAtK(rows, { budget: 250, allocation: "equal" })
 *   // { ensemble, allocation: {member: k}, best_single: {member, value} | null, gain, pooled_mixture, warnings, … }
 */
export { MetricsInputError } from "./errors.ts";
export { CountRowSchema, MemberCountRowSchema, VerdictRowSchema, memberMatrix } from "./inputs.ts";
export type { CountRow, MemberCountRow, VerdictRow, MemberMatrix } from "./inputs.ts";
export { passAtK, failAtK, passAtKReport, summarizePassAtK } from "./passk.ts";
export type { PassKey, PassAtKOptions, PassAtKReport } from "./passk.ts";
export { bootstrapMeans } from "./bootstrap.ts";
export type { BootstrapOptions } from "./bootstrap.ts";
export { ensemblePassAtK, ensembleFromMatrix, ensembleValue, ALLOCATIONS, SELECTIONS } from "./ensemble.ts";
export type { AllocationMethod, EnsembleOptions, EnsembleReport, Holdout, Selection } from "./ensemble.ts";
export { failureBreakdown, countsFromVerdicts } from "./breakdown.ts";
export type { FailureBreakdown, TierRates } from "./breakdown.ts";
export { frontier, paretoSet } from "./frontier.ts";
export type { FrontierInput, FrontierPoint, RatePoint } from "./frontier.ts";
export { complementarity, complementarityFromMatrix } from "./complementarity.ts";
export type { Complementarity } from "./complementarity.ts";
export { seededRandom } from "./random.ts";
export { parseJsonLines } from "./jsonl.ts";
export { pairedComparison } from "./compare.ts";
export type { Comparison, ComparisonOptions, PairedDifference } from "./compare.ts";
