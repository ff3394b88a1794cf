import { defineProblem, lines, type Rng } from "../lib.ts";

type In = { text: string; pattern: string };

export default defineProblem<In>({
  id: "pattern-count",
  title: "Motif Finder",
  statement: `
Count the positions at which the pattern p occurs in the text t. Occurrences may overlap.

Input: t on the first line, p on the second (lowercase letters).
Output: one integer.

Constraints: 1 <= |p| <= |t| <= 200000.
`,
  kind: "stdin",
  time_ms: 2000,
  memory_mb: 256,
  tags: ["strings", "kmp", "hashing"],
  small: [
    { text: "abcabcab", pattern: "abc" },
    { text: "hello", pattern: "world" },
    { text: "aaaa", pattern: "b" },
    { text: "xyzxyz", pattern: "xyz" },
  ],
  medium: (rng: Rng) => [
    { text: rng.string(500, "ab"), pattern: rng.string(3, "ab") },
    { text: rng.string(400, "aab"), pattern: "aa" },
    { text: rng.string(300, "abc"), pattern: "ab" },
  ],
  large: (rng: Rng) => [
    { text: "a".repeat(100000), pattern: "a".repeat(2000) },
    { text: rng.string(100000, "ab"), pattern: "ab".repeat(10) },
  ],
  solve: ({ text, pattern }) => {
    let count = 0;
    for (let i = text.indexOf(pattern); i >= 0; i = text.indexOf(pattern, i + 1)) count++;
    return count;
  },
  format: ({ text, pattern }) => lines([text], [pattern]),
});
