// Real data: HumanEval's 164 problems judged as assert problems, built from the dataset rows.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ProblemInput } from "@frontier/contracts";
import { Judge } from "../../../workers/executor/src/judge.ts";

const DATASET = resolve(import.meta.dirname, "../../fixtures/datasets/HumanEval.jsonl.gz");

interface Row {
  task_id: string;
  prompt: string;
  entry_point: string;
  canonical_solution: string;
  test: string;
}

const rows: Row[] = gunzipSync(readFileSync(DATASET))
  .toString("utf8")
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));

/** The convention documented in workers/executor/README.md: test input = test code + the check call. */
function assertProblem(row: Row): ProblemInput {
  return {
    id: row.task_id,
    kind: "assert",
    function: { name: row.entry_point },
    limits: { time_ms: 5000, memory_mb: 512 },
    tiers: [{ name: "full", tests: [{ input: `${row.test}\ncheck(${row.entry_point})\n`, output: "" }] }],
  };
}

describe("HumanEval", () => {
  it("has 164 problems", () => {
    expect(rows).toHaveLength(164);
  });

  it("accepts every canonical solution and rejects `return None`", async () => {
    const judge = new Judge({ concurrency: 2 });
    const results = await Promise.all(
      rows.map((row) =>
        judge.judge(assertProblem(row), [
          { id: "canonical", language: "python", code: row.prompt + row.canonical_solution },
          { id: "none", language: "python", code: `${row.prompt}    return None\n` },
        ]),
      ),
    );
    const canonicalFailures = results.map(([canonical], i) => [rows[i].task_id, canonical.verdict, canonical.failure?.message]).filter(([, v]) => v !== "AC");
    expect(canonicalFailures).toEqual([]);
    const wrongAccepted = results.map(([, wrong], i) => [rows[i].task_id, wrong.verdict]).filter(([, v]) => v === "AC");
    expect(wrongAccepted).toEqual([]);
    // A wrong answer shows up as a failed assertion or a crash in the test code, never as SE.
    const verdicts = new Set(results.map(([, wrong]) => wrong.verdict));
    expect([...verdicts].every((v) => v === "WA" || v === "RE")).toBe(true);
  }, 600_000);
});
