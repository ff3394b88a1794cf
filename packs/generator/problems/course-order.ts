import { defineProblem, lines, type Rng } from "../lib.ts";

type In = { n: number; deps: [number, number][] };

function dag(rng: Rng, n: number, m: number, cycle: number): In {
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i + 1));
  const deps: [number, number][] = [];
  for (let i = 0; i < m; i++) {
    const a = rng.int(0, n - 2);
    const b = rng.int(a + 1, n - 1);
    deps.push([order[a]!, order[b]!]);
  }
  if (cycle >= 2) {
    // a cycle through `cycle` courses
    const start = rng.int(0, n - cycle);
    for (let i = 0; i < cycle; i++) deps.push([order[start + ((i + 1) % cycle)]!, order[start + i]!]);
  }
  return { n, deps: rng.shuffle(deps) };
}

export default defineProblem<In>({
  id: "course-order",
  title: "Prerequisites",
  statement: `
There are n courses. A pair "a b" means course a must be finished before course b. Print YES if all courses can be completed in some order, otherwise NO.

Input: n and m, then m lines "a b".
Output: YES or NO.

Constraints: 1 <= n <= 20000; 0 <= m <= 40000.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["graph", "topological-sort", "cycles"],
  small: [
    {
      n: 3,
      deps: [
        [1, 2],
        [2, 3],
      ],
    },
    {
      n: 2,
      deps: [
        [1, 2],
        [2, 1],
      ],
    },
    {
      n: 4,
      deps: [
        [1, 2],
        [1, 3],
        [3, 4],
        [2, 4],
      ],
    },
    { n: 1, deps: [] },
  ],
  medium: (rng: Rng) => [dag(rng, 100, 200, 4), dag(rng, 150, 300, 0), dag(rng, 120, 250, 3)],
  large: (rng: Rng) => [dag(rng, 20000, 40000, 0), dag(rng, 20000, 40000, 5)],
  solve: ({ n, deps }) => {
    const indeg = new Array(n + 1).fill(0);
    const adj: number[][] = Array.from({ length: n + 1 }, () => []);
    for (const [a, b] of deps) {
      adj[a]!.push(b);
      indeg[b]++;
    }
    const queue: number[] = [];
    for (let v = 1; v <= n; v++) if (indeg[v] === 0) queue.push(v);
    for (let i = 0; i < queue.length; i++) for (const u of adj[queue[i]!]!) if (--indeg[u] === 0) queue.push(u);
    return queue.length === n ? "YES" : "NO";
  },
  format: ({ n, deps }) => lines([n, deps.length], ...deps),
});
