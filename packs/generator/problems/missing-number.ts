import { defineProblem, lines, type Rng } from "../lib.ts";

type In = { n: number; seen: number[] };

const missing = (rng: Rng, n: number, gone: number): In => ({ n, seen: rng.shuffle(Array.from({ length: n }, (_, i) => i + 1).filter((v) => v !== gone)) });

export default defineProblem<In>({
  id: "missing-number",
  title: "The Missing Ticket",
  statement: `
Tickets numbered 1..n were sold; n-1 of them came back, in any order. Print the number of the missing one.

Input: n on the first line, then the n-1 returned numbers (the second line is empty when n = 1).
Output: one integer.

Constraints: 1 <= n <= 200000.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["math", "sorting"],
  small: [
    { n: 4, seen: [4, 1, 3] },
    { n: 3, seen: [3, 2] },
    { n: 5, seen: [1, 5, 2, 4] },
  ],
  medium: (rng: Rng) => [missing(rng, 300, 300), missing(rng, 400, 123), missing(rng, 2, 2)],
  large: (rng: Rng) => [missing(rng, 60000, 59000), missing(rng, 60000, 60000)],
  solve: ({ n, seen }) => (n * (n + 1)) / 2 - seen.reduce((a, b) => a + b, 0),
  format: ({ n, seen }) => lines(n, seen),
});
