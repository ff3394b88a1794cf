import { defineProblem, type Rng } from "../lib.ts";

type In = { prices: number[] };

export default defineProblem<In>({
  id: "stock-profit",
  title: "One Trade",
  statement: `
prices[i] is the price of a share on day i. Buy once and sell once on a later day; return the largest profit possible, or 0 if no trade makes money.

Constraints: 1 <= len(prices) <= 30000; 0 <= prices[i] <= 10^9.
`,
  kind: "functional",
  functionName: "oneTrade",
  starter: "class Solution:\n    def oneTrade(self, prices: List[int]) -> int:\n        \n",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["greedy", "array", "dp"],
  small: [{ prices: [3, 1, 5, 2, 6, 4] }, { prices: [7, 6, 4, 3, 1] }, { prices: [5] }, { prices: [1, 9, 2, 8] }],
  medium: (rng: Rng) => [{ prices: rng.ints(300, 0, 1000) }, { prices: rng.ints(250, 0, 10 ** 9) }],
  large: (rng: Rng) => [{ prices: rng.ints(30000, 0, 10 ** 9) }, { prices: Array.from({ length: 30000 }, (_, i) => 30000 - i) }],
  solve: ({ prices }) => {
    let low = Infinity;
    let best = 0;
    for (const p of prices) {
      best = Math.max(best, p - low);
      low = Math.min(low, p);
    }
    return best;
  },
  format: ({ prices }) => [prices],
});
