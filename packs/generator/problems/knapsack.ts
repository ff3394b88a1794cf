import { defineProblem, lines, type Rng } from "../lib.ts";

type In = { cap: number; items: [number, number][] };

const random = (rng: Rng, n: number, cap: number, maxW: number, maxV: number): In => ({
  cap,
  items: Array.from({ length: n }, () => [rng.int(1, maxW), rng.int(1, maxV)] as [number, number]),
});

export default defineProblem<In>({
  id: "knapsack",
  title: "Packing the Van",
  statement: `
A van carries at most C kilograms. There are n crates, crate i weighs w_i and is worth v_i. Choose crates (each at most once) of total weight at most C with the largest total worth, and print that worth.

Input: n and C, then n lines "w v".
Output: one integer.

Constraints: 1 <= n <= 100; 1 <= C <= 10000; 1 <= w_i <= 10000; 1 <= v_i <= 10^6.
`,
  kind: "stdin",
  time_ms: 1500,
  memory_mb: 256,
  tags: ["dp", "knapsack", "optimization"],
  small: [
    {
      cap: 10,
      items: [
        [5, 10],
        [4, 40],
        [6, 30],
        [3, 50],
      ],
    },
    { cap: 1, items: [[2, 100]] },
    {
      cap: 7,
      items: [
        [3, 4],
        [4, 6],
        [2, 1],
      ],
    },
  ],
  medium: (rng: Rng) => [random(rng, 12, 60, 30, 100), random(rng, 14, 100, 40, 1000), random(rng, 10, 50, 25, 60)],
  large: (rng: Rng) => [random(rng, 100, 10000, 2000, 10 ** 6), random(rng, 60, 5000, 500, 1000)],
  solve: ({ cap, items }) => {
    const best = new Array(cap + 1).fill(0);
    for (const [w, v] of items) for (let c = cap; c >= w; c--) best[c] = Math.max(best[c], best[c - w] + v);
    return best[cap];
  },
  format: ({ cap, items }) => lines([items.length, cap], ...items),
});
