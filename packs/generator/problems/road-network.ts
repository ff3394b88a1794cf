import { defineProblem, lines, type Rng } from "../lib.ts";

type In = { n: number; edges: [number, number, number][] };

function graph(rng: Rng, n: number, m: number, maxW: number): In {
  const edges: [number, number, number][] = [];
  for (let v = 2; v <= n; v++) edges.push([rng.int(1, v - 1), v, rng.int(1, maxW)]);
  while (edges.length < m) {
    const a = rng.int(1, n);
    const b = rng.int(1, n);
    if (a !== b) edges.push([a, b, rng.int(1, maxW)]);
  }
  return { n, edges: rng.shuffle(edges) };
}

export default defineProblem<In>({
  id: "road-network",
  title: "Fastest Delivery",
  statement: `
Towns 1..n are joined by m two-way roads, each with a travel time. Print the least total travel time from town 1 to town n (the network is connected).

Input: n and m, then m lines "a b w".
Output: one integer.

Constraints: 2 <= n <= 20000; n - 1 <= m <= 40000; 1 <= w <= 10^6.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["graph", "shortest-path", "heap"],
  small: [
    {
      n: 3,
      edges: [
        [1, 2, 1],
        [2, 3, 1],
      ],
    },
    {
      n: 4,
      edges: [
        [1, 3, 1],
        [3, 4, 2],
        [1, 2, 2],
        [2, 4, 5],
      ],
    },
    { n: 2, edges: [[1, 2, 7]] },
  ],
  medium: (rng: Rng) => [graph(rng, 200, 600, 1000), graph(rng, 300, 900, 50)],
  large: (rng: Rng) => [graph(rng, 20000, 40000, 10 ** 6)],
  solve: ({ n, edges }) => {
    const adj: [number, number][][] = Array.from({ length: n + 1 }, () => []);
    for (const [a, b, w] of edges) {
      adj[a]!.push([b, w]);
      adj[b]!.push([a, w]);
    }
    const dist = new Array(n + 1).fill(Infinity);
    dist[1] = 0;
    const heap: [number, number][] = [[0, 1]];
    const push = (item: [number, number]) => {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (heap[p]![0] <= heap[i]![0]) break;
        [heap[p], heap[i]] = [heap[i]!, heap[p]!];
        i = p;
      }
    };
    const pop = (): [number, number] => {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length) {
        heap[0] = last;
        for (let i = 0; ; ) {
          let m = i;
          for (const c of [2 * i + 1, 2 * i + 2]) if (c < heap.length && heap[c]![0] < heap[m]![0]) m = c;
          if (m === i) break;
          [heap[m], heap[i]] = [heap[i]!, heap[m]!];
          i = m;
        }
      }
      return top;
    };
    while (heap.length) {
      const [d, v] = pop();
      if (d > dist[v]) continue;
      for (const [u, w] of adj[v]!) if (d + w < dist[u]) push([(dist[u] = d + w), u]);
    }
    return dist[n];
  },
  format: ({ n, edges }) => lines([n, edges.length], ...edges),
});
