import { defineProblem, lines, type Rng } from "../lib.ts";

type In = number[][];

export default defineProblem<In>({
  id: "grid-path-max",
  title: "Orchard Walk",
  statement: `
A walker crosses a grid of plots from the top-left to the bottom-right, moving only right or down, and collects the value of every plot visited (values may be negative: fees). Print the largest total.

Input: r and c on the first line, then r rows of c integers.
Output: one integer.

Constraints: 1 <= r, c <= 300; |value| <= 10^6.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["dp", "grid"],
  small: [
    [
      [1, 3],
      [2, 5],
    ],
    [[4]],
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    [[2], [7], [1]],
  ],
  medium: (rng: Rng) => [Array.from({ length: 9 }, () => rng.ints(9, -100, 100)), Array.from({ length: 8 }, () => rng.ints(8, -1000, -1))],
  large: (rng: Rng) => [Array.from({ length: 300 }, () => rng.ints(300, -1000000, 1000000)), Array.from({ length: 200 }, () => rng.ints(200, -10, 10))],
  solve: (grid) => {
    const c = grid[0]!.length;
    const best = new Array<number>(c).fill(-Infinity);
    for (const [i, row] of grid.entries()) {
      for (let j = 0; j < c; j++) {
        const from = i === 0 && j === 0 ? 0 : Math.max(best[j]!, j > 0 ? best[j - 1]! : -Infinity);
        best[j] = from + row[j]!;
      }
    }
    return best[c - 1];
  },
  format: (grid) => lines([grid.length, grid[0]!.length], ...grid),
});
