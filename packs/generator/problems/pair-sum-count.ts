import { defineProblem, type Rng } from "../lib.ts";

type In = { nums: number[]; target: number };

const random = (rng: Rng, n: number, bound: number): In => ({ nums: rng.ints(n, -bound, bound), target: rng.int(-bound, bound) });

export default defineProblem<In>({
  id: "pair-sum-count",
  title: "Pairs Adding Up",
  statement: `
Given an integer array nums and an integer target, return how many index pairs (i, j) with i < j satisfy nums[i] + nums[j] == target.

Constraints: 1 <= len(nums) <= 20000; |nums[i]|, |target| <= 10^6. The answer may exceed 2^31.
`,
  kind: "functional",
  functionName: "countPairs",
  starter: "class Solution:\n    def countPairs(self, nums: List[int], target: int) -> int:\n        \n",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["hashing", "counting", "array"],
  small: [
    { nums: [1, 2, 3, 4], target: 5 },
    { nums: [5], target: 10 },
    { nums: [-1, 4, 0, 7, 3], target: 3 },
    { nums: [10, 20, 30], target: 100 },
  ],
  medium: (rng) => [random(rng, 300, 20), random(rng, 400, 50), random(rng, 200, 5)],
  large: (rng) => [random(rng, 20000, 100), random(rng, 20000, 1000000)],
  solve: ({ nums, target }) => {
    const seen = new Map<number, number>();
    let count = 0;
    for (const x of nums) {
      count += seen.get(target - x) ?? 0;
      seen.set(x, (seen.get(x) ?? 0) + 1);
    }
    return count;
  },
  format: ({ nums, target }) => [nums, target],
});
