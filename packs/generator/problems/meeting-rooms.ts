import { defineProblem, lines, type Rng } from "../lib.ts";

type Seg = [number, number];

const random = (rng: Rng, n: number, span: number, maxLen: number): Seg[] =>
  Array.from({ length: n }, () => {
    const s = rng.int(0, span);
    return [s, s + rng.int(1, maxLen)] as Seg;
  });

export default defineProblem<Seg[]>({
  id: "meeting-rooms",
  title: "One Room, Many Meetings",
  statement: `
A single room receives n booking requests, each a half-open interval [s, e). Accept as many requests as possible so that no two accepted requests overlap (one may start exactly when another ends). Print that number.

Input: n, then n lines "s e".
Output: one integer.

Constraints: 1 <= n <= 20000; 0 <= s < e <= 10^9.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["greedy", "sorting", "intervals"],
  small: [
    [
      [1, 3],
      [2, 4],
      [3, 5],
    ],
    [[0, 10]],
    [
      [1, 2],
      [2, 3],
      [3, 4],
    ],
    [
      [5, 9],
      [1, 4],
      [4, 6],
    ],
  ],
  medium: (rng: Rng) => [random(rng, 200, 1000, 100), random(rng, 300, 10000, 500)],
  large: (rng: Rng) => [random(rng, 20000, 10 ** 9, 10 ** 6), random(rng, 20000, 10 ** 6, 1000)],
  solve: (segs) => {
    const sorted = [...segs].sort((a, b) => a[1] - b[1]);
    let end = -Infinity;
    let count = 0;
    for (const [s, e] of sorted) {
      if (s >= end) {
        count++;
        end = e;
      }
    }
    return count;
  },
  format: (segs) => lines(segs.length, ...segs),
});
