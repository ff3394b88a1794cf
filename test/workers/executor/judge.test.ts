// The judge library end to end: real bwrap sandboxes, real python3 and g++.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Judge } from "../../../workers/executor/src/judge.ts";
import { CppCompiler } from "../../../workers/executor/src/compile.ts";
import { strayProcesses, stdinProblem } from "./helpers.ts";

const judge = new Judge({ concurrency: 2, outputLimitBytes: 4 << 20 });

afterAll(() => {
  expect(strayProcesses()).toEqual([]);
});

describe("stdin problems", () => {
  const problem = stdinProblem([
    [["2\n", "4"]],
    [
      ["3\n", "6"],
      ["5\n", "10"],
    ],
    [["7\n", "14"]],
  ]);

  it("gives AC, WA with the first failing tier and test, RE and CE in Python", async () => {
    const [ok, wrong, crash, syntax] = await judge.judge(problem, [
      { id: "ok", language: "python", code: "print(int(input()) * 2)" },
      { id: "wrong", language: "python", code: "n = int(input())\nprint(n * 2 if n < 5 else 0)" },
      { id: "crash", language: "python", code: "n = int(input())\nprint(1 // (n - 3) if n > 2 else n * 2)" },
      { id: "syntax", language: "python", code: "print(" },
    ]);
    expect(ok).toMatchObject({ id: "ok", verdict: "AC", tiers_passed: 3, failure: null, tests_run: 4 });
    expect(ok.memory_kb).toBeGreaterThan(1000);
    expect(wrong).toMatchObject({ verdict: "WA", tiers_passed: 1, failure: { tier: 1, test: 1, verdict: "WA" }, tests_run: 3 });
    expect(wrong.failure!.message).toMatch(/expected "10", got "0"/);
    expect(crash).toMatchObject({ verdict: "RE", tiers_passed: 1, failure: { tier: 1, test: 0, verdict: "RE" } });
    expect(crash.failure!.message).toMatch(/ZeroDivisionError/);
    expect(syntax).toMatchObject({ verdict: "CE", tests_run: 0 });
    expect(syntax.failure!.message).toMatch(/SyntaxError/);
  });

  it("gives each test nothing of another test: no earlier input, output or file is readable", async () => {
    // Each test reads every file it can under /run/io (the supervisor's files), /tmp and /dev/shm,
    // and leaves a file behind in each.
    const code = [
      "import os",
      "mine = input().strip()",
      "others = {'11', '22', '33'} - {mine}",
      "seen = []",
      "folders = ('/run/io', '/tmp', '/dev/shm')",
      "for folder in folders:",
      "    for name in (os.listdir(folder) if os.path.isdir(folder) else []):",
      "        try:",
      "            with open(os.path.join(folder, name)) as f:",
      "                text = f.read()",
      "        except OSError:",
      "            continue",
      "        seen += [f'{folder}/{name}:{token}' for token in others if token in text]",
      "for folder in folders:",
      "    try:",
      "        with open(f'{folder}/left-by-{mine}', 'w') as f:",
      "            f.write(mine)",
      "    except OSError:",
      "        pass",
      "print(' '.join(seen) or mine)",
    ].join("\n");
    const tests = stdinProblem([
      [
        ["11\n", "11"],
        ["22\n", "22"],
        ["33\n", "33"],
      ],
    ]);
    const [result] = await judge.judge(tests, [{ language: "python", code }], { allTests: true });
    expect(result.failure?.message ?? "").toBe("");
    expect(result).toMatchObject({ verdict: "AC", tests_run: 3 });
  });

  it("runs every test with all_tests and still reports the first failure", async () => {
    const code = "n = int(input())\nprint(0 if n in (3, 7) else n * 2)";
    const [stopped] = await judge.judge(problem, [{ language: "python", code }]);
    const [all] = await judge.judge(problem, [{ language: "python", code }], { allTests: true });
    expect(stopped).toMatchObject({ verdict: "WA", tiers_passed: 1, tests_run: 2 });
    expect(all).toMatchObject({ verdict: "WA", tiers_passed: 1, tests_run: 4, failure: { tier: 1, test: 0 } });
  });

  it("judges C++: AC, WA, CE, RE", async () => {
    const results = await judge.judge(problem, [
      { language: "cpp", code: '#include <cstdio>\nint main(){long long n; scanf("%lld", &n); printf("%lld\\n", 2*n);}' },
      { language: "cpp", code: '#include <cstdio>\nint main(){int n; scanf("%d", &n); printf("%d\\n", n > 6 ? 0 : 2*n);}' },
      { language: "cpp", code: "int main() { return undefined_name; }" },
      { language: "cpp", code: '#include <cstdio>\nint main(){int n; scanf("%d", &n); if (n == 5) return 3; printf("%d\\n", 2*n);}' },
    ]);
    expect(results.map((r) => r.verdict)).toEqual(["AC", "WA", "CE", "RE"]);
    expect(results[1]).toMatchObject({ tiers_passed: 2, failure: { tier: 2, test: 0 } });
    expect(results[2].failure!.message).toMatch(/undefined_name/);
    expect(results[3].failure!.message).toMatch(/exit code 3/);
  });

  it("tells TLE (CPU and sleeping), MLE and OLE apart", async () => {
    const tight = stdinProblem([[["1\n", "1"]]], { time_ms: 500, memory_mb: 48 });
    const results = await judge.judge(tight, [
      { id: "spin", language: "python", code: "while True: pass" },
      { id: "sleep", language: "python", code: "import time\ntime.sleep(60)" },
      { id: "hog", language: "python", code: "blocks = []\nwhile True: blocks.append(bytearray(1 << 20))" },
      { id: "flood", language: "python", code: "import sys\nwhile True: sys.stdout.write('y' * 65536)" },
      {
        id: "bad_alloc",
        language: "cpp",
        code: '#include <vector>\n#include <cstdio>\nint main(){ std::vector<char> v(size_t(1) << 32); printf("%d", v[9]); }',
      },
      {
        id: "static",
        language: "cpp",
        code: '#include <cstdio>\nchar big[200 << 20];\nint main(){ int i; scanf("%d", &i); big[i] = 1; printf("%d", big[i]); }',
      },
    ]);
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(byId.spin).toMatchObject({ verdict: "TLE" });
    expect(byId.spin.time_ms).toBeGreaterThanOrEqual(500);
    expect(byId.sleep).toMatchObject({ verdict: "TLE" });
    expect(byId.sleep.failure!.message).toMatch(/wall-clock/);
    expect(byId.hog).toMatchObject({ verdict: "MLE" });
    expect(byId.flood).toMatchObject({ verdict: "OLE" });
    expect(byId.bad_alloc).toMatchObject({ verdict: "MLE" });
    expect(byId.static).toMatchObject({ verdict: "MLE" });
    expect(byId.static.failure!.message).toMatch(/static data/);
  });

  it("compiles a C++ source once and serves it from the cache afterwards", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "executor-cache-"));
    try {
      const compiler = new CppCompiler({
        gxx: "/usr/bin/g++",
        gxxVersion: "test",
        cacheDir,
        sandbox: { python: "/usr/bin/python3", uid: process.getuid?.() === 0 ? 61007 : undefined, gid: process.getuid?.() === 0 ? 61007 : undefined },
      });
      const source = "int main() { return 0; }\n";
      const first = await compiler.compile(source);
      const second = await compiler.compile(source);
      expect(first).toMatchObject({ ok: true, cached: false });
      expect(second).toMatchObject({ ok: true, cached: true, binary: first.ok ? first.binary : "" });
      const broken = await compiler.compile("int main( {");
      const brokenAgain = await compiler.compile("int main( {");
      expect(broken).toMatchObject({ ok: false, cached: false });
      expect(brokenAgain).toMatchObject({ ok: false, cached: true });
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe("functional problems", () => {
  const problem = {
    id: "f",
    kind: "functional" as const,
    function: { name: "scale" },
    limits: { time_ms: 2000, memory_mb: 128 },
    tiers: [
      { name: "small", tests: [{ input: "[1, 2]\n3", output: "[3, 6]" }] },
      {
        name: "large",
        tests: [
          { input: "[0.5]\n0.2", output: "[0.1]" },
          { input: "[]\n9", output: "[]" },
        ],
      },
    ],
  };

  it("calls a Solution method or a top-level function in Python; tuples are lists; floats within tolerance", async () => {
    const results = await judge.judge(problem, [
      {
        language: "python",
        code: "class Solution:\n    def scale(self, xs, k):\n        print('debug output is ignored')\n        return tuple(x * k for x in xs)",
      },
      { language: "python", code: "def scale(xs, k):\n    return [x * k for x in xs]" },
      { language: "python", code: "def scale(xs, k):\n    return [round(x * k) for x in xs]" },
      { language: "python", code: "def other(xs, k):\n    return xs" },
    ]);
    expect(results.map((r) => r.verdict)).toEqual(["AC", "AC", "WA", "CE"]);
    expect(results[2]).toMatchObject({ tiers_passed: 1, failure: { tier: 1, test: 0 } });
  });

  it("calls a Solution method or a free function in C++", async () => {
    const results = await judge.judge(problem, [
      {
        language: "cpp",
        code: 'class Solution {\npublic:\n  vector<double> scale(vector<double>& xs, double k) { vector<double> r; for (double x : xs) r.push_back(x * k); cout << "noise"; return r; }\n};',
      },
      {
        language: "cpp",
        code: "vector<long long> scale(vector<double> xs, double k) { vector<long long> r; for (double x : xs) r.push_back((long long)(x * k)); return r; }",
      },
    ]);
    expect(results.map((r) => r.verdict)).toEqual(["AC", "WA"]);
  });
});

describe("assert problems", () => {
  const python = {
    id: "a",
    kind: "assert" as const,
    limits: { time_ms: 2000, memory_mb: 128 },
    tiers: [
      { name: "base", tests: [{ input: "def check(candidate):\n    assert candidate(1) == 2\n\ncheck(inc)\n", output: "" }] },
      {
        name: "plus",
        tests: [{ input: "def check(candidate):\n    assert candidate(-5) == -4\n    assert candidate(10**20) == 10**20 + 1\n\ncheck(inc)\n", output: "" }],
      },
    ],
  };

  it("runs the test code after the program in Python", async () => {
    const results = await judge.judge(python, [
      { language: "python", code: "def inc(x):\n    return x + 1" },
      { language: "python", code: "def inc(x):\n    return x + 1 if x > 0 else x" },
      { language: "python", code: "def inc(x):\n    return None + 1" },
      { language: "python", code: "import sys\nsys.exit(0)\ndef inc(x):\n    return x + 1" },
    ]);
    expect(results.map((r) => r.verdict)).toEqual(["AC", "WA", "RE", "RE"]);
    expect(results[1]).toMatchObject({ tiers_passed: 1, failure: { tier: 1, test: 0, verdict: "WA" } });
    expect(results[3].failure!.message).toMatch(/before the test code finished/);
  });

  it("compiles program and test code together in C++", async () => {
    const cpp = {
      ...python,
      tiers: [{ name: "base", tests: [{ input: "#include <cassert>\nint main() { assert(inc(1) == 2); assert(inc(-1) == 0); }", output: "" }] }],
    };
    const results = await judge.judge(cpp, [
      { language: "cpp", code: "int inc(int x) { return x + 1; }" },
      { language: "cpp", code: "int inc(int x) { return x > 0 ? x + 1 : x; }" },
      { language: "cpp", code: "#include <cstdlib>\nint inc(int x) { std::exit(0); }" },
    ]);
    expect(results.map((r) => r.verdict)).toEqual(["AC", "WA", "RE"]);
  });
});

describe("without a sandbox", () => {
  it("reports SE with the reason instead of running unsandboxed", async () => {
    const saved = process.env.PATH;
    const savedBwrap = process.env.EXECUTOR_BWRAP;
    const { resetBwrapLookup } = await import("../../../workers/executor/src/sandbox/bwrap.ts");
    try {
      process.env.PATH = "/nonexistent";
      process.env.EXECUTOR_BWRAP = "/nonexistent/bwrap";
      resetBwrapLookup();
      const lonely = new Judge({ concurrency: 1, isolation: "bwrap" });
      const [result] = await lonely.judge(stdinProblem([[["1\n", "1"]]]), [{ language: "python", code: "print(1)" }]);
      expect(result).toMatchObject({ verdict: "SE", tests_run: 0 });
      expect(result.failure!.message).toMatch(/bwrap/);
      const probe = await lonely.probe();
      expect(probe).toMatchObject({ available: false, isolation: "bwrap" });
      expect(probe.reason).toMatch(/bwrap/);
      // "auto" falls back to the uid isolation where bwrap cannot run, which needs root.
      const auto = new Judge({ concurrency: 1, sandboxUidBase: 62000 + (process.pid % 100) * 20 });
      if (process.getuid?.() === 0) {
        expect(auto.isolation()).toBe("uid");
        const [judged] = await auto.judge(stdinProblem([[["1\n", "1"]]]), [{ language: "python", code: "print(1)" }]);
        expect(judged).toMatchObject({ verdict: "AC" });
        await auto.close();
      } else {
        expect(auto.isolation()).toBe("bwrap");
      }
    } finally {
      process.env.PATH = saved;
      if (savedBwrap === undefined) delete process.env.EXECUTOR_BWRAP;
      else process.env.EXECUTOR_BWRAP = savedBwrap;
      resetBwrapLookup();
    }
  });
});
