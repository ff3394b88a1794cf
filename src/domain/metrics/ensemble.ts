// Ensemble pass@k at a fixed sample budget B split across members (checkpoints):
//   per problem 1 − Π_m C(n_m − c_m, k_m) / C(n_m, k_m),   Σ k_m = B,   k_m ≤ n_m,
// averaged over problems. One k_m per member for the whole benchmark, so k_m must fit the
// member's smallest n over all problems (its "capacity").
import { MetricsInputError, listSome } from "./errors.ts";
import { memberMatrix, type MemberCountRow, type MemberMatrix } from "./inputs.ts";
import { failAtK, passAtK } from "./passk.ts";
import { randomIndex, seededRandom } from "./random.ts";
import { quantileSorted, standardError } from "./stats.ts";

export const ALLOCATIONS = ["equal", "proportional", "optimized"] as const;
export type AllocationMethod = (typeof ALLOCATIONS)[number];

/**
 * How data-driven choices (the best single member, the `optimized` allocation) are made:
 * - `crossfit` (default): problems are split into K seeded folds; each choice is made on K−1 folds
 *   and scored on the held-out one, so no problem scores a choice it helped make;
 * - `in_sample`: chosen on the same problems it is scored on — biased (the maximum of noisy
 *   estimates is inflated), kept for comparison and always labelled so in `warnings`.
 */
export const SELECTIONS = ["crossfit", "in_sample"] as const;
export type Selection = (typeof SELECTIONS)[number];

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
  /** Default `crossfit` (ignored when `holdout` is given: the choices are then made on the fit side). */
  selection?: Selection;
  /** Crossfit folds K (default 5; at most the number of problems). */
  folds?: number;
  /** Seed for the folds and the bootstrap (default 0). */
  seed?: number;
  /** Bootstrap resamples for `gain_ci` (default 1000; 200 for `optimized`, which refits in every fold of every resample). 0 skips it. */
  resamples?: number;
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
  /** How the best single member and an `optimized` allocation were chosen (`holdout` with a held-out split). */
  selection: Selection | "holdout";
  /** Crossfit only: the number of folds used and the member chosen as best single in each (fit on the other folds). */
  folds?: number;
  selected_by_fold?: (string | null)[];
  seed: number;
  /**
   * Paired percentile bootstrap 95% interval of `gain` over problems; every resample repeats the
   * whole selection (folds, best single, optimized allocation). Null without a best single member
   * or with `resamples: 0`.
   */
  gain_ci: [number, number] | null;
  /** Standard errors over problems (sample SD/√N of the per-problem values; null for one problem). */
  se: { ensemble: number | null; best_single: number | null; gain: number | null };
  /** The equal split's remainder: `samples` extra samples, one each to a uniformly random subset of `among`; values are the exact expectation over those subsets. */
  remainder?: { samples: number; among: string[] };
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
  const P = problems.length;
  if (!ALLOCATIONS.includes(method)) throw new MetricsInputError(`allocation must be one of ${ALLOCATIONS.join(", ")}`);
  if (!Number.isInteger(B) || B < 1) throw new MetricsInputError(`budget must be a positive integer (got ${B})`);
  if (P === 0) throw new MetricsInputError("no problems");
  const selection: Selection | "holdout" = options.holdout ? "holdout" : (options.selection ?? "crossfit");
  if (selection !== "holdout" && !SELECTIONS.includes(selection)) throw new MetricsInputError(`selection must be one of ${SELECTIONS.join(", ")}`);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new MetricsInputError("seed must be an integer");
  const resamples = options.resamples ?? (method === "optimized" ? 200 : 1000);
  if (!Number.isInteger(resamples) || resamples < 0 || resamples > 100_000) throw new MetricsInputError("resamples must be an integer in 0..100000");
  let K = 1;
  if (selection === "crossfit") {
    const folds = options.folds ?? 5;
    if (!Number.isInteger(folds) || folds < 2) throw new MetricsInputError(`folds must be an integer ≥ 2 (got ${folds})`);
    if (P < 2 && method === "optimized") throw new MetricsInputError("a crossfit optimized allocation needs at least two problems");
    K = Math.min(folds, P);
  }

  const capacity = matrix.n.map((row) => row.reduce((a, b) => Math.min(a, b), Infinity));
  const total = capacity.reduce((a, b) => a + b, 0);
  if (B > total) {
    throw new MetricsInputError(
      `budget ${B} exceeds the samples available: each member can give at most its smallest n (${members.map((m, i) => `${m}=${capacity[i]}`).join(", ")}; total ${total})`,
    );
  }

  const warnings: string[] = [];
  const small = members.filter((_, m) => capacity[m] < 2 * B);
  if (small.length) {
    warnings.push(
      `n < 2·B (${2 * B}) for member(s) ${listSome(small)}: pass@B then rests on few distinct draws per problem, so member values are noisy and any selection among them is optimistic; sample n ≥ 4·B for comparisons`,
    );
  }
  const { fit, scored } = splitProblems(problems, options.holdout);

  // Data-independent plans (equal, proportional) are fixed; `optimized` is refit on each fit side.
  let fixed: Plan | null = null;
  let remainder: EnsembleReport["remainder"];
  if (method === "equal") {
    fixed = equalPlan(B, capacity, members, warnings);
    if (fixed.extra) remainder = { samples: fixed.extra.count, among: fixed.extra.among.map((m) => members[m]) };
  } else if (method === "proportional") {
    const w = weightsFor(members, options.weights);
    const byWeight = members.map((_, i) => i).sort((a, b) => w[b] - w[a] || a - b);
    fixed = { k: passOnExcess(largestRemainder(B, w), capacity, byWeight, members, warnings), extra: null };
  }
  const eligible = members.map((_, m) => m).filter((m) => capacity[m] >= B);
  if (eligible.length === 0) warnings.push(`no member has n ≥ ${B} on every problem, so there is no best single member at this budget`);
  if (selection === "in_sample") {
    warnings.push(
      "selection in_sample: the best single member" +
        (method === "optimized" ? " and the optimized allocation are" : " is") +
        " chosen on the same problems they are scored on, so `gain` is biased (the best of noisy estimates is inflated); use selection crossfit",
    );
  }

  // Per member × problem pass@B alone (NaN where the member cannot take B samples).
  const single = members.map((_, m) => Float64Array.from({ length: P }, (_, p) => (capacity[m] >= B ? passAtK(matrix.n[m][p], matrix.c[m][p], B) : NaN)));
  const fixedValue = fixed ? Float64Array.from({ length: P }, (_, p) => 1 - planFail(matrix, fixed, p)) : null;
  const ctx: SelectContext = { matrix, B, capacity, eligible, single, fixed, fixedValue };

  const all = problems.map((_, i) => i);
  const random = seededRandom(seed);
  let estimate: Scored;
  let fullPlan: Plan;
  let bestMember: number | null;
  if (selection === "holdout") {
    fullPlan = fixed ?? { k: optimizeAllocation(matrix, B, capacity, fit), extra: null };
    bestMember = argmaxSingle(ctx, fit);
    estimate = scoreWith(ctx, fullPlan, bestMember, scored);
  } else if (selection === "crossfit" && P < 2) {
    // Nothing to hold out: the ensemble is reported, no best single member is chosen.
    warnings.push("crossfit selection needs at least two problems: no best single member chosen (use selection in_sample for one problem)");
    fullPlan = fixed!;
    bestMember = null;
    estimate = scoreWith(ctx, fullPlan, null, all);
  } else {
    estimate = selectAndScore(ctx, all, selection === "crossfit" ? K : 1, random);
    fullPlan = fixed ?? { k: optimizeAllocation(matrix, B, capacity, all), extra: null };
    bestMember = argmaxSingle(ctx, all);
  }

  let gainCi: [number, number] | null = null;
  if (bestMember !== null && resamples > 0) {
    // The bootstrap world: resample problems with replacement, then redo the whole selection in it.
    const base = selection === "holdout" ? null : all;
    const gains = new Float64Array(resamples);
    const pick = (from: readonly number[]) => Array.from(from, () => from[randomIndex(random, from.length)]);
    for (let b = 0; b < resamples; b++) {
      if (base) {
        // A resample with fewer than two distinct problems cannot be cross-fitted: it is left out (NaN).
        gains[b] = mean(selectAndScore(ctx, pick(base), selection === "crossfit" ? K : 1, random).gain);
      } else {
        const f = pick(fit);
        const plan = fixed ?? { k: optimizeAllocation(matrix, B, capacity, f), extra: null };
        gains[b] = mean(scoreWith(ctx, plan, argmaxSingle(ctx, f), pick(scored)).gain);
      }
    }
    const kept = gains.filter((g) => !Number.isNaN(g)).sort();
    gainCi = kept.length ? [quantileSorted(kept, 0.025), quantileSorted(kept, 0.975)] : null;
  }

  const ensemble = mean(estimate.ensemble);
  const bestValue = bestMember === null ? null : mean(estimate.single);
  if (selection === "crossfit" && P < 2) estimate.selected = [];
  const pooled = meanOver(scored, (p) => {
    let N = 0,
      C = 0;
    for (let m = 0; m < M; m++) [N, C] = [N + matrix.n[m][p], C + matrix.c[m][p]];
    return passAtK(N, C, B);
  });
  const expectedK = expectedShares(fullPlan);

  return {
    ensemble,
    allocation: Object.fromEntries(members.map((m, i) => [m, expectedK[i]])),
    best_single: bestMember === null || bestValue === null ? null : { member: members[bestMember], value: bestValue },
    gain: bestValue === null ? null : ensemble - bestValue,
    selection,
    ...(selection === "crossfit" ? { folds: K, selected_by_fold: estimate.selected.map((m) => (m === null ? null : members[m])) } : {}),
    seed,
    gain_ci: gainCi,
    se: {
      ensemble: standardError(estimate.ensemble),
      best_single: bestValue === null ? null : standardError(estimate.single),
      gain: bestValue === null ? null : standardError(estimate.gain),
    },
    ...(remainder ? { remainder } : {}),
    method,
    budget: B,
    members: M,
    problems: scored.length,
    scored_on: options.holdout ? "held-out" : "all",
    ...(options.holdout ? { fit: { problems: fit.length, ensemble: meanOver(fit, (p) => 1 - planFail(matrix, fullPlan, p)) } } : {}),
    single_at_budget: Object.fromEntries(members.map((m, i) => [m, capacity[i] >= B ? meanOver(scored, (p) => single[i][p]) : null])),
    pooled_mixture: pooled,
    warnings,
  };
}

/**
 * An allocation: `k[m]` samples per member, plus (equal split) `extra.count` more samples, one
 * each to a uniformly random `extra.count`-subset of `extra.among`.
 */
interface Plan {
  k: number[];
  extra: { among: number[]; count: number } | null;
}

/** Expected samples per member under a plan. */
function expectedShares(plan: Plan): number[] {
  const out = [...plan.k];
  if (plan.extra) for (const m of plan.extra.among) out[m] += plan.extra.count / plan.extra.among.length;
  return out;
}

/**
 * The chance that every sample fails on problem p, in expectation over the plan's random extras:
 * Π_{m not among} f_m(k_m) · E_S[Π_{m∈S} f_m(k_m+1) Π_{m∈among∖S} f_m(k_m)] with S a uniform
 * r-subset, computed exactly by the elementary-symmetric recursion over the members
 * (e_j ← e_j·f(k) + e_{j−1}·f(k+1)) and divided by C(|among|, r).
 */
function planFail(matrix: MemberMatrix, plan: Plan, p: number): number {
  const extra = plan.extra;
  const inExtra = new Set(extra?.among ?? []);
  let fail = 1;
  for (let m = 0; m < plan.k.length && fail > 0; m++) {
    if (!inExtra.has(m)) fail *= failAtK(matrix.n[m][p], matrix.c[m][p], plan.k[m]);
  }
  if (!extra || fail === 0) return fail;
  const r = extra.count;
  const e = new Float64Array(r + 1);
  e[0] = 1;
  for (const m of extra.among) {
    const without = failAtK(matrix.n[m][p], matrix.c[m][p], plan.k[m]);
    const withOne = failAtK(matrix.n[m][p], matrix.c[m][p], plan.k[m] + 1);
    for (let j = r; j >= 1; j--) e[j] = e[j] * without + e[j - 1] * withOne;
    e[0] *= without;
  }
  return (fail * e[r]) / binomial(extra.among.length, r);
}

function binomial(n: number, r: number): number {
  let out = 1;
  for (let i = 1; i <= r; i++) out = (out * (n - r + i)) / i;
  return out;
}

/**
 * The equal split, symmetric in the members: ⌊B/M⌋ each (capped at capacity); while the leftover
 * covers every member with room, each of them gets one more; the last r < (members with room)
 * samples go one each to a uniformly random r-subset of them, taken in exact expectation.
 */
function equalPlan(B: number, capacity: readonly number[], members: readonly string[], warnings: string[]): Plan {
  const M = capacity.length;
  const k = capacity.map((cap) => Math.min(Math.floor(B / M), cap));
  const capped = members.filter((_, m) => capacity[m] < Math.ceil(B / M));
  let left = B - k.reduce((a, b) => a + b, 0);
  let room = k.map((_, m) => m).filter((m) => k[m] < capacity[m]);
  while (left > 0 && left >= room.length) {
    for (const m of room) k[m]++;
    left -= room.length;
    room = room.filter((m) => k[m] < capacity[m]);
  }
  if (capped.length) warnings.push(`capped at their smallest n: ${listSome(capped)}; their share passed on equally to members with room`);
  return { k, extra: left > 0 ? { among: room, count: left } : null };
}

interface SelectContext {
  matrix: MemberMatrix;
  B: number;
  capacity: readonly number[];
  eligible: readonly number[];
  single: readonly Float64Array[];
  fixed: Plan | null;
  fixedValue: Float64Array | null;
}

/** Per scored position: the ensemble's value, the selected single member's value, and their difference. */
interface Scored {
  ensemble: number[];
  single: number[];
  gain: number[];
  selected: (number | null)[];
}

/** The eligible member with the highest mean pass@B over `idx` (first on ties); null when none is eligible. */
function argmaxSingle(ctx: SelectContext, idx: readonly number[]): number | null {
  let best: number | null = null;
  let bestSum = -Infinity;
  for (const m of ctx.eligible) {
    let sum = 0;
    for (const p of idx) sum += ctx.single[m][p];
    if (sum > bestSum) [best, bestSum] = [m, sum];
  }
  return best;
}

function scoreWith(ctx: SelectContext, plan: Plan, best: number | null, idx: readonly number[], into?: Scored): Scored {
  const out = into ?? { ensemble: [], single: [], gain: [], selected: [] };
  for (const p of idx) {
    const e = plan === ctx.fixed && ctx.fixedValue ? ctx.fixedValue[p] : 1 - planFail(ctx.matrix, plan, p);
    const s = best === null ? NaN : ctx.single[best][p];
    out.ensemble.push(e);
    out.single.push(s);
    out.gain.push(e - s);
  }
  out.selected.push(best);
  return out;
}

/**
 * Choose and score over the problem positions `idx` (a bootstrap resample may repeat a problem).
 * K = 1: in sample (choose on all, score on all). K ≥ 2: the distinct problems are shuffled with
 * `random` and dealt into K folds (copies of a problem stay in one fold, so a resample never
 * scores a choice on a copy of a problem it was made on); each fold is scored by choices made
 * on the others.
 */
function selectAndScore(ctx: SelectContext, idx: readonly number[], K: number, random: () => number): Scored {
  const { matrix, B, capacity, fixed } = ctx;
  if (K === 1) {
    const plan = fixed ?? { k: optimizeAllocation(matrix, B, capacity, idx), extra: null };
    return scoreWith(ctx, plan, argmaxSingle(ctx, idx), idx);
  }
  const distinct = [...new Set(idx)];
  for (let i = distinct.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    [distinct[i], distinct[j]] = [distinct[j], distinct[i]];
  }
  const folds = Math.min(K, distinct.length);
  const fold = new Map(distinct.map((p, i) => [p, i % folds]));
  const out: Scored = { ensemble: [], single: [], gain: [], selected: [] };
  if (folds < 2) return out;
  for (let f = 0; f < folds; f++) {
    const fitIdx = idx.filter((p) => fold.get(p) !== f);
    const heldIdx = idx.filter((p) => fold.get(p) === f);
    const plan = fixed ?? { k: optimizeAllocation(matrix, B, capacity, fitIdx), extra: null };
    scoreWith(ctx, plan, argmaxSingle(ctx, fitIdx), heldIdx, out);
  }
  return out;
}

/** Mean over the given problem indices of 1 − Π_m fail_m(k_m). */
export function ensembleValue(matrix: MemberMatrix, k: readonly number[], problemIdx: readonly number[]): number {
  return meanOver(problemIdx, (p) => {
    let fail = 1;
    for (let m = 0; m < k.length && fail > 0; m++) fail *= failAtK(matrix.n[m][p], matrix.c[m][p], k[m]);
    return 1 - fail;
  });
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
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
