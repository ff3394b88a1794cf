// Verdict-cache keys: sha256 over language, normalised code, benchmark version, problem id and
// limits. Two programs that differ only in line endings or trailing whitespace share a verdict.
import type { Language } from "@frontier/contracts";

export interface VerdictKeyInput {
  language: Language;
  code: string;
  benchmarkVersion: string;
  problemId: string;
  limits: { time_ms: number; memory_mb: number };
}

/** CRLF/CR → LF, trailing whitespace stripped from every line, trailing blank lines dropped, one final LF. */
export function normaliseCode(code: string): string {
  const lines = code
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[ \t\f\v]+$/, ""));
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  while (lines.length > 0 && lines[0] === "") lines.shift();
  return `${lines.join("\n")}\n`;
}

/**
 * Length-prefixed fields, so no choice of code or id can make two different inputs collide by
 * shifting a separator.
 */
export function verdictKeyMaterial(input: VerdictKeyInput): string {
  const fields = [
    "frontier-verdict/1",
    input.language,
    input.benchmarkVersion,
    input.problemId,
    `${input.limits.time_ms}ms/${input.limits.memory_mb}mb`,
    normaliseCode(input.code),
  ];
  return fields.map((field) => `${field.length}:${field}`).join("\n");
}

export async function verdictKey(input: VerdictKeyInput): Promise<string> {
  const bytes = new TextEncoder().encode(verdictKeyMaterial(input));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
