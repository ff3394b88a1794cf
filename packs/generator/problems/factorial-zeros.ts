import { defineProblem, lines, type Rng } from "../lib.ts";

function zeros(n: bigint): bigint {
  let z = 0n;
  for (let p = 5n; p <= n; p *= 5n) z += n / p;
  return z;
}

export default defineProblem<bigint[]>({
  id: "factorial-zeros",
  title: "Zeros at the End",
  statement: `
For each query n print how many zeros n! ends with in decimal.

Input: t, then t lines with one n each.
Output: t lines.

Constraints: 1 <= t <= 10; 0 <= n <= 10^18.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["math", "number-theory", "counting"],
  small: [[0n, 5n, 10n, 24n], [3n], [100n, 50n, 99n]],
  medium: (rng: Rng) => [[125n, ...Array.from({ length: 4 }, () => rng.big(126n, 3000n))], Array.from({ length: 5 }, () => rng.big(700n, 2000n))],
  large: (rng: Rng) => [Array.from({ length: 10 }, () => rng.big(10n ** 15n, 10n ** 18n))],
  solve: (ns) => ns.map((n) => zeros(n).toString()),
  format: (ns) => lines(ns.length, ...ns.map((n) => [n])),
});
