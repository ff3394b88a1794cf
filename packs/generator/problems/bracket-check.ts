import { defineProblem, lines, type Rng } from "../lib.ts";

const PAIRS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

function balanced(s: string): boolean {
  const stack: string[] = [];
  for (const ch of s) {
    if ("([{".includes(ch)) stack.push(ch);
    else if (stack.pop() !== PAIRS[ch]) return false;
  }
  return stack.length === 0;
}

/** A random string that is balanced, then maybe damaged by a swap (often making crossed pairs). */
function sample(rng: Rng, half: number): string {
  const out: string[] = [];
  const stack: string[] = [];
  let opens = 0;
  while (out.length < 2 * half) {
    if (opens < half && (stack.length === 0 || rng.next() < 0.5)) {
      const ch = rng.pick(["(", "[", "{"]);
      stack.push(ch);
      out.push(ch);
      opens++;
    } else {
      const ch = stack.pop()!;
      out.push(ch === "(" ? ")" : ch === "[" ? "]" : "}");
    }
  }
  if (rng.next() < 0.6) {
    const i = rng.int(0, out.length - 2);
    [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  }
  return out.join("");
}

export default defineProblem<string[]>({
  id: "bracket-check",
  title: "Nested Brackets",
  statement: `
Each line holds a string of the characters ()[]{}. For every string print YES if every bracket is closed by the matching kind in the right order, otherwise NO.

Input: t, then t strings, one per line.
Output: t lines, YES or NO.

Constraints: 1 <= t <= 10; each string has length 2 to 100000; total length <= 200000.
`,
  kind: "stdin",
  time_ms: 400,
  memory_mb: 256,
  tags: ["stack", "strings", "parsing"],
  small: [["()", "([]{})", "(]", "((", "{[()()]}", "))(("]],
  medium: (rng: Rng) => [Array.from({ length: 10 }, () => sample(rng, rng.int(5, 60)))],
  large: (rng: Rng) => [[sample(rng, 50000), "(".repeat(25000) + ")".repeat(25000), sample(rng, 25000)]],
  solve: (strings) => strings.map((s) => (balanced(s) ? "YES" : "NO")),
  format: (strings) => lines(strings.length, ...strings.map((s) => [s])),
});
