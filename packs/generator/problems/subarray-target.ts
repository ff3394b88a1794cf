import { defineProblem, type Rng } from "../lib.ts";

type In = { nums: number[]; k: number };

export default defineProblem<In>({
  id: "subarray-target",
  title: "Exact Stretches",
  statement: `
Return the number of non-empty contiguous subarrays of nums whose elements add up to exactly k.

Constraints: 1 <= len(nums) <= 20000; |nums[i]| <= 1000; |k| <= 10^7.
`,
  kind: "functional",
  functionName: "exactStretches",
  starter: "class Solution:\n    def exactStretches(self, nums: List[int], k: int) -> int:\n        \n",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["prefix-sums", "hashing", "array"],
  small: [
    { nums: [1, 1, 1], k: 2 },
    { nums: [1, 2, 3], k: 3 },
    { nums: [5], k: 5 },
    { nums: [2, 4, 1, 3, 6], k: 7 },
  ],
  medium: (rng: Rng) => [
    { nums: rng.ints(300, -5, 5), k: 3 },
    { nums: rng.ints(250, -20, 20), k: 0 },
  ],
  large: (rng: Rng) => [
    { nums: rng.ints(20000, -3, 3), k: 2 },
    { nums: rng.ints(20000, 1, 1000), k: 5000 },
  ],
  solve: ({ nums, k }) => {
    const seen = new Map<number, number>([[0, 1]]);
    let prefix = 0;
    let count = 0;
    for (const x of nums) {
      prefix += x;
      count += seen.get(prefix - k) ?? 0;
      seen.set(prefix, (seen.get(prefix) ?? 0) + 1);
    }
    return count;
  },
  format: ({ nums, k }) => [nums, k],
});
