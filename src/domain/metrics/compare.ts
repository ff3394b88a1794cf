// Paired comparison of two evaluations on the same problems: the difference in pass@k, with its
// standard error and a paired percentile bootstrap interval over problems (one resample of the
// problems serves both sides, so what the two share cancels).
import { MetricsInputError, listSome } from "./errors.ts";
import { assertCounts, assertUniqueProblems, type CountRow } from "./inputs.ts";
import { passAtK } from "./passk.ts";
import { randomIndex, seededRandom } from "./random.ts";
import { mean, quantileSorted, standardError } from "./stats.ts";

export interface ComparisonOptions {
  /** Bootstrap resamples (default 1000). */
  resamples?: number;
  /** PRNG seed (default 0). */
  seed?: number;
}

export interface PairedDifference {
  k: number;
  /** Mean pass@k of A and of B over the shared problems. */
  a: number;
  b: number;
  /** b − a. */
  difference: number;
  /** Standard error of the mean per-problem difference (null for one problem). */
  se: number | null;
  /** Paired percentile bootstrap 95% interval of `difference`. */
  ci: [number, number];
}

export interface Comparison {
  problems: number;
  /** One entry per requested k that fits both sides (k ≤ n on every problem of both). */
  differences: PairedDifference[];
  /** Requested k that exceed n somewhere. */
  skipped_k: number[];
  seed: number;
  resamples: number;
}

/**
 * Compare B against A on the same problems. Both must list the same problem set (each once);
 * per problem the difference is pass@k(B) − pass@k(A), averaged over problems.
 */
export function pairedComparison(a: readonly CountRow[], b: readonly CountRow[], ks: readonly number[], options: ComparisonOptions = {}): Comparison {
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 1 || resamples > 100_000) throw new MetricsInputError("resamples must be an integer in 1..100000");
  if (!Number.isSafeInteger(seed)) throw new MetricsInputError("seed must be an integer");
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new MetricsInputError("k must be positive integers");
  assertCounts(a);
  assertCounts(b);
  assertUniqueProblems(a);
  assertUniqueProblems(b);
  const inB = new Map(b.map((r) => [r.problem, r]));
  const onlyA = a.filter((r) => !inB.has(r.problem)).map((r) => r.problem);
  const inA = new Set(a.map((r) => r.problem));
  const onlyB = b.filter((r) => !inA.has(r.problem)).map((r) => r.problem);
  if (onlyA.length || onlyB.length) {
    throw new MetricsInputError([
      ...(onlyA.length ? [`problems only in A: ${listSome(onlyA)}`] : []),
      ...(onlyB.length ? [`problems only in B: ${listSome(onlyB)}`] : []),
    ]);
  }
  if (a.length === 0) throw new MetricsInputError("no problems to compare");
  const pairs = a.map((r) => [r, inB.get(r.problem)!] as const);
  const minN = Math.min(...pairs.flatMap(([x, y]) => [x.n, y.n]));
  const usable = [...new Set(ks)].sort((x, y) => x - y);
  const fits = usable.filter((k) => k <= minN);
  const random = seededRandom(seed);
  const P = pairs.length;
  // One set of resampled problem indices shared by every k.
  const picks = Array.from({ length: resamples }, () => Int32Array.from({ length: P }, () => randomIndex(random, P)));
  const differences = fits.map((k) => {
    const va = pairs.map(([x]) => passAtK(x.n, x.c, k));
    const vb = pairs.map(([, y]) => passAtK(y.n, y.c, k));
    const d = va.map((x, i) => vb[i] - x);
    const boot = new Float64Array(resamples);
    for (let r = 0; r < resamples; r++) {
      let sum = 0;
      for (const i of picks[r]) sum += d[i];
      boot[r] = sum / P;
    }
    boot.sort();
    return {
      k,
      a: mean(va),
      b: mean(vb),
      difference: mean(d),
      se: standardError(d),
      ci: [quantileSorted(boot, 0.025), quantileSorted(boot, 0.975)] as [number, number],
    };
  });
  return { problems: P, differences, skipped_k: usable.filter((k) => k > minN), seed, resamples };
}
