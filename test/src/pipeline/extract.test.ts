// Code extraction and verdict-cache keys (pure).
import { describe, expect, it } from "vitest";
import { extractCode, guessLanguage } from "../../../src/domain/extract.ts";
import { normaliseCode, verdictKey } from "../../../src/domain/verdict-key.ts";

const py = { target: "python" as const };

describe("extractCode", () => {
  it("takes the last block that looks like the target language", () => {
    const text = "First try:\n```python\nprint(1)\n```\nOutput:\n```\n1\n```\nBetter:\n```py\nprint(2)\n```\nDone.";
    expect(extractCode(text, py)).toEqual({ ok: true, language: "python", code: "print(2)\n", from: "fence" });
  });

  it("prefers the target language over a later block in another judged language, and falls back to it when alone", () => {
    const both = "```python\nprint(1)\n```\n```cpp\n#include <cstdio>\nint main(){}\n```";
    expect(extractCode(both, py)).toMatchObject({ ok: true, language: "python", code: "print(1)\n" });
    const cppOnly = "```cpp\n#include <cstdio>\nint main(){ return 0; }\n```";
    expect(extractCode(cppOnly, py)).toMatchObject({ ok: true, language: "cpp" });
  });

  it("reads untagged and unterminated fences, and bare code", () => {
    expect(extractCode("```\nimport sys\nprint(sys.stdin.read())\n```", py)).toMatchObject({ ok: true, language: "python" });
    expect(extractCode("Sure:\n```python\nn = int(input())\nprint(n * 2)", py)).toMatchObject({ ok: true, code: "n = int(input())\nprint(n * 2)\n" });
    expect(extractCode("def solve():\n    return 1\n", py)).toMatchObject({ ok: true, from: "bare" });
  });

  it("answers a reason when there is no code", () => {
    expect(extractCode("", py)).toEqual({ ok: false, reason: "empty completion" });
    expect(extractCode("I don't know.", py)).toMatchObject({ ok: false, reason: expect.stringContaining("no code found") });
    expect(extractCode("```java\nclass A {}\n```", py)).toMatchObject({ ok: false, reason: expect.stringContaining("found: java") });
  });

  it("puts a HumanEval prompt back in front of a body-only completion", () => {
    const starter = 'def add(a, b):\n    """Add."""\n';
    expect(extractCode("    return a + b\n", { target: "python", kind: "assert", starterCode: starter, functionName: "add" })).toEqual({
      ok: true,
      language: "python",
      from: "starter",
      code: `${starter}    return a + b\n`,
    });
    const whole = "```python\ndef add(a, b):\n    return a + b\n```";
    expect(extractCode(whole, { target: "python", kind: "assert", starterCode: starter, functionName: "add" })).toMatchObject({
      from: "fence",
      code: "def add(a, b):\n    return a + b\n",
    });
  });

  it("guesses languages", () => {
    expect(guessLanguage("#include <bits/stdc++.h>\nint main(){}")).toBe("cpp");
    expect(guessLanguage("print(input())")).toBe("python");
    expect(guessLanguage("42")).toBeNull();
  });
});

describe("verdict keys", () => {
  const base = {
    language: "python" as const,
    code: "print(1)\n",
    benchmarkVersion: `sha256:${"a".repeat(64)}`,
    problemId: "p",
    executorVersion: "frontier-executor/2 python/3.11.2 g++/12 retime/1.5",
    limits: { time_ms: 1000, memory_mb: 256, retime_factor: 1.5 },
  };

  it("ignores line endings and trailing whitespace, nothing else", async () => {
    expect(normaliseCode("a = 1  \r\nprint(a)\t\r\n\r\n")).toBe("a = 1\nprint(a)\n");
    const key = await verdictKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await verdictKey({ ...base, code: "print(1)   \r\n\n" })).toBe(key);
    expect(await verdictKey({ ...base, code: "print( 1)\n" })).not.toBe(key);
    expect(await verdictKey({ ...base, language: "cpp" })).not.toBe(key);
    expect(await verdictKey({ ...base, benchmarkVersion: `sha256:${"b".repeat(64)}` })).not.toBe(key);
    expect(await verdictKey({ ...base, problemId: "q" })).not.toBe(key);
    expect(await verdictKey({ ...base, limits: { ...base.limits, time_ms: 2000 } })).not.toBe(key);
    expect(await verdictKey({ ...base, limits: { ...base.limits, memory_mb: 512 } })).not.toBe(key);
    expect(await verdictKey({ ...base, limits: { ...base.limits, retime_factor: 1 } })).not.toBe(key);
    // another executor version (or language runtime) is another verdict
    expect(await verdictKey({ ...base, executorVersion: "frontier-executor/2 python/3.12.1 g++/12 retime/1.5" })).not.toBe(key);
    expect(await verdictKey({ ...base, executorVersion: "frontier-executor/3 python/3.11.2 g++/12 retime/1.5" })).not.toBe(key);
    // fields are length-prefixed: moving text between id and code cannot collide
    expect(await verdictKey({ ...base, problemId: "p\n1", code: "x\n" })).not.toBe(await verdictKey({ ...base, problemId: "p", code: "1\nx\n" }));
  });
});
