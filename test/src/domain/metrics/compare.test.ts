import { describe, expect, it } from "vitest";
import { MetricsInputError, pairedComparison } from "../../../../src/domain/metrics/index.ts";

describe("pairedComparison", () => {
  // p1: A 1/2, B 2/2; p2: A 0/2, B 1/2. pass@1 differences: 0.5 and 0.5 → 0.5, SE 0, CI [0.5, 0.5].
  // pass@2: A p1 = 1, p2 = 0; B p1 = 1, p2 = 1 → differences 0 and 1: mean 0.5, SE = (√0.5)/√2 = 0.5.
  const a = [
    { problem: "p1", n: 2, c: 1 },
    { problem: "p2", n: 2, c: 0 },
  ];
  const b = [
    { problem: "p2", n: 2, c: 1 },
    { problem: "p1", n: 2, c: 2 },
  ];

  it("matches hand-worked differences, standard errors and paired intervals", () => {
    const r = pairedComparison(a, b, [1, 2, 3], { resamples: 4000, seed: 5 });
    expect(r.problems).toBe(2);
    expect(r.skipped_k).toEqual([3]);
    const [d1, d2] = r.differences;
    expect(d1).toEqual({ k: 1, a: 0.25, b: 0.75, difference: 0.5, se: 0, ci: [0.5, 0.5] });
    expect(d2).toMatchObject({ k: 2, a: 0.5, b: 1, difference: 0.5 });
    expect(d2.se).toBeCloseTo(0.5, 15);
    // Resamples of two problems: both p1 (¼) → 0, mixed (½) → 0.5, both p2 (¼) → 1.
    expect(d2.ci).toEqual([0, 1]);
    expect(pairedComparison(a, b, [1, 2, 3], { resamples: 4000, seed: 5 })).toEqual(r);
  });

  it("pairing cancels what the problems share", () => {
    // B = A + one extra solve on each problem; problems differ wildly in difficulty.
    const A = Array.from({ length: 40 }, (_, i) => ({ problem: `p${i}`, n: 10, c: i % 10 }));
    const B = A.map((r) => ({ ...r, c: r.c + 1 }));
    const [d] = pairedComparison(A, B, [1]).differences;
    expect(d.difference).toBeCloseTo(0.1, 14);
    expect(d.ci[0]).toBeCloseTo(0.1, 14);
    expect(d.ci[1]).toBeCloseTo(0.1, 14);
  });

  it("rejects different problem sets", () => {
    expect(() => pairedComparison(a, [b[0]], [1])).toThrow(MetricsInputError);
    expect(() => pairedComparison(a, [b[0]], [1])).toThrow(/problems only in A: p1/);
    expect(() => pairedComparison(a, b, [0])).toThrow(/positive integers/);
  });
});
