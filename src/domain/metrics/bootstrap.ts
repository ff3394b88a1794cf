// Percentile bootstrap over problems: resample the problem set with replacement.
import { MetricsInputError } from "./errors.ts";
import { randomIndex, seededRandom } from "./random.ts";
import { quantileSorted } from "./stats.ts";

export interface BootstrapOptions {
  /** Resamples (default 1000). */
  resamples?: number;
  /** PRNG seed (default 0): the same seed gives the same interval on every runtime. */
  seed?: number;
  /** Two-sided coverage (default 0.95). */
  confidence?: number;
}

/**
 * One interval per series; all series share the same resampled problem indices so intervals for
 * different k come from the same bootstrap worlds. Every series must have the same length.
 */
export function bootstrapMeans(series: readonly ArrayLike<number>[], options: BootstrapOptions = {}): [number, number][] {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 1 || resamples > 1_000_000)
    throw new MetricsInputError("bootstrap resamples must be an integer in 1..1000000");
  if (!(confidence > 0 && confidence < 1)) throw new MetricsInputError("bootstrap confidence must be in (0, 1)");
  if (!Number.isSafeInteger(seed)) throw new MetricsInputError("bootstrap seed must be an integer");
  const N = series[0]?.length ?? 0;
  if (N === 0) throw new MetricsInputError("bootstrap needs at least one problem");
  const random = seededRandom(seed);
  const means = series.map(() => new Float64Array(resamples));
  const sums = new Float64Array(series.length);
  for (let b = 0; b < resamples; b++) {
    sums.fill(0);
    for (let i = 0; i < N; i++) {
      const pick = randomIndex(random, N);
      for (let s = 0; s < series.length; s++) sums[s] += series[s][pick];
    }
    for (let s = 0; s < series.length; s++) means[s][b] = sums[s] / N;
  }
  const tail = (1 - confidence) / 2;
  return means.map((m) => {
    m.sort();
    return [quantileSorted(m, tail), quantileSorted(m, 1 - tail)];
  });
}
