import { defineProblem, lines, type Rng } from "../lib.ts";

export default defineProblem<string[]>({
  id: "anagram-classes",
  title: "Shuffled Words",
  statement: `
Two words are equivalent when one is a rearrangement of the letters of the other. Given n words, print how many equivalence classes they form.

Input: n, then n words of lowercase letters, one per line.
Output: one integer.

Constraints: 1 <= n <= 20000; each word has 1 to 8 letters.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["hashing", "strings", "sorting"],
  small: [["eat", "tea", "tan", "ate", "nat", "bat"], ["z"], ["abc", "cba", "bca"], ["ab", "cd", "ef"]],
  medium: (rng: Rng) => [
    Array.from({ length: 300 }, () => rng.string(rng.int(2, 4), "abcdef")),
    Array.from({ length: 400 }, () => rng.string(rng.int(3, 5), "abcdefghij")),
  ],
  large: (rng: Rng) => [Array.from({ length: 20000 }, () => rng.string(rng.int(4, 8), "abcdefghijklmnop"))],
  solve: (words) => new Set(words.map((w) => [...w].sort().join(""))).size,
  format: (words) => lines(words.length, ...words.map((w) => [w])),
});
