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

/**
 * Unbiased pass@k for one problem. Exact to a few ulps for n up to 100,000 (tested against exact
 * rational arithmetic). It runs the same product as {@link failAtK} but accumulates the pass
 * probability q = 1 − Π(1 − xᵢ) directly, q ← q + xᵢ·(1 − q): every term is non-negative, so
 * nothing cancels and small pass values (c = 1, n = 100,000) keep their relative precision,
 * where 1 − failAtK(…) would lose up to five digits.
 */
export function passAtK(n: number, c: number, k: number): number {
  assertArgs(n, c, k);
  if (c === 0 || k === 0) return 0;
  if (n - c < k) return 1;
  // Two interleaved accumulators (odd and even factors) halve the dependency chain; they combine
  // as a + b·(1 − a), again without cancellation.
  let a = 0;
  let b = 0;
  if (c <= k) {
    let i = n - c + 1;
    for (; i < n; i += 2) {
      a += (k / i) * (1 - a);
      b += (k / (i + 1)) * (1 - b);
    }
    if (i === n) a += (k / n) * (1 - a);
  } else {
    let j = 0;
    for (; j < k - 1; j += 2) {
      a += (c / (n - j)) * (1 - a);
      b += (c / (n - j - 1)) * (1 - b);
    }
    if (j === k - 1) a += (c / (n - j)) * (1 - a);
  }
  return a + b * (1 - a);
}

export interface PassAtKOptions {
  /** Add a percentile bootstrap interval over problems (resampling problems with replacement). */
  bootstrap?: BootstrapOptions;
}

/** `"pass@10"` and friends. */
export type PassKey = `pass@${number}`;

/** What {@link passAtKReport} returns: plain JSON. */
export type PassAtKReport = Record<PassKey, number> & {
  problems: number;
  skipped_k: number[];
  min_n: number;
  se: Record<PassKey, number | null>;
  ci?: Record<PassKey, [number, number]>;
};

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
export function passAtKReport(rows: readonly CountRow[], ks: readonly number[], options: PassAtKOptions = {}): PassAtKReport {
  assertCounts(rows);
  assertUniqueProblems(rows);
  const n = new Int32Array(rows.length);
  const c = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    n[i] = r.n;
    c[i] = r.c;
  });
  return summarizePassAtK(n, c, ks, options);
}

/**
 * The same report from parallel arrays of already-validated counts (one entry per problem), for
 * callers that hold a {@link MemberMatrix} row: `summarizePassAtK(matrix.n[m], matrix.c[m], ks)`.
 */
export function summarizePassAtK(n: ArrayLike<number>, c: ArrayLike<number>, ks: readonly number[], options: PassAtKOptions = {}): PassAtKReport {
  const badK = ks.filter((k) => !Number.isInteger(k) || k < 1);
  if (badK.length) throw new MetricsInputError(`k must be a positive integer (got ${badK.join(", ")})`);
  const N = n.length;
  if (N === 0) throw new MetricsInputError("no problems");

  let minN = Infinity;
  for (let p = 0; p < N; p++) if (n[p] < minN) minN = n[p];
  const wanted = [...new Set(ks)];
  const usable = wanted.filter((k) => k <= minN);
  const perProblem = usable.map((k) => {
    const values = new Float64Array(N);
    for (let p = 0; p < N; p++) values[p] = passAtK(n[p], c[p], k);
    return values;
  });

  const report = { problems: N, skipped_k: wanted.filter((k) => k > minN), min_n: minN, se: {} } as PassAtKReport;
  usable.forEach((k, i) => {
    report[`pass@${k}`] = mean(perProblem[i]);
    report.se[`pass@${k}`] = standardError(perProblem[i]);
  });
  if (options.bootstrap && usable.length) {
    const intervals = bootstrapMeans(perProblem, options.bootstrap);
    report.ci = {};
    usable.forEach((k, i) => {
      report.ci![`pass@${k}`] = intervals[i];
    });
  }
  return report;
}
