import { defineProblem, type Rng } from "../lib.ts";

type In = { nums: number[]; k: number };

export default defineProblem<In>({
  id: "divisible-pairs",
  title: "Pairs That Divide Evenly",
  statement: `
Return how many index pairs (i, j) with i < j have nums[i] + nums[j] divisible by k.

Constraints: 1 <= len(nums) <= 30000; 0 <= nums[i] <= 10^9; 1 <= k <= 10^5. The answer may exceed 2^31.
`,
  kind: "functional",
  functionName: "divisiblePairs",
  starter: "class Solution:\n    def divisiblePairs(self, nums: List[int], k: int) -> int:\n        \n",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["hashing", "counting", "math"],
  small: [
    { nums: [1, 2, 3, 4], k: 5 },
    { nums: [7], k: 3 },
    { nums: [1, 3, 2], k: 7 },
    { nums: [2, 4, 1, 5], k: 6 },
  ],
  medium: (rng: Rng) => [
    { nums: rng.ints(300, 0, 1000), k: 10 },
    { nums: rng.ints(400, 0, 100), k: 4 },
  ],
  large: (rng: Rng) => [
    { nums: rng.ints(30000, 0, 1000000000), k: 6 },
    { nums: rng.ints(30000, 0, 1000000000), k: 99991 },
  ],
  solve: ({ nums, k }) => {
    const seen = new Map<number, number>();
    let count = 0;
    for (const x of nums) {
      const r = x % k;
      count += seen.get((k - r) % k) ?? 0;
      seen.set(r, (seen.get(r) ?? 0) + 1);
    }
    return count;
  },
  format: ({ nums, k }) => [nums, k],
});
