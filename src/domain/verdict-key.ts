// Verdict-cache keys: sha256 over language, normalised code, benchmark version, problem id, the
// executor's version and the effective limits (time, memory, retime factor). Two programs that differ only in line endings or trailing whitespace share a verdict.
import type { Language } from "@frontier/contracts";

export interface VerdictKeyInput {
  language: Language;
  code: string;
  benchmarkVersion: string;
  problemId: string;
  /** The executor's verdict version (EXECUTOR_VERSION, or /v1/health's `executor_version` with runtimes). */
  executorVersion: string;
  /** The effective limits: a TLE under retime_factor × time_ms is judged again. */
  limits: { time_ms: number; memory_mb: number; retime_factor: number };
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
    "frontier-verdict/2",
    input.language,
    input.benchmarkVersion,
    input.problemId,
    input.executorVersion,
    `${input.limits.time_ms}ms/${input.limits.memory_mb}mb/retime${input.limits.retime_factor}`,
    normaliseCode(input.code),
  ];
  return fields.map((field) => `${field.length}:${field}`).join("\n");
}

export async function verdictKey(input: VerdictKeyInput): Promise<string> {
  const bytes = new TextEncoder().encode(verdictKeyMaterial(input));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
