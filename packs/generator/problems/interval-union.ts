import { defineProblem, lines, type Rng } from "../lib.ts";

type Seg = [number, number];

const random = (rng: Rng, n: number, span: number, maxLen: number): Seg[] =>
  Array.from({ length: n }, () => {
    const l = rng.int(0, span);
    return [l, l + rng.int(1, maxLen)] as Seg;
  });

export default defineProblem<Seg[]>({
  id: "interval-union",
  title: "Painted Fence",
  statement: `
Painters each cover a stretch [l, r) of a fence. Print the total length of fence that received paint at least once.

Input: n, then n lines with l and r (0 <= l < r <= 2*10^9).
Output: one integer.

Constraints: 1 <= n <= 20000.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["sorting", "sweep-line", "intervals"],
  small: [
    [
      [1, 3],
      [2, 5],
      [7, 8],
    ],
    [[0, 10]],
    [
      [5, 6],
      [1, 2],
      [3, 4],
    ],
    [
      [1, 4],
      [4, 6],
    ],
  ],
  medium: (rng: Rng) => [random(rng, 200, 1000, 100), random(rng, 300, 10 ** 5, 2000)],
  large: (rng: Rng) => [random(rng, 20000, 10 ** 9, 1000), random(rng, 20000, 10 ** 9, 10 ** 9)],
  solve: (segs) => {
    const sorted = [...segs].sort((a, b) => a[0] - b[0]);
    let total = 0;
    let [cl, cr] = sorted[0]!;
    for (const [l, r] of sorted.slice(1)) {
      if (l > cr) {
        total += cr - cl;
        [cl, cr] = [l, r];
      } else cr = Math.max(cr, r);
    }
    return total + cr - cl;
  },
  format: (segs) => lines(segs.length, ...segs),
});
