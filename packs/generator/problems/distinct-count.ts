import { defineProblem, lines, type Rng } from "../lib.ts";

type In = bigint[];

export default defineProblem<In>({
  id: "distinct-count",
  title: "Badge Scanner",
  statement: `
A gate logs the badge number of everyone who walks through. Count how many different badges were seen.

Input: n on the first line, then n badge numbers on the second line.
Output: one integer.

Constraints: 1 <= n <= 200000; 0 <= badge <= 10^18.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["hashing", "counting"],
  small: [[5n, 3n, 5n, 1n], [7n], [10n, 20n, 30n, 40n], [2n, 2n, 2n]],
  medium: (rng: Rng) => {
    const near = 1_000_000_000_000_000_000n - 1000n;
    return [Array.from({ length: 400 }, () => near + BigInt(rng.int(0, 300))), Array.from({ length: 300 }, () => BigInt(rng.int(0, 100)))];
  },
  large: (rng: Rng) => [
    Array.from({ length: 30000 }, () => rng.big(0n, 1_000_000_000_000_000_000n)),
    Array.from({ length: 30000 }, () => BigInt(rng.int(0, 20000))),
  ],
  solve: (badges) => new Set(badges).size,
  format: (badges) => lines(badges.length, badges),
});
