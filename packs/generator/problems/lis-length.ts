import { defineProblem, type Rng } from "../lib.ts";

type In = { nums: number[] };

export default defineProblem<In>({
  id: "lis-length",
  title: "Rising Chain",
  statement: `
Return the length of the longest strictly increasing subsequence of nums (not necessarily contiguous).

Constraints: 1 <= len(nums) <= 20000; 0 <= nums[i] <= 10^9.
`,
  kind: "functional",
  functionName: "risingChain",
  starter: "class Solution:\n    def risingChain(self, nums: List[int]) -> int:\n        \n",
  time_ms: 500,
  memory_mb: 256,
  tags: ["dp", "binary-search", "array"],
  small: [{ nums: [10, 9, 2, 5, 3, 7, 101, 18] }, { nums: [4] }, { nums: [1, 2, 3, 4, 5] }, { nums: [5, 4, 3] }],
  medium: (rng: Rng) => [{ nums: rng.ints(300, 0, 30) }, { nums: rng.ints(400, 0, 1e9) }],
  large: (rng: Rng) => [{ nums: rng.ints(20000, 0, 1e9) }, { nums: rng.ints(20000, 0, 5000) }],
  solve: ({ nums }) => {
    const tails: number[] = [];
    for (const x of nums) {
      let lo = 0;
      let hi = tails.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tails[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      tails[lo] = x;
    }
    return tails.length;
  },
  format: ({ nums }) => [nums],
});
