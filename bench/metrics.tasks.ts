// The work the metrics benchmark times, shared by the workerd and the plain-Node runs.
import {
  complementarityFromMatrix,
  ensembleFromMatrix,
  ensemblePassAtK,
  memberMatrix,
  seededRandom,
  summarizePassAtK,
  type MemberCountRow,
} from "../src/domain/metrics/index.ts";

export const PROBLEMS = 1000;
export const MEMBERS = 20;
export const BUDGET = 250;
export const KS = [1, 10, 100];

export type Task = "metrics" | "optimized" | "passk" | "bigint";

/** 1,000 problems × 20 members, n in 250..300 per (member, problem), c binomial-ish around a skill × ease rate. */
export function syntheticMembers(seed = 1): MemberCountRow[] {
  const random = seededRandom(seed);
  const skill = Array.from({ length: MEMBERS }, () => 0.3 + 0.7 * random());
  const rows: MemberCountRow[] = [];
  for (let p = 0; p < PROBLEMS; p++) {
    const ease = random() ** 2;
    for (let m = 0; m < MEMBERS; m++) {
      const n = 250 + Math.floor(random() * 51);
      // Half the problems out of reach for a member: checkpoints solve different problems.
      const rate = random() < 0.5 ? 0 : Math.min(1, ease * skill[m]);
      const c = Math.round(n * rate * (0.8 + 0.4 * random()));
      rows.push({ member: `m${m}`, problem: `p${p}`, n, c: Math.min(n, c) });
    }
  }
  return rows;
}

/** The naive exact form: BigInt binomials, 1 − C(n−c,k)/C(n,k). */
function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  const m = Math.min(k, n - k);
  let r = 1n;
  for (let i = 1; i <= m; i++) r = (r * BigInt(n - m + i)) / BigInt(i);
  return r;
}
function bigintPassAtK(n: number, c: number, k: number): number {
  const all = binomial(n, k);
  const scale = 10n ** 18n;
  return Number(((all - binomial(n - c, k)) * scale) / all) / 1e18;
}

/**
 * One iteration; returns a number so the work cannot be optimised away.
 * - metrics: what an evaluation-metrics plus ensemble request computes from raw rows: validate and
 *   index the rows once, pass@{1,10,100} per member (with standard errors), the equal-split
 *   ensemble at B = 250 (best single member, every member's pass@B, pooled mixture), complementarity.
 * - optimized: the optimized allocation at B = 250 (greedy + hill-climbing), from raw rows.
 * - passk / bigint: the per-member pass@k part alone, product form vs BigInt binomials.
 */
export function runTask(task: Task, rows: readonly MemberCountRow[]): number {
  if (task === "metrics") {
    const matrix = memberMatrix(rows);
    let sum = 0;
    for (let m = 0; m < matrix.members.length; m++) {
      const report = summarizePassAtK(matrix.n[m], matrix.c[m], KS);
      for (const k of KS) sum += report[`pass@${k}`];
    }
    const ensemble = ensembleFromMatrix(matrix, { budget: BUDGET, allocation: "equal" });
    const overlap = complementarityFromMatrix(matrix);
    return sum + ensemble.ensemble + ensemble.pooled_mixture + overlap.solved_by_any;
  }
  if (task === "optimized") return ensemblePassAtK(rows, { budget: BUDGET, allocation: "optimized" }).ensemble;
  const matrix = memberMatrix(rows);
  let sum = 0;
  for (let m = 0; m < matrix.members.length; m++) {
    const [n, c] = [matrix.n[m], matrix.c[m]];
    for (const k of KS) {
      if (task === "passk") sum += summarizePassAtK(n, c, [k])[`pass@${k}`];
      else {
        let total = 0;
        for (let p = 0; p < n.length; p++) total += bigintPassAtK(n[p], c[p], k);
        sum += total / n.length;
      }
    }
  }
  return sum;
}
