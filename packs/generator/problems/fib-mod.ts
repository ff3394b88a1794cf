import { defineProblem, lines, type Rng } from "../lib.ts";

const MOD = 1_000_000_007n;

function fib(n: bigint): bigint {
  // fast doubling
  const go = (k: bigint): [bigint, bigint] => {
    if (k === 0n) return [0n, 1n];
    const [a, b] = go(k >> 1n);
    const c = (a * ((2n * b - a + MOD) % MOD)) % MOD;
    const d = (a * a + b * b) % MOD;
    return k & 1n ? [d, (c + d) % MOD] : [c, d];
  };
  return go(n)[0];
}

export default defineProblem<bigint[]>({
  id: "fib-mod",
  title: "Rabbit Census",
  statement: `
F(0) = 0, F(1) = 1, F(k) = F(k-1) + F(k-2). For each query n print F(n) modulo 1000000007.

Input: t, then t lines with one n each.
Output: t lines.

Constraints: 1 <= t <= 10; 0 <= n <= 10^18.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["math", "matrix-power", "recurrence"],
  small: [[0n, 1n, 2n, 10n], [20n], [5n, 30n]],
  medium: (rng: Rng) => [Array.from({ length: 5 }, () => rng.big(100n, 5000n)), Array.from({ length: 5 }, () => rng.big(80n, 20000n))],
  large: (rng: Rng) => [Array.from({ length: 10 }, () => rng.big(10n ** 17n, 10n ** 18n))],
  solve: (ns) => ns.map((n) => fib(n).toString()),
  format: (ns) => lines(ns.length, ...ns.map((n) => [n])),
});
