import { defineProblem, lines, type Rng } from "../lib.ts";

type Op = [0 | 1, number, number];
type In = { n: number; ops: Op[] };

function random(rng: Rng, n: number, m: number, joinShare: number): In {
  return { n, ops: Array.from({ length: m }, () => [rng.next() < joinShare ? 0 : 1, rng.int(1, n), rng.int(1, n)] as Op) };
}

/** Chain joins in an order that builds deep trees for a union without path compression. */
function chain(rng: Rng, n: number, queries: number): In {
  const ops: Op[] = [];
  for (let v = 2; v <= n; v++) ops.push([0, v, v - 1]);
  for (let i = 0; i < queries; i++) ops.push([1, rng.int(1, n), rng.int(1, n)]);
  return { n, ops };
}

export default defineProblem<In>({
  id: "friend-groups",
  title: "Friend Groups",
  statement: `
n people start as strangers. Process m operations in order: "0 a b" makes a and b friends; "1 a b" asks whether a and b are connected through a chain of friendships (print YES or NO).

Input: n and m, then m lines "type a b".
Output: one line per query.

Constraints: 1 <= n <= 30000; 1 <= m <= 40000.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["union-find", "graph", "queries"],
  small: [
    {
      n: 4,
      ops: [
        [0, 1, 2],
        [1, 1, 2],
        [1, 1, 3],
        [0, 3, 4],
        [0, 2, 3],
        [1, 1, 4],
      ],
    },
    {
      n: 2,
      ops: [
        [1, 1, 2],
        [1, 2, 2],
      ],
    },
    {
      n: 5,
      ops: [
        [0, 1, 2],
        [0, 3, 4],
        [1, 2, 4],
        [0, 2, 5],
        [1, 1, 5],
      ],
    },
  ],
  medium: (rng: Rng) => [random(rng, 100, 300, 0.5), random(rng, 200, 400, 0.3)],
  large: (rng: Rng) => [chain(rng, 20000, 20000), random(rng, 30000, 40000, 0.6)],
  solve: ({ n, ops }) => {
    const parent = Array.from({ length: n + 1 }, (_, i) => i);
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
      return x;
    };
    const out: string[] = [];
    for (const [t, a, b] of ops) {
      if (t === 0) parent[find(a)] = find(b);
      else out.push(find(a) === find(b) ? "YES" : "NO");
    }
    return out;
  },
  format: ({ n, ops }) => lines([n, ops.length], ...ops),
});
