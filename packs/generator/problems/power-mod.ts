import { defineProblem, lines, type Rng } from "../lib.ts";

type Q = [bigint, bigint, bigint];

function powmod(a: bigint, b: bigint, m: bigint): bigint {
  let r = 1n % m;
  a %= m;
  while (b > 0n) {
    if (b & 1n) r = (r * a) % m;
    a = (a * a) % m;
    b >>= 1n;
  }
  return r;
}

export default defineProblem<Q[]>({
  id: "power-mod",
  title: "Huge Powers",
  statement: `
For each query a b m print a^b mod m (with 0^0 = 1).

Input: t, then t lines "a b m".
Output: t lines.

Constraints: 1 <= t <= 10; 0 <= a <= 10^9; 0 <= b <= 10^18; 1 <= m <= 10^9.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["math", "fast-exponentiation", "modular"],
  small: [
    [
      [2n, 10n, 1000n],
      [3n, 0n, 7n],
      [5n, 3n, 13n],
    ],
    [[7n, 2n, 100n]],
    [
      [10n, 5n, 997n],
      [0n, 4n, 5n],
    ],
  ],
  medium: (rng: Rng) => [
    Array.from({ length: 6 }, () => [rng.big(2n, 10n ** 9n), rng.big(1000n, 30000n), rng.big(2n, 10n ** 9n)] as Q),
    Array.from({ length: 6 }, () => [rng.big(2n, 1000n), rng.big(100n, 5000n), rng.big(10n ** 6n, 10n ** 9n)] as Q),
  ],
  large: (rng: Rng) => [Array.from({ length: 10 }, () => [rng.big(0n, 10n ** 9n), rng.big(10n ** 17n, 10n ** 18n), rng.big(1n, 10n ** 9n)] as Q)],
  solve: (qs) => qs.map(([a, b, m]) => powmod(a, b, m).toString()),
  format: (qs) => lines(qs.length, ...qs),
});
