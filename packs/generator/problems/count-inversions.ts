import { defineProblem, lines, type Rng } from "../lib.ts";

export default defineProblem<number[]>({
  id: "count-inversions",
  title: "Out of Order",
  statement: `
Count the pairs of positions i < j with a_i > a_j in a list of n integers.

Input: n, then the n integers on one line.
Output: the number of such pairs.

Constraints: 1 <= n <= 30000; 0 <= a_i <= 10^9.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["sorting", "divide-and-conquer", "counting"],
  small: [[3, 1, 2], [1], [5, 4, 3, 2, 1], [1, 2, 3, 4], [2, 9, 4, 7, 1]],
  medium: (rng: Rng) => [rng.ints(300, 0, 20), rng.ints(400, 0, 1000)],
  large: (rng: Rng) => [rng.ints(30000, 0, 1e9), rng.ints(30000, 0, 50)],
  solve: (a) => {
    let count = 0;
    // Fenwick over compressed values, right to left: elements strictly smaller already seen.
    const values = [...new Set(a)].sort((x, y) => x - y);
    const rank = new Map(values.map((v, i) => [v, i + 1]));
    const tree = new Array(values.length + 1).fill(0);
    for (let i = a.length - 1; i >= 0; i--) {
      const r = rank.get(a[i]!)!;
      for (let k = r - 1; k > 0; k -= k & -k) count += tree[k];
      for (let k = r; k <= values.length; k += k & -k) tree[k]++;
    }
    return count;
  },
  format: (a) => lines(a.length, a),
});
