// The wait for one executor judge request is sized to the work it carries (issue 16: a request
// lost on the way must not hold the executions queue for the old flat ten minutes).
import { describe, expect, it } from "vitest";
import { JUDGE_TIMEOUT, judgeTimeoutMs } from "../../../src/domain/judge-timeout.ts";

describe("judgeTimeoutMs", () => {
  it("is the base plus one round of `parallelism` programs at the wall cap of every assumed test", () => {
    // 3 tiers × 4 tests × (1000 ms × 3 + 1000 ms) = 48 s per round
    expect(judgeTimeoutMs(1, { timeMs: 1000, tiers: 3 })).toBe(30_000 + 48_000);
    expect(judgeTimeoutMs(2, { timeMs: 1000, tiers: 3 })).toBe(30_000 + 48_000);
    expect(judgeTimeoutMs(7, { timeMs: 1000, tiers: 3 })).toBe(30_000 + 4 * 48_000);
    // 1 tier × 4 × (400 × 3 + 1000) = 8.8 s
    expect(judgeTimeoutMs(3, { timeMs: 400, tiers: 1 })).toBe(30_000 + 2 * 8_800);
  });

  it("never waits longer than the ceiling (ten minutes), and counts at least one program and one tier", () => {
    expect(judgeTimeoutMs(32, { timeMs: 1000, tiers: 3 })).toBe(JUDGE_TIMEOUT.ceilingMs);
    expect(judgeTimeoutMs(0, { timeMs: 1000, tiers: 0 })).toBe(30_000 + 16_000);
  });
});
