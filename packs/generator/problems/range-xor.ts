import { defineProblem, type Rng } from "../lib.ts";

type In = { a: number[]; queries: [number, number][] };

const random = (rng: Rng, n: number, q: number, bound: number): In => ({
  a: rng.ints(n, 0, bound),
  queries: Array.from({ length: q }, () => {
    const l = rng.int(0, n - 1);
    return [l, rng.int(l, n - 1)] as [number, number];
  }),
});

export default defineProblem<In>({
  id: "range-xor",
  title: "Parity Ledger",
  statement: `
Given an array a and queries [l, r] (0-based, inclusive), return for each query the bitwise XOR of a[l..r].

Constraints: 1 <= len(a), len(queries) <= 20000; 0 <= a[i] < 2^30.
`,
  kind: "functional",
  functionName: "rangeXor",
  starter: "class Solution:\n    def rangeXor(self, a: List[int], queries: List[List[int]]) -> List[int]:\n        \n",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["prefix-sums", "queries"],
  small: [
    {
      a: [3, 5, 6, 1],
      queries: [
        [1, 2],
        [2, 3],
      ],
    },
    { a: [8, 8], queries: [[1, 1]] },
    { a: [1, 2, 4], queries: [[1, 2]] },
  ],
  medium: (rng: Rng) => [random(rng, 300, 200, 1000), { a: [7, 1, 2], queries: [[0, 2]] }],
  large: (rng: Rng) => [
    random(rng, 20000, 20000, (1 << 30) - 1),
    { a: rng.ints(20000, 0, 100), queries: Array.from({ length: 20000 }, () => [0, 19999] as [number, number]) },
  ],
  solve: ({ a, queries }) => {
    const prefix = [0];
    for (const x of a) prefix.push(prefix[prefix.length - 1]! ^ x);
    return queries.map(([l, r]) => prefix[r + 1]! ^ prefix[l]!);
  },
  format: ({ a, queries }) => [a, queries],
});
