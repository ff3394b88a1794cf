// Ensemble pass@k at a fixed sample budget B split across members (checkpoints):
//   per problem 1 − Π_m C(n_m − c_m, k_m) / C(n_m, k_m),   Σ k_m = B,   k_m ≤ n_m,
// averaged over problems. One k_m per member for the whole benchmark, so k_m must fit the
// member's smallest n over all problems (its "capacity").
import { MetricsInputError, listSome } from "./errors.ts";
import { memberMatrix, type MemberCountRow, type MemberMatrix } from "./inputs.ts";
import { failAtK, passAtK } from "./passk.ts";
import { randomIndex, seededRandom } from "./random.ts";

export const ALLOCATIONS = ["equal", "proportional", "optimized"] as const;
export type AllocationMethod = (typeof ALLOCATIONS)[number];

/**
 * Problems kept out of fitting. Either an explicit list of held-out problem ids, or a seeded
 * random fraction of the problems. Everything data-driven (the optimized allocation, the choice
 * of the best single member) is then chosen on the other problems, and every reported value is
 * measured on the held-out ones.
 */
export type Holdout = { problems: string[] } | { fraction: number; seed?: number };

export interface EnsembleOptions {
  /** Total samples B per problem, split across members. */
  budget: number;
  /** Default `equal`. */
  allocation?: AllocationMethod;
  /** For `proportional`: a non-negative weight for every member. */
  weights?: Record<string, number>;
  holdout?: Holdout;
}

export interface EnsembleReport {
  /** Mean over the scored problems of the ensemble's pass@B under `allocation`. */
  ensemble: number;
  /** Samples per member; sums to `budget`. */
  allocation: Record<string, number>;
  /** The member with the highest pass@B on its own (needs n ≥ B on every problem); null when none qualifies. */
  best_single: { member: string; value: number } | null;
  /** ensemble − best_single.value; null without a best single member. */
  gain: number | null;
  method: AllocationMethod;
  budget: number;
  members: number;
  /** Problems the values are measured on (all, or the held-out ones). */
  problems: number;
  scored_on: "all" | "held-out";
  /** With a held-out split: the problems fitted on and the ensemble's value there. */
  fit?: { problems: number; ensemble: number };
  /** Each member's own pass@B on the scored problems; null where B exceeds its n somewhere. */
  single_at_budget: Record<string, number | null>;
  /**
   * The "random mixture" definition, which differs from a fixed split: per problem, pool every
   * member's samples (N = Σ n_m, C = Σ c_m) and draw B of them uniformly without replacement,
   * i.e. pass@B of the pooled counts. Members are then weighted by how many samples they have.
   */
  pooled_mixture: number;
  warnings: string[];
}

/**
 * Ensemble pass@B from member rows `{member, problem, n, c}`. Every member must list every
 * problem exactly once.
 *
 * Allocations:
 * - `equal`: ⌊B/M⌋ each, the remainder one by one to the members in the given order.
 * - `proportional`: B·wₘ/Σw rounded down, the remainder one by one by largest fractional part
 *   (ties: given order).
 * - `optimized`: greedy (one sample at a time to the member that raises the estimate most; ties:
 *   given order), then hill-climbing over single-sample moves between members until no move
 *   improves. It is fit on the samples it is scored on unless `holdout` is given, and always says
 *   so in `warnings`.
 * For `equal` and `proportional`, a member's share above its capacity (its smallest n) is passed
 * on one sample at a time, cycling through the members that still have room — in the given order
 * for `equal`, by descending weight for `proportional`. A budget above the members' total
 * capacity is an input error.
 */
export function ensemblePassAtK(rows: readonly MemberCountRow[], options: EnsembleOptions): EnsembleReport {
  return ensembleFromMatrix(memberMatrix(rows), options);
}

export function ensembleFromMatrix(matrix: MemberMatrix, options: EnsembleOptions): EnsembleReport {
  const method = options.allocation ?? "equal";
  const B = options.budget;
  const { members, problems } = matrix;
  const M = members.length;
  if (!ALLOCATIONS.includes(method)) throw new MetricsInputError(`allocation must be one of ${ALLOCATIONS.join(", ")}`);
  if (!Number.isInteger(B) || B < 1) throw new MetricsInputError(`budget must be a positive integer (got ${B})`);
  if (problems.length === 0) throw new MetricsInputError("no problems");

  const capacity = matrix.n.map((row) => row.reduce((a, b) => Math.min(a, b), Infinity));
  const total = capacity.reduce((a, b) => a + b, 0);
  if (B > total) {
    throw new MetricsInputError(
      `budget ${B} exceeds the samples available: each member can give at most its smallest n (${members.map((m, i) => `${m}=${capacity[i]}`).join(", ")}; total ${total})`,
    );
  }

  const warnings: string[] = [];
  const { fit, scored } = splitProblems(problems, options.holdout);

  let k: number[];
  if (method === "equal") {
    k = members.map((_, i) => Math.floor(B / M) + (i < B % M ? 1 : 0));
    k = passOnExcess(
      k,
      capacity,
      members.map((_, i) => i),
      members,
      warnings,
    );
  } else if (method === "proportional") {
    const w = weightsFor(members, options.weights);
    k = largestRemainder(B, w);
    const byWeight = members.map((_, i) => i).sort((a, b) => w[b] - w[a] || a - b);
    k = passOnExcess(k, capacity, byWeight, members, warnings);
  } else {
    k = optimizeAllocation(matrix, B, capacity, fit);
    if (!options.holdout) {
      warnings.push(
        "optimized allocation was fit on the same samples it is scored on, so `ensemble` and `gain` are optimistic; give a held-out split for an honest estimate",
      );
    }
  }

  const single: (number | null)[] = capacity.map((cap, m) => (cap >= B ? meanOver(scored, (p) => passAtK(matrix.n[m][p], matrix.c[m][p], B)) : null));
  let best: number | null = null;
  let bestFit = -Infinity;
  for (let m = 0; m < M; m++) {
    if (capacity[m] < B) continue;
    const onFit = fit === scored ? single[m]! : meanOver(fit, (p) => passAtK(matrix.n[m][p], matrix.c[m][p], B));
    if (onFit > bestFit) [best, bestFit] = [m, onFit];
  }
  if (best === null) warnings.push(`no member has n ≥ ${B} on every problem, so there is no best single member at this budget`);

  const ensemble = ensembleValue(matrix, k, scored);
  const pooled = meanOver(scored, (p) => {
    let N = 0,
      C = 0;
    for (let m = 0; m < M; m++) [N, C] = [N + matrix.n[m][p], C + matrix.c[m][p]];
    return passAtK(N, C, B);
  });

  return {
    ensemble,
    allocation: Object.fromEntries(members.map((m, i) => [m, k[i]])),
    best_single: best === null ? null : { member: members[best], value: single[best]! },
    gain: best === null ? null : ensemble - single[best]!,
    method,
    budget: B,
    members: M,
    problems: scored.length,
    scored_on: options.holdout ? "held-out" : "all",
    ...(options.holdout ? { fit: { problems: fit.length, ensemble: ensembleValue(matrix, k, fit) } } : {}),
    single_at_budget: Object.fromEntries(members.map((m, i) => [m, single[i]])),
    pooled_mixture: pooled,
    warnings,
  };
}

/** Mean over the given problem indices of 1 − Π_m fail_m(k_m). */
export function ensembleValue(matrix: MemberMatrix, k: readonly number[], problemIdx: readonly number[]): number {
  return meanOver(problemIdx, (p) => {
    let fail = 1;
    for (let m = 0; m < k.length && fail > 0; m++) fail *= failAtK(matrix.n[m][p], matrix.c[m][p], k[m]);
    return 1 - fail;
  });
}

function meanOver(idx: readonly number[], f: (p: number) => number): number {
  let sum = 0;
  for (const p of idx) sum += f(p);
  return sum / idx.length;
}

function splitProblems(problems: readonly string[], holdout: Holdout | undefined): { fit: number[]; scored: number[] } {
  const all = problems.map((_, i) => i);
  if (!holdout) return { fit: all, scored: all };
  let held: Set<number>;
  if ("problems" in holdout) {
    const index = new Map(problems.map((p, i) => [p, i]));
    const unknown = holdout.problems.filter((p) => !index.has(String(p)));
    if (unknown.length) throw new MetricsInputError(`held-out problems not in the data: ${listSome(unknown.map(String))}`);
    held = new Set(holdout.problems.map((p) => index.get(String(p))!));
  } else {
    const { fraction, seed = 0 } = holdout;
    if (!(fraction > 0 && fraction < 1)) throw new MetricsInputError("holdout fraction must be in (0, 1)");
    const order = [...all];
    const random = seededRandom(seed);
    for (let i = order.length - 1; i > 0; i--) {
      const j = randomIndex(random, i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    held = new Set(order.slice(0, Math.round(fraction * problems.length)));
  }
  const fit = all.filter((p) => !held.has(p));
  const scored = all.filter((p) => held.has(p));
  if (fit.length === 0 || scored.length === 0) {
    throw new MetricsInputError(`a held-out split needs problems on both sides (fit ${fit.length}, held out ${scored.length})`);
  }
  return { fit, scored };
}

function weightsFor(members: readonly string[], weights: Record<string, number> | undefined): number[] {
  if (!weights) throw new MetricsInputError("proportional allocation needs a weight for every member");
  const unknown = Object.keys(weights).filter((m) => !members.includes(m));
  const missing = members.filter((m) => !(m in weights));
  const bad = members.filter((m) => m in weights && !(Number.isFinite(weights[m]) && weights[m] >= 0));
  const issues = [
    ...(missing.length ? [`no weight for member(s): ${listSome(missing)}`] : []),
    ...(unknown.length ? [`weights for unknown member(s): ${listSome(unknown)}`] : []),
    ...(bad.length ? [`weights must be finite and non-negative: ${listSome(bad)}`] : []),
  ];
  if (issues.length) throw new MetricsInputError(issues);
  const w = members.map((m) => weights[m]);
  if (!w.some((x) => x > 0)) throw new MetricsInputError("at least one weight must be positive");
  return w;
}

/** Hamilton's method: floors, then the leftover samples to the largest fractional parts. */
function largestRemainder(B: number, w: readonly number[]): number[] {
  const W = w.reduce((a, b) => a + b, 0);
  const quota = w.map((x) => (B * x) / W);
  const k = quota.map(Math.floor);
  let left = B - k.reduce((a, b) => a + b, 0);
  const order = quota.map((_, i) => i).sort((a, b) => quota[b] - k[b] - (quota[a] - k[a]) || a - b);
  for (let i = 0; left > 0; i = (i + 1) % order.length, left--) k[order[i]]++;
  return k;
}

/** Clip each share to its member's capacity and hand the excess out one by one, cycling through `order`. */
function passOnExcess(k: number[], capacity: readonly number[], order: readonly number[], members: readonly string[], warnings: string[]): number[] {
  const out = [...k];
  let excess = 0;
  const capped: string[] = [];
  for (let m = 0; m < out.length; m++) {
    if (out[m] > capacity[m]) {
      excess += out[m] - capacity[m];
      capped.push(`${members[m]} (n=${capacity[m]})`);
      out[m] = capacity[m];
    }
  }
  if (excess === 0) return out;
  warnings.push(`capped at their smallest n: ${listSome(capped)}; ${excess} sample(s) passed on to members with room`);
  while (excess > 0) {
    for (const m of order) {
      if (excess > 0 && out[m] < capacity[m]) [out[m], excess] = [out[m] + 1, excess - 1];
    }
  }
  return out;
}

/**
 * Greedy then hill-climbing on Σ_p Π_m fail_m,p(k_m) (minimised) over the fit problems.
 * Adding one sample to member m multiplies its factor by (n − c − k)/(n − k), so each greedy step
 * costs O(M · P); each hill-climbing sweep tries every single-sample move j → i in O(M² · P).
 */
function optimizeAllocation(matrix: MemberMatrix, B: number, capacity: readonly number[], fit: readonly number[]): number[] {
  const M = matrix.members.length;
  const Q = fit.length;
  const n = matrix.n.map((row) => Int32Array.from(fit, (p) => row[p]));
  const c = matrix.c.map((row) => Int32Array.from(fit, (p) => row[p]));
  const k = new Array<number>(M).fill(0);
  const factor = Array.from({ length: M }, () => new Float64Array(Q).fill(1));
  const fail = new Float64Array(Q).fill(1);
  const step = (m: number, q: number) => (n[m][q] - k[m] > 0 ? Math.max(0, n[m][q] - c[m][q] - k[m]) / (n[m][q] - k[m]) : 0);

  for (let s = 0; s < B; s++) {
    let best = -1;
    let bestGain = -Infinity;
    for (let m = 0; m < M; m++) {
      if (k[m] >= capacity[m]) continue;
      let gain = 0;
      for (let q = 0; q < Q; q++) gain += fail[q] * (1 - step(m, q));
      if (gain > bestGain) [best, bestGain] = [m, gain];
    }
    for (let q = 0; q < Q; q++) {
      const r = step(best, q);
      factor[best][q] *= r;
      fail[q] *= r;
    }
    k[best]++;
  }

  // Hill-climbing. A move must beat float noise to count, which also guarantees termination.
  const tolerance = 1e-12 * Math.max(1, Q);
  const without = new Float64Array(Q);
  for (let sweep = 0; sweep < B * M + 1; sweep++) {
    let total = 0;
    for (let q = 0; q < Q; q++) total += fail[q];
    let bestMove: [number, number] | null = null;
    let bestTotal = total - tolerance;
    for (let j = 0; j < M; j++) {
      if (k[j] === 0) continue;
      for (let q = 0; q < Q; q++) {
        let rest = failAtK(n[j][q], c[j][q], k[j] - 1);
        for (let m = 0; m < M && rest > 0; m++) if (m !== j) rest *= factor[m][q];
        without[q] = rest;
      }
      for (let i = 0; i < M; i++) {
        if (i === j || k[i] >= capacity[i]) continue;
        let moved = 0;
        for (let q = 0; q < Q; q++) moved += without[q] * step(i, q);
        if (moved < bestTotal) [bestMove, bestTotal] = [[j, i], moved];
      }
    }
    if (!bestMove) break;
    const [from, to] = bestMove;
    k[from]--;
    k[to]++;
    for (let q = 0; q < Q; q++) {
      factor[from][q] = failAtK(n[from][q], c[from][q], k[from]);
      factor[to][q] = failAtK(n[to][q], c[to][q], k[to]);
      let f = 1;
      for (let m = 0; m < M; m++) f *= factor[m][q];
      fail[q] = f;
    }
  }
  return k;
}
