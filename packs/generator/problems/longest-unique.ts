import { defineProblem, type Rng } from "../lib.ts";

export default defineProblem<string>({
  id: "longest-unique",
  title: "No Repeats",
  statement: `
Read a string s of lowercase letters. Print the length of its longest substring (contiguous) in which no letter occurs twice.

Input: one line with s (1 <= |s| <= 200000).
Output: one integer.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["strings", "two-pointers", "hashing"],
  small: ["abcabcbb", "a", "abcdef", "aab", "pwwkew"],
  medium: (rng: Rng) => [rng.string(400, "abcdefgh"), rng.string(300, "abcdefghijklmnopqrstuvwxyz"), rng.string(500, "abc")],
  large: (rng: Rng) => [rng.string(200000, "abcdefghijklmnopqrstuvwxyz"), rng.string(200000, "abcdefghijklmnopqrst")],
  solve: (s) => {
    const last = new Map<string, number>();
    let left = 0;
    let best = 0;
    for (let i = 0; i < s.length; i++) {
      const prev = last.get(s[i]!);
      if (prev !== undefined && prev >= left) left = prev + 1;
      last.set(s[i]!, i);
      best = Math.max(best, i - left + 1);
    }
    return best;
  },
  format: (s) => `${s}\n`,
});
