// Small numeric helpers shared by the metrics.

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length ? sum / values.length : NaN;
}

/** Standard error of the mean: sample standard deviation (N − 1) over √N; null below two values. */
export function standardError(values: ArrayLike<number>): number | null {
  const N = values.length;
  if (N < 2) return null;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < N; i++) ss += (values[i] - m) ** 2;
  return Math.sqrt(ss / (N - 1) / N);
}

/** Linear-interpolated quantile (R's type 7) of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
