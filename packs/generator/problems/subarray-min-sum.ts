import { defineProblem, lines, type Rng } from "../lib.ts";

type In = number[];

const MOD = 1_000_000_007n;

export default defineProblem<In>({
  id: "subarray-min-sum",
  title: "Weakest Links",
  statement: `
For every non-empty contiguous segment of the array take its minimum; print the sum of these minimums modulo 1000000007.

Input: n on the first line, then n integers.
Output: one integer.

Constraints: 1 <= n <= 100000; 1 <= a[i] <= 10^9.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["stack", "monotonic", "counting"],
  small: [[3, 1, 2, 4], [5], [1, 2, 3], [4, 3, 2, 1]],
  medium: (rng: Rng) => [rng.ints(300, 1, 5), rng.ints(250, 1, 1000000000), Array(200).fill(7)],
  large: (rng: Rng) => [rng.ints(30000, 1, 1000000000), rng.ints(30000, 1, 10)],
  solve: (a) => {
    // previous strictly smaller, next smaller-or-equal: each segment counted once.
    const n = a.length;
    const left = new Array<number>(n);
    const right = new Array<number>(n);
    const stack: number[] = [];
    for (let i = 0; i < n; i++) {
      while (stack.length && a[stack[stack.length - 1]!]! >= a[i]!) stack.pop();
      left[i] = stack.length ? stack[stack.length - 1]! : -1;
      stack.push(i);
    }
    stack.length = 0;
    for (let i = n - 1; i >= 0; i--) {
      while (stack.length && a[stack[stack.length - 1]!]! > a[i]!) stack.pop();
      right[i] = stack.length ? stack[stack.length - 1]! : n;
      stack.push(i);
    }
    let total = 0n;
    for (let i = 0; i < n; i++) total += BigInt(a[i]!) * BigInt(i - left[i]!) * BigInt(right[i]! - i);
    return total % MOD;
  },
  format: (a) => lines(a.length, a),
});
