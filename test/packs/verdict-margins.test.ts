// The margin rule of `npm run packs:verdicts` (issue 16): no bundled verdict may sit within a factor
// of 2 of its time limit, either way, or the machine's load decides it.
import { describe, expect, it } from "vitest";
import { MARGIN, marginViolations } from "../../packs/generator/verdicts.ts";

describe("marginViolations", () => {
  it("accepts AC at up to half the limit and TLE that is still TLE with the limit doubled", () => {
    expect(MARGIN).toBe(2);
    expect(
      marginViolations(1000, [
        { name: "fast.py", verdict: "AC", time_ms: 500 },
        { name: "quick.py", verdict: "AC", time_ms: 12 },
        { name: "slow.py", verdict: "TLE", time_ms: 1000, atDouble: "TLE" },
        { name: "wrong.py", verdict: "WA", time_ms: 990 },
      ]),
    ).toEqual([]);
  });

  it("rejects AC over half the limit, a TLE that passes or fails otherwise at twice the limit, and a TLE never re-judged", () => {
    expect(
      marginViolations(1000, [
        { name: "find_loop.py", verdict: "AC", time_ms: 651 },
        { name: "just_over.py", verdict: "TLE", time_ms: 1000, atDouble: "AC" },
        { name: "table.py", verdict: "TLE", time_ms: 1000, atDouble: "MLE" },
        { name: "unchecked.py", verdict: "TLE", time_ms: 1000 },
      ]),
    ).toEqual([
      "find_loop.py: AC in 651 ms, over half the 1000 ms limit",
      "just_over.py: TLE at 1000 ms but AC at 2000 ms (under twice the limit)",
      "table.py: TLE at 1000 ms but MLE at 2000 ms (under twice the limit)",
      "unchecked.py: TLE at 1000 ms but not judged at 2000 ms (under twice the limit)",
    ]);
  });
});
