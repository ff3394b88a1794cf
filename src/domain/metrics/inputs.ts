// Row shapes the metrics accept, as zod schemas so the CLI and the HTTP routes validate the same way.
import { z } from "zod";
import { VERDICTS } from "@frontier/contracts";
import { MetricsInputError, listSome } from "./errors.ts";

const count = z.number().int("must be an integer").nonnegative("must not be negative");
/** Problem ids are strings; numeric ids from users' files are accepted and turned into strings. */
const problemId = z.union([z.string().min(1), z.number()]).transform(String);

/** Checked only once n itself is valid, so a negative n gets one clear complaint. */
const cWithinN = (r: { n: number; c: number }) => !(r.n >= 0) || r.c <= r.n;

/** One problem's sample counts: n samples drawn, c of them correct. */
export const CountRowSchema = z.object({ problem: problemId, n: count, c: count }).refine(cWithinN, { message: "c must not exceed n", path: ["c"] });
export type CountRow = z.output<typeof CountRowSchema>;

/** One member's (checkpoint's) counts on one problem. */
export const MemberCountRowSchema = z
  .object({ member: z.union([z.string().min(1), z.number()]).transform(String), problem: problemId, n: count, c: count })
  .refine(cWithinN, { message: "c must not exceed n", path: ["c"] });
export type MemberCountRow = z.output<typeof MemberCountRowSchema>;

/** One judged sample: its verdict and how many nested tiers it passed in full. */
export const VerdictRowSchema = z.object({
  problem: problemId,
  verdict: z.enum(VERDICTS),
  tiers_passed: count,
});
export type VerdictRow = z.output<typeof VerdictRowSchema>;

/** Reject a problem listed twice: its counts would be averaged in twice. */
export function assertUniqueProblems(rows: readonly { problem: string }[]): void {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const r of rows) {
    if (seen.size === seen.add(r.problem).size) dup.push(r.problem);
  }
  if (dup.length) throw new MetricsInputError(`problem listed more than once: ${listSome([...new Set(dup)])}`);
}

/** Counts checked the way the schema checks them, for callers that built rows in code. */
export function assertCounts(rows: readonly { problem: string; n: number; c: number }[]): void {
  const bad: string[] = [];
  for (const r of rows) {
    if (Number.isInteger(r.n) && Number.isInteger(r.c) && r.c >= 0 && r.c <= r.n) continue;
    if (!Number.isInteger(r.n) || !Number.isInteger(r.c) || r.n < 0 || r.c < 0) bad.push(`${r.problem}: n and c must be non-negative integers`);
    else if (r.c > r.n) bad.push(`${r.problem}: c=${r.c} exceeds n=${r.n}`);
  }
  if (bad.length) throw new MetricsInputError(bad.length > 5 ? [...bad.slice(0, 5), `… and ${bad.length - 5} more`] : bad);
}

/**
 * Members × problems, dense. Members and problems keep the order of first appearance.
 * Every member must have every problem exactly once (an ensemble cannot be scored on a problem
 * that one member never attempted).
 */
export interface MemberMatrix {
  members: string[];
  problems: string[];
  /** n[m][p], c[m][p]. */
  n: Int32Array[];
  c: Int32Array[];
}

export function memberMatrix(rows: readonly MemberCountRow[]): MemberMatrix {
  assertCounts(rows);
  const memberIndex = new Map<string, number>();
  const problemIndex = new Map<string, number>();
  const rowMember = new Int32Array(rows.length);
  const rowProblem = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    let m = memberIndex.get(r.member);
    if (m === undefined) memberIndex.set(r.member, (m = memberIndex.size));
    let p = problemIndex.get(r.problem);
    if (p === undefined) problemIndex.set(r.problem, (p = problemIndex.size));
    rowMember[i] = m;
    rowProblem[i] = p;
  });
  const M = memberIndex.size;
  const P = problemIndex.size;
  if (M === 0) throw new MetricsInputError("no members");
  const n = Array.from({ length: M }, () => new Int32Array(P).fill(-1));
  const c = Array.from({ length: M }, () => new Int32Array(P));
  const dup: string[] = [];
  rows.forEach((r, i) => {
    const [m, p] = [rowMember[i], rowProblem[i]];
    if (n[m][p] !== -1) dup.push(`${r.member}/${r.problem}`);
    n[m][p] = r.n;
    c[m][p] = r.c;
  });
  if (dup.length) throw new MetricsInputError(`member/problem listed more than once: ${listSome(dup)}`);
  const members = [...memberIndex.keys()];
  const problems = [...problemIndex.keys()];
  if (rows.length !== M * P) {
    const missing: string[] = [];
    for (let m = 0; m < M; m++) {
      const lacks = problems.filter((_, p) => n[m][p] === -1);
      if (lacks.length) missing.push(`member ${members[m]} is missing ${lacks.length} problem(s): ${listSome(lacks)}`);
    }
    throw new MetricsInputError(missing);
  }
  return { members, problems, n, c };
}
