import { defineProblem, lines, type Rng } from "../lib.ts";

/** A grid of '.' and '#' with S at the top-left and T at the bottom-right. */
function maze(rng: Rng, h: number, w: number, wall: number): string[] {
  const g: string[][] = Array.from({ length: h }, () => Array.from({ length: w }, () => (rng.next() < wall ? "#" : ".")));
  g[0]![0] = "S";
  g[h - 1]![w - 1] = "T";
  return g.map((row) => row.join(""));
}

export default defineProblem<string[]>({
  id: "maze-path",
  title: "Courier in the Maze",
  statement: `
A courier stands on S in an h x w grid and must reach T, moving up, down, left or right onto cells that are not walls (#). Print the fewest moves, or -1 if T cannot be reached.

Input: h and w, then h lines of w characters from ".#ST" (exactly one S and one T).
Output: one integer.

Constraints: 1 <= h, w <= 400.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["graph", "bfs", "grid"],
  small: [["S..", ".#.", "..T"], ["ST"], ["S#.", ".#.", "..T"], ["S....", "####.", "T...."]],
  medium: (rng: Rng) => [maze(rng, 20, 20, 0.3), maze(rng, 15, 30, 0.45), maze(rng, 25, 25, 0.5)],
  large: (rng: Rng) => [maze(rng, 400, 400, 0.25), maze(rng, 400, 400, 0.1)],
  solve: (g) => {
    const h = g.length;
    const w = g[0]!.length;
    const dist = new Int32Array(h * w).fill(-1);
    let start = 0;
    let target = 0;
    g.forEach((row, r) => {
      [...row].forEach((ch, c) => {
        if (ch === "S") start = r * w + c;
        else if (ch === "T") target = r * w + c;
      });
    });
    const queue = [start];
    dist[start] = 0;
    for (let i = 0; i < queue.length; i++) {
      const cur = queue[i]!;
      const r = Math.floor(cur / w);
      const c = cur % w;
      for (const [dr, dc] of [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
      ] as const) {
        const nr = r + dr;
        const nc = c + dc;
        if (nr < 0 || nc < 0 || nr >= h || nc >= w || g[nr]![nc] === "#" || dist[nr * w + nc] !== -1) continue;
        dist[nr * w + nc] = dist[cur]! + 1;
        queue.push(nr * w + nc);
      }
    }
    return dist[target];
  },
  format: (g) => lines([g.length, g[0]!.length], ...g.map((row) => [row])),
});
