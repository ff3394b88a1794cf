import { defineProblem, type Rng } from "../lib.ts";

type In = { scores: number[] };

export default defineProblem<In>({
  id: "second-largest",
  title: "Runner-Up Score",
  statement: `
Return the second highest distinct score in the list, or -1 when all scores are equal.

Constraints: 1 <= len(scores) <= 50000; 0 <= scores[i] <= 10^9.
`,
  kind: "functional",
  functionName: "runnerUp",
  starter: "class Solution:\n    def runnerUp(self, scores: List[int]) -> int:\n        \n",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["array", "sorting"],
  small: [{ scores: [3, 9, 4] }, { scores: [6, 2] }, { scores: [1, 2, 3, 4, 5] }, { scores: [10, 7] }],
  medium: (rng: Rng) => {
    const top = rng.ints(200, 0, 1000);
    return [{ scores: [...top, 5000, 5000, 5000] }, { scores: rng.shuffle([...rng.ints(300, 0, 50), 99, 99]) }, { scores: [8, 8, 8] }];
  },
  large: (rng: Rng) => [{ scores: rng.ints(50000, 0, 1000000000) }, { scores: rng.shuffle([...rng.ints(49990, 0, 1000), ...Array(10).fill(2000)]) }],
  solve: ({ scores }) => {
    const distinct = [...new Set(scores)].sort((a, b) => b - a);
    return distinct.length > 1 ? distinct[1]! : -1;
  },
  format: ({ scores }) => [scores],
});
