// Exact rational arithmetic for checking the floating-point estimators: binomials as BigInt.

/** C(n, k) exactly, by the multiplicative formula on the smaller of k and n − k. */
export function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  const m = Math.min(k, n - k);
  let result = 1n;
  for (let i = 1; i <= m; i++) result = (result * BigInt(n - m + i)) / BigInt(i);
  return result;
}

/** p / q (0 ≤ p ≤ q) to the nearest double, without overflowing through Number(q). */
export function ratioToNumber(p: bigint, q: bigint): number {
  if (p === 0n) return 0;
  const shift = q.toString(2).length - p.toString(2).length + 64;
  const scaled = Number((p << BigInt(shift)) / q);
  const half = Math.floor(shift / 2);
  return scaled * 2 ** -half * 2 ** -(shift - half);
}

/** pass@k = 1 − C(n−c, k)/C(n, k), written straight from the Codex paper's formula. */
export function exactPassAtK(n: number, c: number, k: number): number {
  const all = binomial(n, k);
  return ratioToNumber(all - binomial(n - c, k), all);
}

export function exactFailAtK(n: number, c: number, k: number): number {
  return ratioToNumber(binomial(n - c, k), binomial(n, k));
}
