import { defineProblem, lines, type Rng } from "../lib.ts";

export default defineProblem<number[]>({
  id: "prime-count",
  title: "Prime Tally",
  statement: `
For each query n, print how many primes p satisfy p <= n.

Input: t, then t lines with one n each.
Output: t lines.

Constraints: 1 <= t <= 20; 1 <= n <= 1000000.
`,
  kind: "stdin",
  time_ms: 1500,
  memory_mb: 256,
  tags: ["math", "sieve", "queries"],
  small: [[1, 2, 10, 100], [30], [97, 98, 1000]],
  medium: (rng: Rng) => [rng.ints(5, 5001, 12000), rng.ints(3, 6000, 10000)],
  large: (rng: Rng) => [[1000000, ...rng.ints(19, 700000, 1000000)]],
  solve: (ns) => {
    const max = Math.max(...ns);
    const composite = new Uint8Array(max + 1);
    const count = new Int32Array(max + 1);
    for (let i = 2; i <= max; i++) {
      if (!composite[i]) for (let j = i * i; j <= max; j += i) composite[j] = 1;
      count[i] = count[i - 1]! + (composite[i] ? 0 : 1);
    }
    return ns.map((n) => count[n]);
  },
  format: (ns) => lines(ns.length, ...ns.map((n) => [n])),
});
