// The importers on the real dataset files in test/fixtures/datasets, and on release-shaped rows.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IMPORTERS, ImportError, packFiles } from "../../packs/importers/index.ts";
import { readMaybeGzip } from "../../packs/importers/common.ts";
import { PackManifestSchema, packVersion, sha256Hex } from "@frontier/contracts";
import { ProblemSchema } from "@frontier/contracts";

const DATASETS = fileURLToPath(new URL("../fixtures/datasets/", import.meta.url));
const read = async (name: string) => readMaybeGzip(await readFile(join(DATASETS, name)));

describe("livecodebench importer (SandboxFusion rows)", () => {
  it("keeps ids, statements, fn_name and decodes every pickled test", async () => {
    const pack = await IMPORTERS.livecodebench!(await read("livecodebench_v1.sample.jsonl"));
    expect(pack.problems.map((p) => p.id)).toEqual(["codeforces/1873_A", "leetcode/2727", "atcoder/abc301_a"]);
    expect(pack.problems.map((p) => p.tiers[0]!.tests.length)).toEqual([5, 14, 15]);
    const [cf, lc, ac] = pack.problems;
    expect(cf!.kind).toBe("stdin");
    expect(cf!.tiers[0]!.tests[0]).toEqual({ input: "6\nabc\nacb\nbac\nbca\ncab\ncba\n", output: "YES\nYES\nYES\nNO\nNO\nYES\n" });
    expect(lc!.kind).toBe("functional");
    expect(lc!.function).toEqual({ name: "countSeniors" });
    expect(lc!.tiers[0]!.tests[0]).toEqual({ input: '["7868190130M7522", "5303914400F9211", "9273338290F4010"]', output: "2" });
    expect(lc!.starter_code).toContain("def countSeniors(self, details: List[str]) -> int:");
    expect(lc!.statement.startsWith("You are given a 0-indexed array of strings details.")).toBe(true);
    expect(lc!.statement).not.toContain("### Format");
    expect(ac!.statement).toContain("Takahashi and Aoki played N games.");
    expect(ac!.source).toMatchObject({ dataset: "livecodebench", task_id: "atcoder/abc301_a", difficulty: "easy" });
    for (const p of pack.problems) ProblemSchema.parse(p);
  });
});

describe("livecodebench importer (release rows)", () => {
  // private_test_cases as base64(zlib(pickle(json string))), written by CPython.
  const PRIVATE = "eJxrYJlaxgABPUXR1UqZeQWlJUpWCkqmMXlKOgpK+aUlUAEjqEhJanFJSWVBKkisuCQlM0+pVkcBSaMZukZjM5waY6foAQBDByYt";
  const PRIVATE_FN = "eJxrYJnqwQABPS7R1UqZeQWlJUpWCkrRhjoKRrExecZKOgpK+aUlUOGSotJUkEhJanFJSWVBKkgsrTQvuSQzPy8xR6k2dooeAKBKGJw=";
  const rows = [
    {
      question_title: "Square It",
      question_content: "Print n squared.",
      platform: "atcoder",
      question_id: "abc999_a",
      contest_id: "abc999",
      contest_date: "2024-01-01T00:00:00",
      starter_code: "",
      difficulty: "easy",
      public_test_cases: JSON.stringify([{ input: "3\n", output: "9\n", testtype: "stdin" }]),
      private_test_cases: PRIVATE,
      metadata: "{}",
    },
    {
      question_title: "Has Sum",
      question_content: "Return whether nums has two elements adding up to target.",
      platform: "leetcode",
      question_id: "9999",
      starter_code: "class Solution:\n    def hasSum(self, nums: List[int], target: int) -> bool:\n        ",
      difficulty: "medium",
      public_test_cases: JSON.stringify([{ input: "[1, 5]\n6", output: "true", testtype: "functional" }]),
      private_test_cases: PRIVATE_FN,
      metadata: JSON.stringify({ func_name: "hasSum" }),
    },
  ];

  it("makes public and private nested tiers and decodes the pickled private tests", async () => {
    const pack = await IMPORTERS.livecodebench!(rows.map((r) => JSON.stringify(r)).join("\n"));
    const [stdin, fn] = pack.problems;
    expect(stdin!.id).toBe("abc999_a");
    expect(stdin!.title).toBe("Square It");
    expect(stdin!.tiers).toEqual([
      { name: "public", tests: [{ input: "3\n", output: "9\n" }] },
      {
        name: "private",
        tests: [
          { input: "5\n", output: "25\n" },
          { input: "6\n", output: "36\n" },
        ],
      },
    ]);
    // The public tests are the examples a model may see; the private ones never are.
    expect(stdin!.examples).toEqual([{ input: "3\n", output: "9\n" }]);
    expect(fn!.kind).toBe("functional");
    expect(fn!.function).toEqual({ name: "hasSum" });
    expect(fn!.tiers[1]!.tests).toEqual([{ input: "[1, 2]\n3", output: "true" }]);
    expect(fn!.source).toMatchObject({ platform: "leetcode", metadata: { func_name: "hasSum" } });
  });

  it("accepts private tests given as plain JSON too", async () => {
    const row = { ...rows[0], private_test_cases: JSON.stringify([{ input: "2\n", output: "4\n", testtype: "stdin" }]) };
    const pack = await IMPORTERS.livecodebench!(JSON.stringify(row));
    expect(pack.problems[0]!.tiers[1]!.tests).toEqual([{ input: "2\n", output: "4\n" }]);
  });

  it("names the line of a bad row", async () => {
    await expect(IMPORTERS.livecodebench!(`${JSON.stringify(rows[0])}\n{"nothing": 1}`)).rejects.toThrow(/line 2/);
    await expect(IMPORTERS.livecodebench!("not json")).rejects.toThrow(ImportError);
    await expect(IMPORTERS.livecodebench!(JSON.stringify({ ...rows[0], private_test_cases: "!!notbase64!!" }))).rejects.toThrow(ImportError);
  });
});

describe("codecontests importer", () => {
  it("imports all 20 problems and 2,233 tests with their statements and labels", async () => {
    const pack = await IMPORTERS.codecontests!(await read("code_contests.sample.jsonl"));
    expect(pack.problems).toHaveLength(20);
    expect(pack.problems.reduce((s, p) => s + p.tiers[0]!.tests.length, 0)).toBe(2233);
    expect(pack.problems.map((p) => p.id)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    const first = pack.problems[0]!;
    expect(first.title).toBe("a3");
    expect(first.statement.startsWith("Alice and Johnny are playing a simple guessing game.")).toBe(true);
    expect(first.source).toMatchObject({ dataset: "codecontests", difficulty: "MEDIUM", name: "a3", source: "CODECHEF" });
    expect(first.tiers[0]!.tests[0]!.output).toBe("0\n1\n2\n");
    for (const p of pack.problems) expect(p.kind).toBe("stdin");
  });
});

describe("humaneval importer", () => {
  it("imports 164 assert problems from the gzip file, keeping task ids and entry points", async () => {
    const pack = await IMPORTERS.humaneval!(await read("HumanEval.jsonl.gz"));
    expect(pack.problems).toHaveLength(164);
    expect(pack.problems[0]!.id).toBe("HumanEval/0");
    expect(pack.problems[0]!.function).toEqual({ name: "has_close_elements" });
    expect(pack.problems[0]!.kind).toBe("assert");
    expect(pack.problems[163]!.id).toBe("HumanEval/163");
    for (const p of pack.problems) {
      expect(p.tiers).toHaveLength(1);
      expect(p.tiers[0]!.tests[0]!.input.trimEnd().endsWith(`check(${p.function!.name})`)).toBe(true);
    }
  });
});

describe("pack files", () => {
  it("writes a manifest whose hashes match the problem files", async () => {
    const files = await packFiles(await IMPORTERS.livecodebench!(await read("livecodebench_v1.sample.jsonl")));
    const manifest = PackManifestSchema.parse(JSON.parse(files.get("manifest.json")!));
    for (const entry of manifest.problems) expect(await sha256Hex(files.get(entry.file)!)).toBe(entry.sha256);
    expect(manifest.version).toBe(await packVersion(manifest.problems));
    expect(manifest.problems.map((p) => p.file)).toContain("problems/leetcode_2727.json");
  });
});
