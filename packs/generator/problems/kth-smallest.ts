import { defineProblem, lines, type Rng } from "../lib.ts";

type In = { a: number[]; k: number };

export default defineProblem<In>({
  id: "kth-smallest",
  title: "K-th Lightest Parcel",
  statement: `
Parcels have integer weights. Print the k-th smallest weight (counting repeated weights separately, k is 1-based).

Input: n and k on the first line, then n weights.
Output: one integer.

Constraints: 1 <= k <= n <= 200000; 0 <= weight <= 10^9.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["sorting", "heap"],
  small: [
    { a: [7, 2, 9, 4], k: 2 },
    { a: [5], k: 1 },
    { a: [10, 30, 20], k: 3 },
    { a: [8, 6, 1, 3], k: 1 },
  ],
  medium: (rng: Rng) => [
    { a: rng.ints(400, 0, 20), k: 200 },
    { a: rng.ints(300, 0, 5), k: 150 },
  ],
  large: (rng: Rng) => [
    { a: rng.ints(60000, 0, 1000000000), k: 30000 },
    { a: rng.ints(60000, 0, 1000), k: 45000 },
  ],
  solve: ({ a, k }) => [...a].sort((x, y) => x - y)[k - 1],
  format: ({ a, k }) => lines([a.length, k], a),
});
