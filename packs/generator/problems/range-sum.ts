import { defineProblem, lines } from "../lib.ts";

type In = { a: number[]; queries: [number, number][] };

const random = (rng: import("../lib.ts").Rng, n: number, q: number, bound: number): In => {
  const a = rng.ints(n, -bound, bound);
  const queries = Array.from({ length: q }, () => {
    const l = rng.int(1, n);
    return [l, rng.int(l, n)] as [number, number];
  });
  return { a, queries };
};

export default defineProblem<In>({
  id: "range-sum",
  title: "Range Sums",
  statement: `
A ledger holds n integers a_1..a_n. Answer q questions: for each pair l r, print a_l + a_{l+1} + ... + a_r.

Input: the first line has n and q. The second line has the n integers. Each of the next q lines has l and r (1 <= l <= r <= n).
Output: q lines, the sums.

Constraints: 1 <= n, q <= 15000; |a_i| <= 10^9.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["prefix-sums", "queries"],
  small: [
    {
      a: [1, 2, 3, 4, 5],
      queries: [
        [1, 5],
        [2, 3],
        [4, 4],
      ],
    },
    { a: [7], queries: [[1, 1]] },
    {
      a: [-3, 5, -2, 8],
      queries: [
        [1, 2],
        [2, 4],
        [1, 4],
      ],
    },
  ],
  medium: (rng) => [random(rng, 300, 300, 1e9), random(rng, 250, 400, 1e9)],
  large: (rng) => [random(rng, 15000, 15000, 1e6)],
  solve: ({ a, queries }) => {
    const prefix = [0n];
    for (const x of a) prefix.push(prefix[prefix.length - 1]! + BigInt(x));
    return queries.map(([l, r]) => (prefix[r]! - prefix[l - 1]!).toString());
  },
  format: ({ a, queries }) => lines([a.length, queries.length], a, ...queries),
});
