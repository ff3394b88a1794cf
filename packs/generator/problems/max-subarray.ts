import { defineProblem, type Rng } from "../lib.ts";

type In = { nums: number[] };

export default defineProblem<In>({
  id: "max-subarray",
  title: "Best Stretch",
  statement: `
A sensor logs a signed reading every minute. Return the largest total of a non-empty run of consecutive readings.

Constraints: 1 <= len(nums) <= 20000; |nums[i]| <= 10^4.
`,
  kind: "functional",
  functionName: "bestStretch",
  starter: "class Solution:\n    def bestStretch(self, nums: List[int]) -> int:\n        \n",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["dp", "array", "greedy"],
  small: [{ nums: [2, -1, 3, -5, 4] }, { nums: [5] }, { nums: [1, 2, 3] }, { nums: [-2, 6, -1, 2, -9, 3] }],
  medium: (rng: Rng) => [{ nums: rng.ints(300, -100, 100) }, { nums: rng.ints(250, -10000, -1) }, { nums: rng.ints(1, -50, -1) }],
  large: (rng: Rng) => [{ nums: rng.ints(20000, -10000, 10000) }, { nums: rng.ints(20000, -10000, -1) }],
  solve: ({ nums }) => {
    let best = -Infinity;
    let run = 0;
    for (const x of nums) {
      run = Math.max(x, run + x);
      best = Math.max(best, run);
    }
    return best;
  },
  format: ({ nums }) => [nums],
});
