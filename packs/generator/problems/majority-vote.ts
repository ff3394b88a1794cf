import { defineProblem, type Rng } from "../lib.ts";

type In = { votes: number[] };

function ballot(rng: Rng, n: number, withMajority: boolean, candidates: number): In {
  const votes = rng.ints(n, 1, candidates);
  if (withMajority) {
    const winner = rng.int(1, candidates);
    for (let i = 0; i <= n / 2; i++) votes[i] = winner;
  }
  return { votes: rng.shuffle(votes) };
}

export default defineProblem<In>({
  id: "majority-vote",
  title: "Landslide",
  statement: `
votes lists the candidate chosen by each voter. Return the candidate chosen by strictly more than half of the voters, or -1 if there is none.

Constraints: 1 <= len(votes) <= 30000; 1 <= votes[i] <= 10^9.
`,
  kind: "functional",
  functionName: "landslide",
  starter: "class Solution:\n    def landslide(self, votes: List[int]) -> int:\n        \n",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["counting", "array", "voting"],
  small: [{ votes: [3, 1, 3] }, { votes: [7] }, { votes: [2, 2, 1, 1, 2] }, { votes: [5, 5, 5, 4] }],
  medium: (rng: Rng) => [ballot(rng, 301, false, 3), ballot(rng, 200, true, 10), ballot(rng, 401, false, 2)],
  large: (rng: Rng) => [ballot(rng, 30000, true, 10 ** 9), ballot(rng, 30000, false, 10 ** 9)],
  solve: ({ votes }) => {
    const counts = new Map<number, number>();
    for (const v of votes) counts.set(v, (counts.get(v) ?? 0) + 1);
    for (const [v, c] of counts) if (2 * c > votes.length) return v;
    return -1;
  },
  format: ({ votes }) => [votes],
});
