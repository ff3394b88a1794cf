import { defineProblem, lines, type Rng } from "../lib.ts";

type In = { a: number[]; k: number };

export default defineProblem<In>({
  id: "window-max",
  title: "Peak in Every Window",
  statement: `
Given n integers and a window size k, print the maximum of every window of k consecutive elements, from left to right (n - k + 1 numbers on one line).

Input: n and k, then the n integers.
Output: the n - k + 1 maxima separated by spaces.

Constraints: 1 <= k <= n <= 30000; |a_i| <= 10^9.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["deque", "sliding-window", "array"],
  small: [
    { a: [1, 3, 2, 5, 4], k: 2 },
    { a: [7], k: 1 },
    { a: [4, 2, 12, 3, 8, 1], k: 3 },
  ],
  medium: (rng: Rng) => [
    { a: rng.ints(300, -1000, 1000), k: 20 },
    { a: rng.ints(200, -(10 ** 9), -1), k: 7 },
  ],
  large: (rng: Rng) => [{ a: rng.ints(30000, -(10 ** 9), 10 ** 9), k: 15000 }],
  solve: ({ a, k }) => {
    const out: number[] = [];
    const dq: number[] = [];
    let head = 0;
    a.forEach((x, i) => {
      while (dq.length > head && a[dq[dq.length - 1]!]! <= x) dq.pop();
      dq.push(i);
      if (dq[head]! <= i - k) head++;
      if (i >= k - 1) out.push(a[dq[head]!]!);
    });
    return out;
  },
  format: ({ a, k }) => lines([a.length, k], a),
  render: (answer) => `${(answer as number[]).join(" ")}\n`,
});
