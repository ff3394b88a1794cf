// Unbiased pass@k (Chen et al. 2021, "Codex"): the chance that at least one of k samples drawn
// without replacement from n, of which c are correct, is correct: 1 − C(n−c, k) / C(n, k).
import { MetricsInputError } from "./errors.ts";
import { assertCounts, assertUniqueProblems, type CountRow } from "./inputs.ts";
import { bootstrapMeans, type BootstrapOptions } from "./bootstrap.ts";
import { mean, standardError } from "./stats.ts";

function assertArgs(n: number, c: number, k: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 0 || c < 0 || k < 0) {
    throw new RangeError(`n, c, k must be non-negative integers (n=${n}, c=${c}, k=${k})`);
  }
  if (c > n) throw new RangeError(`c=${c} exceeds n=${n}`);
  if (k > n) throw new RangeError(`k=${k} exceeds n=${n}`);
}

/**
 * C(n−c, k) / C(n, k): the chance that k samples drawn without replacement are all wrong.
 *
 * Two equal finite products, never a binomial coefficient (those overflow long before n = 100,000):
 *   Π_{i=n−c+1..n} (i−k)/i      (c factors)   and   Π_{j=0..k−1} (n−c−j)/(n−j)   (k factors).
 * The shorter one is used; each factor lies in [0, 1] and is rounded once, so the relative error
 * stays below about (min(c, k) + 1) · 2⁻⁵³.
 */
export function failAtK(n: number, c: number, k: number): number {
  assertArgs(n, c, k);
  if (c === 0 || k === 0) return 1;
  if (n - c < k) return 0;
  let product = 1;
  if (c <= k) for (let i = n - c + 1; i <= n; i++) product *= (i - k) / i;
  else for (let j = 0; j < k; j++) product *= (n - c - j) / (n - j);
  return product;
}

/** log C(n−c, k)/C(n, k) as a sum of log1p terms, for when the product is close to 1. */
function logFailAtK(n: number, c: number, k: number): number {
  let sum = 0;
  if (c <= k) for (let i = n - c + 1; i <= n; i++) sum += Math.log1p(-k / i);
  else for (let j = 0; j < k; j++) sum += Math.log1p(-c / (n - j));
  return sum;
}

/**
 * Unbiased pass@k for one problem. Exact to a few ulps for n up to 100,000 (tested against exact
 * rational arithmetic). When the fail probability is above ½, 1 − fail would cancel digits, so
 * the small pass value comes from −expm1(Σ log1p(·)) instead and keeps its relative precision.
 */
export function passAtK(n: number, c: number, k: number): number {
  const fail = failAtK(n, c, k);
  if (fail === 1) return 0;
  if (fail <= 0.5) return 1 - fail;
  return -Math.expm1(logFailAtK(n, c, k));
}

export interface PassAtKOptions {
  /** Add a percentile bootstrap interval over problems (resampling problems with replacement). */
  bootstrap?: BootstrapOptions;
}

/** `"pass@10"` and friends. */
export type PassKey = `pass@${number}`;

/**
 * pass@k averaged over problems, for each requested k.
 *
 * A k is averaged only when k ≤ n for every problem (otherwise some problems would have no
 * unbiased estimate and the mean would silently change population); such k are listed in
 * `skipped_k` instead, in the order asked. Plain JSON out:
 *
 *   { "pass@1": 0.41, "pass@10": 0.66, "problems": 164, "skipped_k": [100],
 *     "min_n": 20, "se": { "pass@1": 0.03, … }, "ci": { "pass@1": [0.35, 0.47], … } }
 *
 * `se` is the standard error of the mean over problems (sample standard deviation / √N; null for
 * N < 2). `ci` appears only when `options.bootstrap` is given.
 */
export function passAtKReport(rows: readonly CountRow[], ks: readonly number[], options: PassAtKOptions = {}) {
  assertCounts(rows);
  assertUniqueProblems(rows);
  const badK = ks.filter((k) => !Number.isInteger(k) || k < 1);
  if (badK.length) throw new MetricsInputError(`k must be a positive integer (got ${badK.join(", ")})`);
  if (rows.length === 0) throw new MetricsInputError("no problems");

  const minN = Math.min(...rows.map((r) => r.n));
  const usable = [...new Set(ks)].filter((k) => k <= minN);
  const skipped = [...new Set(ks)].filter((k) => k > minN);
  const perProblem = usable.map((k) => Float64Array.from(rows, (r) => passAtK(r.n, r.c, k)));

  const values: Record<PassKey, number> = {};
  const se: Record<PassKey, number | null> = {};
  usable.forEach((k, i) => {
    values[`pass@${k}`] = mean(perProblem[i]);
    se[`pass@${k}`] = standardError(perProblem[i]);
  });
  let ci: Record<PassKey, [number, number]> | undefined;
  if (options.bootstrap && usable.length) {
    const intervals = bootstrapMeans(perProblem, options.bootstrap);
    ci = {};
    usable.forEach((k, i) => (ci![`pass@${k}`] = intervals[i]));
  }
  return {
    ...values,
    problems: rows.length,
    skipped_k: skipped,
    min_n: minN,
    se,
    ...(ci ? { ci } : {}),
  } as Record<PassKey, number> & {
    problems: number;
    skipped_k: number[];
    min_n: number;
    se: Record<PassKey, number | null>;
    ci?: Record<PassKey, [number, number]>;
  };
}
