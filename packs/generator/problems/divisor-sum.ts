import { defineProblem, lines, type Rng } from "../lib.ts";

function sigma(n: bigint): bigint {
  let total = 0n;
  for (let d = 1n; d * d <= n; d++) {
    if (n % d === 0n) {
      total += d;
      if (d * d !== n) total += n / d;
    }
  }
  return total;
}

export default defineProblem<bigint[]>({
  id: "divisor-sum",
  title: "Sum of Divisors",
  statement: `
For each query n print the sum of all positive divisors of n (including 1 and n).

Input: t, then t lines with one n each.
Output: t lines.

Constraints: 1 <= t <= 5; 1 <= n <= 10^11.
`,
  kind: "stdin",
  time_ms: 1500,
  memory_mb: 256,
  tags: ["math", "number-theory", "divisors"],
  small: [[10n, 15n, 7n], [28n], [1n, 6n, 12n]],
  medium: (rng: Rng) => [
    [...Array.from({ length: 3 }, () => rng.big(1000n, 100000n)), 10000n, 3969n],
    [rng.big(2n, 300n) ** 2n, rng.big(100n, 90000n)],
  ],
  large: (rng: Rng) => [[...Array.from({ length: 4 }, () => rng.big(10n ** 10n, 10n ** 11n)), 99996985729n]],
  solve: (ns) => ns.map((n) => sigma(n).toString()),
  format: (ns) => lines(ns.length, ...ns.map((n) => [n])),
});
