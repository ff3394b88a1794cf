// HumanEval → pack of `assert` problems. The program under test is the completed function
// (prompt + body); the single test is the dataset's `check` function followed by
// `check(<entry_point>)`, which the executor runs after the program.
import type { Problem } from "@frontier/contracts";
import { ImportError, parseJsonl, requireString, type ImportedPack } from "./common.ts";
import type { ImportOptions } from "./livecodebench.ts";

const DEFAULT_LIMITS = { time_ms: 10_000, memory_mb: 1024 };

/** The test code of one HumanEval row as an `assert` test input. */
export function assertTestCode(test: string, entryPoint: string): string {
  return `${test.replace(/\s+$/, "")}\n\n\ncheck(${entryPoint})\n`;
}

export async function importHumanEval(text: string, options: ImportOptions = {}): Promise<ImportedPack> {
  const problems: Problem[] = [];
  for (const { line, row } of parseJsonl(text, "humaneval")) {
    const where = `humaneval line ${line}`;
    const id = requireString(row, "task_id", where);
    const prompt = requireString(row, "prompt", where);
    const entryPoint = requireString(row, "entry_point", where);
    const test = requireString(row, "test", where);
    if (!/def check\s*\(/.test(test)) throw new ImportError(`${where}: test does not define check(candidate)`);
    problems.push({
      id,
      title: entryPoint,
      statement: prompt,
      kind: "assert",
      function: { name: entryPoint },
      limits: { time_ms: options.time_ms ?? DEFAULT_LIMITS.time_ms, memory_mb: options.memory_mb ?? DEFAULT_LIMITS.memory_mb },
      checker: "exact",
      tiers: [{ name: "full", tests: [{ input: assertTestCode(test, entryPoint), output: "" }] }],
      starter_code: prompt,
      source: {
        dataset: "humaneval",
        task_id: id,
        ...(typeof row.canonical_solution === "string" ? { canonical_solution: row.canonical_solution } : {}),
      },
    });
  }
  return { name: "humaneval", description: "HumanEval problems imported by `frontier import humaneval`", source: { dataset: "humaneval" }, problems };
}
