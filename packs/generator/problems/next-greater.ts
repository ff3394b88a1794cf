import { defineProblem, lines, type Rng } from "../lib.ts";

export default defineProblem<number[]>({
  id: "next-greater",
  title: "Taller Ahead",
  statement: `
People stand in a queue with heights h_1..h_n. For each person print the height of the first person behind them (larger index) who is strictly taller, or -1 if nobody is.

Input: n, then the n heights.
Output: n numbers separated by spaces.

Constraints: 1 <= n <= 30000; 1 <= h_i <= 10^9.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["stack", "array", "monotonic"],
  small: [[2, 1, 3], [5], [1, 2, 3, 4], [4, 3, 2, 1], [3, 8, 4, 1, 9]],
  medium: (rng: Rng) => [rng.ints(300, 1, 20), rng.ints(200, 1, 10 ** 9)],
  large: (rng: Rng) => [Array.from({ length: 30000 }, (_, i) => 30000 - i), rng.ints(30000, 1, 50)],
  solve: (h) => {
    const out = new Array(h.length).fill(-1);
    const stack: number[] = [];
    h.forEach((x, i) => {
      while (stack.length && h[stack[stack.length - 1]!]! < x) out[stack.pop()!] = x;
      stack.push(i);
    });
    return out;
  },
  format: (h) => lines(h.length, h),
  render: (answer) => `${(answer as number[]).join(" ")}\n`,
});
