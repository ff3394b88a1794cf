import { defineProblem, lines, type Rng } from "../lib.ts";

type In = string[];

const words = (rng: Rng, n: number, vocabulary: number, length: number) => {
  const vocab = Array.from({ length: vocabulary }, () => rng.string(length, "abcde"));
  return Array.from({ length: n }, () => rng.pick(vocab));
};

export default defineProblem<In>({
  id: "word-frequency",
  title: "Trending Word",
  statement: `
Print the word that occurs most often in the text. On a tie, print the alphabetically smallest of the tied words.

Input: n on the first line, then n lowercase words on the second.
Output: one word.

Constraints: 1 <= n <= 200000; words have 1 to 10 letters.
`,
  kind: "stdin",
  time_ms: 1000,
  memory_mb: 256,
  tags: ["hashing", "counting", "strings"],
  small: [["to", "be", "or", "not", "to", "be", "to"], ["solo"], ["x", "y", "y"], ["apple", "pear", "apple"]],
  medium: (rng: Rng) => [["zeta", "zeta", "alpha", "alpha", "mid"], words(rng, 300, 60, 2)],
  large: (rng: Rng) => [words(rng, 60000, 30000, 6), words(rng, 60000, 20000, 3)],
  solve: (text) => {
    const count = new Map<string, number>();
    for (const w of text) count.set(w, (count.get(w) ?? 0) + 1);
    let best = "";
    let most = 0;
    for (const [w, c] of count) if (c > most || (c === most && w < best)) [best, most] = [w, c];
    return best;
  },
  format: (text) => lines(text.length, text),
});
