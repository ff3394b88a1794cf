// Every HumanEval canonical solution, once imported, is AC through the real judge; a wrong one is not.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMPORTERS } from "../../packs/importers/index.ts";
import { readMaybeGzip } from "../../packs/importers/common.ts";
import { Judge } from "../../workers/executor/src/judge.ts";
import type { Problem } from "@frontier/contracts";

const DATASETS = fileURLToPath(new URL("../fixtures/datasets/", import.meta.url));

describe("imported HumanEval through the real judge", () => {
  let judge: Judge;
  let problems: Problem[];
  beforeAll(async () => {
    judge = new Judge({ concurrency: 2 });
    problems = (await IMPORTERS.humaneval!(await readMaybeGzip(await readFile(join(DATASETS, "HumanEval.jsonl.gz"))))).problems;
  });
  afterAll(async () => judge?.close());

  it("all 164 canonical solutions are AC", { timeout: 240_000 }, async () => {
    const verdicts = await Promise.all(
      problems.map(async (problem) => {
        const code = problem.starter_code! + String(problem.source!.canonical_solution);
        const [result] = await judge.judge(problem, [{ id: problem.id, language: "python", code }]);
        return { id: problem.id, verdict: result!.verdict, failure: result!.failure };
      }),
    );
    expect(verdicts.filter((v) => v.verdict !== "AC")).toEqual([]);
    expect(verdicts).toHaveLength(164);
  });

  it("a solution that returns None is not AC", async () => {
    const problem = problems[0]!;
    const [result] = await judge.judge(problem, [{ language: "python", code: `${problem.starter_code}    return None\n` }]);
    expect(result!.verdict).toBe("WA");
  });
});
