// Which problems each member solves, which only it solves, and how much members overlap.
import { memberMatrix, type MemberCountRow } from "./inputs.ts";

export interface Complementarity {
  problems: number;
  /** Problems solved by at least one member / by none. */
  solved_by_any: number;
  solved_by_none: number;
  members: { member: string; solved: number; solved_alone: number }[];
  /** Every unordered pair, in member order. jaccard = both / either (null when neither solves anything). */
  pairs: { a: string; b: string; both: number; either: number; only_a: number; only_b: number; jaccard: number | null }[];
}

/**
 * A member "solves" a problem when at least one of its samples is correct (c > 0). Input rows are
 * `{member, problem, n, c}`; every member must list every problem.
 */
export function complementarity(rows: readonly MemberCountRow[]): Complementarity {
  const { members, problems, c } = memberMatrix(rows);
  const solved = c.map((row) => Array.from(row, (x) => x > 0));
  const solvers = problems.map((_, p) => solved.reduce((a, s) => a + (s[p] ? 1 : 0), 0));
  const pairs: Complementarity["pairs"] = [];
  for (let a = 0; a < members.length; a++) {
    for (let b = a + 1; b < members.length; b++) {
      let both = 0, onlyA = 0, onlyB = 0;
      problems.forEach((_, p) => {
        if (solved[a][p] && solved[b][p]) both++;
        else if (solved[a][p]) onlyA++;
        else if (solved[b][p]) onlyB++;
      });
      const either = both + onlyA + onlyB;
      pairs.push({ a: members[a], b: members[b], both, either, only_a: onlyA, only_b: onlyB, jaccard: either ? both / either : null });
    }
  }
  return {
    problems: problems.length,
    solved_by_any: solvers.filter((s) => s > 0).length,
    solved_by_none: solvers.filter((s) => s === 0).length,
    members: members.map((member, m) => ({
      member,
      solved: solved[m].filter(Boolean).length,
      solved_alone: problems.filter((_, p) => solved[m][p] && solvers[p] === 1).length,
    })),
    pairs,
  };
}
