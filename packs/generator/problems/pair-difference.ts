import { defineProblem, type Rng } from "../lib.ts";

type In = { nums: number[]; k: number };

export default defineProblem<In>({
  id: "pair-difference",
  title: "Distinct Gaps",
  statement: `
Return the number of distinct value pairs (x, y) with x <= y, both values present in nums, and y - x == k. A pair counts once however often its values occur; for k = 0 the value x must occur at least twice.

Constraints: 1 <= len(nums) <= 30000; 0 <= nums[i] <= 10^9; 0 <= k <= 10^9.
`,
  kind: "functional",
  functionName: "distinctGaps",
  starter: "class Solution:\n    def distinctGaps(self, nums: List[int], k: int) -> int:\n        \n",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["hashing", "counting", "two-pointers"],
  small: [
    { nums: [3, 1, 4, 1, 5], k: 2 },
    { nums: [1, 2, 3, 4, 5], k: 1 },
    { nums: [8], k: 3 },
    { nums: [1, 3, 1, 5, 4], k: 3 },
  ],
  medium: (rng: Rng) => [
    { nums: rng.ints(300, 0, 100), k: 0 },
    { nums: rng.ints(300, 0, 500), k: rng.int(1, 20) },
  ],
  large: (rng: Rng) => [
    { nums: rng.ints(30000, 0, 10 ** 5), k: 7 },
    { nums: rng.ints(30000, 0, 20000), k: 0 },
  ],
  solve: ({ nums, k }) => {
    const counts = new Map<number, number>();
    for (const x of nums) counts.set(x, (counts.get(x) ?? 0) + 1);
    let pairs = 0;
    for (const [x, c] of counts) if (k === 0 ? c >= 2 : counts.has(x + k)) pairs++;
    return pairs;
  },
  format: ({ nums, k }) => [nums, k],
});
