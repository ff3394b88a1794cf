import { defineProblem, type Rng } from "../lib.ts";

type In = { bits: number[] };

export default defineProblem<In>({
  id: "zero-one-balance",
  title: "Balanced Stretch",
  statement: `
Return the length of the longest contiguous segment of the binary array with as many 0s as 1s (0 if there is none).

Constraints: 1 <= len(bits) <= 30000; bits[i] is 0 or 1.
`,
  kind: "functional",
  functionName: "longestBalanced",
  starter: "class Solution:\n    def longestBalanced(self, bits: List[int]) -> int:\n        \n",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["prefix-sums", "hashing"],
  small: [{ bits: [1, 1, 0, 1, 1] }, { bits: [1] }, { bits: [1, 1, 1, 0, 0, 1] }, { bits: [0, 0, 1, 0, 0] }],
  medium: (rng: Rng) => [{ bits: rng.ints(300, 0, 1) }, { bits: [0, 1, 0, 1, ...rng.ints(200, 1, 1)] }],
  large: (rng: Rng) => [{ bits: rng.ints(30000, 0, 1) }, { bits: [...Array(15000).fill(1), ...Array(15000).fill(0)] }],
  solve: ({ bits }) => {
    const first = new Map<number, number>([[0, -1]]);
    let balance = 0;
    let best = 0;
    bits.forEach((b, i) => {
      balance += b ? 1 : -1;
      const at = first.get(balance);
      if (at === undefined) first.set(balance, i);
      else best = Math.max(best, i - at);
    });
    return best;
  },
  format: ({ bits }) => [bits],
});
