import { defineProblem, lines, type Rng } from "../lib.ts";

type In = { a: number[]; xs: number[] };

export default defineProblem<In>({
  id: "count-at-most",
  title: "How Many Below",
  statement: `
Given n prices and q budgets, print for each budget x how many prices are at most x.

Input: n and q, then the n prices, then the q budgets (each list on one line).
Output: the q answers separated by spaces.

Constraints: 1 <= n, q <= 20000; 0 <= prices, budgets <= 10^9.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["binary-search", "sorting", "queries"],
  small: [
    { a: [5, 1, 9, 3], xs: [0, 4, 10, 6] },
    { a: [2], xs: [1, 3] },
    { a: [10, 20, 30], xs: [15, 25, 35, 5] },
  ],
  medium: (rng: Rng) => [
    { a: rng.ints(300, 0, 100), xs: rng.ints(300, 0, 100) },
    { a: rng.ints(200, 0, 10 ** 9), xs: rng.ints(200, 0, 10 ** 9) },
  ],
  large: (rng: Rng) => [{ a: rng.ints(20000, 0, 10 ** 9), xs: rng.ints(20000, 0, 10 ** 9) }],
  solve: ({ a, xs }) => {
    const sorted = [...a].sort((x, y) => x - y);
    return xs.map((x) => {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid]! <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    });
  },
  format: ({ a, xs }) => lines([a.length, xs.length], a, xs),
  render: (answer) => `${(answer as number[]).join(" ")}\n`,
});
