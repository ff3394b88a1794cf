// Stable verdicts: a TLE just over the limit (CPU under retime_factor × limit) is judged again and
// the better result kept; a run well over the limit is killed at the ceiling and not retimed.
import { afterAll, describe, expect, it } from "vitest";
import type { JudgeResult } from "@frontier/contracts";
import { betterResult, Judge, judgeWithRetime, measureSpeedFactor, shouldRetime } from "../../../workers/executor/src/judge.ts";
import { strayProcesses, stdinProblem } from "./helpers.ts";

afterAll(() => {
  expect(strayProcesses()).toEqual([]);
});

function tle(cpu: number, message = `CPU time ${cpu} ms > 1000 ms`): JudgeResult {
  return { verdict: "TLE", tiers_passed: 0, failure: { tier: 0, test: 0, verdict: "TLE", time_ms: cpu, message }, time_ms: cpu, memory_kb: 1 };
}
const ac: JudgeResult = { verdict: "AC", tiers_passed: 1, failure: null, time_ms: 650, memory_kb: 1 };

describe("the retime rule", () => {
  it("retimes a TLE strictly over the limit and under factor × limit, nothing else", () => {
    expect(shouldRetime(tle(1051), 1000, 1.5)).toBe(true); // the find_loop.py run
    expect(shouldRetime(tle(1001), 1000, 1.5)).toBe(true);
    expect(shouldRetime(tle(1499), 1000, 1.5)).toBe(true);
    expect(shouldRetime(tle(1500), 1000, 1.5)).toBe(false); // killed at the ceiling: well over
    expect(shouldRetime(tle(1540), 1000, 1.5)).toBe(false);
    expect(shouldRetime(tle(3000), 1000, 1.5)).toBe(false);
    expect(shouldRetime(tle(1000), 1000, 1.5)).toBe(false); // not over the limit: a wall-clock TLE
    expect(shouldRetime(tle(3, "wall-clock cap reached (3000 ms)"), 1000, 1.5)).toBe(false); // sleeping
    expect(shouldRetime(tle(1051), 1000, 1)).toBe(false); // factor 1: retiming off
    expect(shouldRetime(ac, 1000, 1.5)).toBe(false);
    const wa: JudgeResult = { ...tle(1051), verdict: "WA", failure: { tier: 0, test: 0, verdict: "WA", time_ms: 1051 } };
    expect(shouldRetime(wa, 1000, 1.5)).toBe(false);
  });

  it("keeps the better result: AC, else more tiers, else the first", () => {
    expect(betterResult(tle(1051), ac)).toBe(ac);
    expect(betterResult(ac, tle(1051))).toBe(ac);
    const further = { ...tle(1100), tiers_passed: 2 };
    expect(betterResult(tle(1051), further)).toBe(further);
    const first = tle(1051);
    expect(betterResult(first, tle(1020))).toBe(first);
  });

  it("a TLE just over the limit that is AC on its rerun is AC with retimed: true", async () => {
    const runs = [tle(1051), ac];
    let calls = 0;
    const result = await judgeWithRetime(async () => runs[calls++], 1000, 1.5);
    expect(calls).toBe(2);
    expect(result).toEqual({ ...ac, retimed: true, attempts: 2 });
  });

  it("a TLE well over the limit is judged once", async () => {
    let calls = 0;
    const result = await judgeWithRetime(
      async () => {
        calls++;
        return tle(1500);
      },
      1000,
      1.5,
    );
    expect(calls).toBe(1);
    expect(result.retimed).toBeUndefined();
    expect(result.attempts).toBeUndefined();
  });

  it("measures a positive speed factor", () => {
    expect(measureSpeedFactor()).toBeGreaterThan(0);
  });
});

describe("retiming in the real sandbox", () => {
  // A generous wall cap: under load (other test files judging on the same cores) the default
  // 2·limit + 1 s wall cap can stop a spinning program before it reaches the CPU ceiling, and a
  // wall-stopped run with CPU between the limit and the ceiling is (rightly) retimed.
  const judge = new Judge({ concurrency: 2, wallFactor: 20 });
  const problem = stdinProblem([[["1\n", "1"]]], { time_ms: 400, memory_mb: 64 });
  // Burns `ms` of its own CPU time, then answers: CPU time barely depends on load.
  const burn = (ms: number) => `import time\nend = time.process_time() + ${ms / 1000}\nwhile time.process_time() < end: pass\nprint(input())`;

  it("runs a program just over the limit twice (TLE both times: retimed, still TLE)", async () => {
    const [result] = await judge.judge(problem, [{ id: "just", language: "python", code: burn(480) }]);
    expect(result).toMatchObject({ id: "just", verdict: "TLE", retimed: true, attempts: 2 });
    expect(result.failure!.time_ms).toBeGreaterThan(400);
    expect(result.failure!.time_ms).toBeLessThan(600);
  });

  it("kills a program well over the limit at factor × limit and does not rerun it", async () => {
    const [result] = await judge.judge(problem, [{ id: "spin", language: "python", code: "while True: pass" }]);
    expect(result).toMatchObject({ id: "spin", verdict: "TLE" });
    expect(result.retimed).toBeUndefined();
    expect(result.attempts).toBeUndefined();
    expect(result.failure!.time_ms).toBeGreaterThanOrEqual(600); // the kill ceiling, 1.5 × 400
    expect(result.failure!.message).toMatch(/> 400 ms/);
  });

  it("a program within the limit is AC and judged once", async () => {
    const [result] = await judge.judge(problem, [{ id: "quick", language: "python", code: burn(100) }]);
    expect(result).toMatchObject({ verdict: "AC" });
    expect(result.attempts).toBeUndefined();
  });
});
