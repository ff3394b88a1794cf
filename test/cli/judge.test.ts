// `frontier judge` as a user runs it: the real bin, real files, real sandbox.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, "../../bin/frontier.mjs");
const dir = mkdtempSync(join(tmpdir(), "frontier-judge-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function frontier(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error: any) {
    return { code: error.code ?? 1, stdout: error.stdout ?? "", stderr: error.stderr ?? "" };
  }
}

const stdinProblem = file(
  "sum.json",
  JSON.stringify({
    id: "sum",
    kind: "stdin",
    limits: { time_ms: 1000, memory_mb: 64 },
    tiers: [
      { name: "small", tests: [{ input: "1 2\n", output: "3" }] },
      { name: "big", tests: [{ input: "2000000000 2000000000\n", output: "4000000000" }] },
    ],
  }),
);

describe("frontier judge", () => {
  it("prints the verdict as JSON and exits 0 for AC and for WA", async () => {
    const ok = await frontier(["judge", "--problem", stdinProblem, "--code", file("ok.py", "print(sum(map(int, input().split())))")]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verdict: "AC", tiers_passed: 2, failure: null });
    const overflow = await frontier([
      "judge",
      "--problem",
      stdinProblem,
      "--code",
      file("int.cpp", '#include <cstdio>\nint main(){int a,b; scanf("%d %d",&a,&b); printf("%d\\n", a+b);}'),
    ]);
    expect(overflow.code).toBe(0);
    const result = JSON.parse(overflow.stdout);
    expect(result).toMatchObject({ verdict: "WA", tiers_passed: 1, failure: { tier: 1, test: 0, verdict: "WA" } });
    expect(Object.keys(result)).toEqual(expect.arrayContaining(["verdict", "tiers_passed", "failure", "time_ms", "memory_kb"]));
  });

  it("takes --lang over the extension and runs all tests with --all-tests", async () => {
    const code = file("prog.txt", "a, b = map(int, input().split())\nprint(a + b if a >= 10 else 0)");
    const stopped = await frontier(["judge", "--problem", stdinProblem, "--code", code, "--lang", "python"]);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ verdict: "WA", tiers_passed: 0, tests_run: 1 });
    const all = await frontier(["judge", "--problem", stdinProblem, "--code", code, "--lang", "python", "--all-tests"]);
    expect(JSON.parse(all.stdout)).toMatchObject({ verdict: "WA", tiers_passed: 0, tests_run: 2, failure: { tier: 0, test: 0 } });
    const unknown = await frontier(["judge", "--problem", stdinProblem, "--code", code]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--lang/);
  });

  it("judges functional and assert problems", async () => {
    const functional = file(
      "fn.json",
      JSON.stringify({
        id: "fn",
        kind: "functional",
        function: { name: "twice" },
        limits: { time_ms: 1000, memory_mb: 64 },
        tiers: [{ name: "t", tests: [{ input: '"ab"', output: '"abab"' }] }],
      }),
    );
    const fn = await frontier(["judge", "--problem", functional, "--code", file("fn.py", "class Solution:\n    def twice(self, s):\n        return s * 2\n")]);
    expect(JSON.parse(fn.stdout)).toMatchObject({ verdict: "AC" });
    const asserted = file(
      "as.json",
      JSON.stringify({
        id: "as",
        kind: "assert",
        limits: { time_ms: 1000, memory_mb: 64 },
        tiers: [{ name: "t", tests: [{ input: "assert twice(3) == 6\n", output: "" }] }],
      }),
    );
    const wrong = await frontier(["judge", "--problem", asserted, "--code", file("as.py", "def twice(x):\n    return x + 2\n")]);
    expect(wrong.code).toBe(0);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ verdict: "WA" });
  });

  it("fails with usage errors and prints --help", async () => {
    const help = await frontier(["judge", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--problem PROBLEM\.json --code FILE/);
    expect((await frontier(["judge", "--code", "x.py"])).code).toBe(2);
    expect((await frontier(["judge", "--problem", stdinProblem, "--code", "x.py", "--bogus"])).code).toBe(2);
    expect((await frontier(["judge", "--problem", file("bad.json", '{"id": "x"}'), "--code", file("x.py", "print(1)")])).code).toBe(2);
    expect((await frontier(["judge", "--problem", join(dir, "missing.json"), "--code", file("y.py", "print(1)")])).code).toBe(1);
  });
});
