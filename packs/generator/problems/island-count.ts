import { defineProblem, lines, type Rng } from "../lib.ts";

function grid(rng: Rng, h: number, w: number, land: number): string[] {
  return Array.from({ length: h }, () => Array.from({ length: w }, () => (rng.next() < land ? "#" : ".")).join(""));
}

/** A long snake of land: many label-propagation rounds for a naive relabeller. */
function snake(h: number, w: number): string[] {
  return Array.from({ length: h }, (_, r) => (r % 2 === 0 ? "#".repeat(w) : r % 4 === 1 ? `${".".repeat(w - 1)}#` : `#${".".repeat(w - 1)}`));
}

export default defineProblem<string[]>({
  id: "island-count",
  title: "Counting Islands",
  statement: `
A map is an h x w grid of land (#) and water (.). Land cells that share a side belong to the same island (cells touching only at a corner do not). Print the number of islands.

Input: h and w, then h lines of w characters.
Output: one integer.

Constraints: 1 <= h, w <= 300.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["graph", "grid", "union-find"],
  small: [["##..", "##..", "...#"], ["#"], ["..."], ["#.#", "###", "#.#"], ["##.", "...", ".##"]],
  medium: (rng: Rng) => [grid(rng, 20, 20, 0.45), grid(rng, 30, 15, 0.3), snake(9, 12)],
  large: (rng: Rng) => [snake(299, 300), grid(rng, 300, 300, 0.55)],
  solve: (g) => {
    const h = g.length;
    const w = g[0]!.length;
    const seen = new Uint8Array(h * w);
    let islands = 0;
    for (let s = 0; s < h * w; s++) {
      if (seen[s] || g[Math.floor(s / w)]![s % w] !== "#") continue;
      islands++;
      const stack = [s];
      seen[s] = 1;
      while (stack.length) {
        const cur = stack.pop()!;
        const r = Math.floor(cur / w);
        const c = cur % w;
        for (const [nr, nc] of [
          [r + 1, c],
          [r - 1, c],
          [r, c + 1],
          [r, c - 1],
        ] as const) {
          if (nr < 0 || nc < 0 || nr >= h || nc >= w || seen[nr * w + nc] || g[nr]![nc] !== "#") continue;
          seen[nr * w + nc] = 1;
          stack.push(nr * w + nc);
        }
      }
    }
    return islands;
  },
  format: (g) => lines([g.length, g[0]!.length], ...g.map((row) => [row])),
});
