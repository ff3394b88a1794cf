import { defineProblem, type Rng } from "../lib.ts";

type In = { nums: number[] };

export default defineProblem<In>({
  id: "balanced-split",
  title: "Even Halves",
  statement: `
Count the positions i (1 <= i < len(nums)) where the sum of nums[0..i-1] equals the sum of nums[i..].

Constraints: 2 <= len(nums) <= 30000; |nums[i]| <= 10^4.
`,
  kind: "functional",
  functionName: "evenCuts",
  starter: "class Solution:\n    def evenCuts(self, nums: List[int]) -> int:\n        \n",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["prefix-sums", "array"],
  small: [{ nums: [1, 2, 3] }, { nums: [4, 4] }, { nums: [1, -1, 1, -1] }, { nums: [5, 7] }],
  medium: (rng: Rng) => [{ nums: [...rng.ints(150, -3, 3), 1, ...rng.ints(150, -3, 3)] }, { nums: [3, 0, 0, 0, 4] }, { nums: rng.ints(300, -2, 2) }],
  large: (rng: Rng) => [{ nums: rng.ints(30000, -2, 2) }, { nums: rng.ints(30000, -10000, 10000) }],
  solve: ({ nums }) => {
    const total = nums.reduce((a, b) => a + b, 0);
    let prefix = 0;
    let count = 0;
    for (let i = 0; i < nums.length - 1; i++) {
      prefix += nums[i]!;
      if (2 * prefix === total) count++;
    }
    return count;
  },
  format: ({ nums }) => [nums],
});
