import { defineProblem, lines, type Rng } from "../lib.ts";

export default defineProblem<bigint[]>({
  id: "closest-values",
  title: "Nearest Neighbours",
  statement: `
Given n >= 2 integers, print the smallest absolute difference between two of them (at different positions).

Input: n, then the n integers.
Output: one integer.

Constraints: 2 <= n <= 20000; 0 <= a_i <= 10^18.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["sorting", "array", "greedy"],
  small: [
    [5n, 1n, 9n, 3n],
    [100n, 40n],
    [7n, 7n, 2n],
    [10n, 20n, 35n, 45n],
  ],
  medium: (rng: Rng) => [Array.from({ length: 200 }, () => rng.big(0n, 10n ** 18n)), Array.from({ length: 300 }, () => rng.big(0n, 10n ** 6n))],
  large: (rng: Rng) => [Array.from({ length: 20000 }, () => rng.big(0n, 10n ** 18n))],
  solve: (a) => {
    const s = [...a].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    let best = -1n;
    for (let i = 1; i < s.length; i++) if (best < 0n || s[i]! - s[i - 1]! < best) best = s[i]! - s[i - 1]!;
    return best.toString();
  },
  format: (a) => lines(a.length, a),
});
