// Which problems each member solves, which only it solves, and how much members overlap.
import { memberMatrix, type MemberCountRow, type MemberMatrix } from "./inputs.ts";

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
  return complementarityFromMatrix(memberMatrix(rows));
}

/** Set bits in a 32-bit word (SWAR popcount). */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export function complementarityFromMatrix({ members, problems, c }: MemberMatrix): Complementarity {
  const M = members.length;
  const P = problems.length;
  // Each member's solved problems as a bitset, so a pair costs P/32 word operations.
  const words = Math.ceil(P / 32);
  const solved = c.map((row) => {
    const bits = new Int32Array(words);
    for (let p = 0; p < P; p++) if (row[p] > 0) bits[p >>> 5] |= 1 << (p & 31);
    return bits;
  });
  const solvers = new Int32Array(P);
  for (let m = 0; m < M; m++) for (let p = 0; p < P; p++) if (c[m][p] > 0) solvers[p]++;
  const count = solved.map((bits) => bits.reduce((a, w) => a + popcount(w), 0));
  const pairs: Complementarity["pairs"] = [];
  for (let a = 0; a < M; a++) {
    for (let b = a + 1; b < M; b++) {
      let both = 0;
      for (let w = 0; w < words; w++) both += popcount(solved[a][w] & solved[b][w]);
      const either = count[a] + count[b] - both;
      pairs.push({ a: members[a], b: members[b], both, either, only_a: count[a] - both, only_b: count[b] - both, jaccard: either ? both / either : null });
    }
  }
  let solvedByAny = 0;
  for (let p = 0; p < P; p++) if (solvers[p] > 0) solvedByAny++;
  return {
    problems: P,
    solved_by_any: solvedByAny,
    solved_by_none: P - solvedByAny,
    members: members.map((member, m) => {
      let alone = 0;
      for (let p = 0; p < P; p++) if (solvers[p] === 1 && c[m][p] > 0) alone++;
      return { member, solved: count[m], solved_alone: alone };
    }),
    pairs,
  };
}
