import { describe, expect, it } from "vitest";
import { MetricsInputError, failAtK, passAtK, passAtKReport, seededRandom } from "../../../../src/domain/metrics/index.ts";
import { exactFailAtK, exactPassAtK } from "./exact.ts";

const relativeError = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want));

describe("passAtK", () => {
  it("matches hand-worked cases", () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 15);
    // 1 − C(3,2)/C(5,2) = 1 − 3/10
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 15);
    // 1 − C(7,3)/C(10,3) = 1 − 35/120
    expect(passAtK(10, 3, 3)).toBeCloseTo(85 / 120, 15);
    expect(passAtK(4, 1, 4)).toBe(1);
    expect(passAtK(6, 2, 5)).toBe(1); // fewer than k wrong samples: any k contain a correct one
    expect(passAtK(100, 0, 50)).toBe(0);
    expect(passAtK(100, 100, 1)).toBe(1);
    expect(passAtK(100, 7, 0)).toBe(0);
    expect(failAtK(5, 2, 2)).toBeCloseTo(0.3, 15);
  });

  // (n, c, k), many with n = 100,000; both product forms (c ≤ k and c > k) and both output paths
  // (1 − fail, and −expm1 for tiny pass values) are covered.
  const table: [number, number, number][] = [
    [1, 0, 1],
    [1, 1, 1],
    [2, 1, 1],
    [2, 1, 2],
    [20, 3, 10],
    [200, 37, 100],
    [200, 199, 2],
    [1000, 1, 999],
    [1000, 500, 10],
    [1000, 10, 500],
    [10_000, 1, 1],
    [10_000, 9_999, 1],
    [10_000, 123, 4_567],
    [100_000, 1, 1],
    [100_000, 2, 1],
    [100_000, 3, 2],
    [100_000, 1, 99_999],
    [100_000, 99_999, 1],
    [100_000, 50_000, 3],
    [100_000, 5, 95_000],
    [100_000, 5, 99_990],
    [100_000, 2_000, 20_000],
    [100_000, 30_000, 5_000],
    [100_000, 99_000, 1_000],
    [100_000, 99_000, 1_001],
    [100_000, 100_000, 100_000],
    [100_000, 0, 100_000],
    [100_000, 10, 10],
    [100_000, 700, 7],
  ];
  it.each(table)("is exact for n=%i c=%i k=%i against BigInt binomials", (n, c, k) => {
    // Each product factor is rounded once: allow a few ulps per factor.
    const tolerance = 4 * (Math.min(c, k) + 2) * 2 ** -53;
    const want = exactPassAtK(n, c, k);
    expect(relativeError(passAtK(n, c, k), want)).toBeLessThanOrEqual(tolerance);
    const wantFail = exactFailAtK(n, c, k);
    if (wantFail > 1e-300) expect(relativeError(failAtK(n, c, k), wantFail)).toBeLessThanOrEqual(tolerance);
    else expect(failAtK(n, c, k)).toBeLessThan(1e-290);
  });

  it("keeps relative precision on tiny pass values", () => {
    // 1 − (1 − 1e-5)·… would lose about 5 digits; the log path must not.
    expect(relativeError(passAtK(100_000, 1, 1), 1e-5)).toBeLessThan(1e-15);
    expect(relativeError(passAtK(100_000, 3, 2), exactPassAtK(100_000, 3, 2))).toBeLessThan(1e-14);
  });

  it("is monotone in k and in c (seeded random cases)", () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(random() * 2000);
      const c = Math.floor(random() * (n + 1));
      const k = 1 + Math.floor(random() * n);
      const v = passAtK(n, c, k);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      if (k < n) expect(passAtK(n, c, k + 1)).toBeGreaterThanOrEqual(v);
      if (c < n) expect(passAtK(n, c + 1, k)).toBeGreaterThanOrEqual(v);
      // Strictly better with one more sample, unless already certain or hopeless.
      if (c > 0 && k < n && v < 1 - 1e-9) expect(passAtK(n, c, k + 1)).toBeGreaterThan(v);
    }
  });

  it("rejects impossible arguments", () => {
    expect(() => passAtK(5, 6, 1)).toThrow(RangeError);
    expect(() => passAtK(5, 2, 6)).toThrow(RangeError);
    expect(() => passAtK(-1, 0, 0)).toThrow(RangeError);
    expect(() => passAtK(5, 1.5, 1)).toThrow(RangeError);
  });
});

describe("passAtKReport", () => {
  const rows = [
    { problem: "a", n: 10, c: 3 },
    { problem: "b", n: 5, c: 0 },
    { problem: "c", n: 8, c: 8 },
  ];

  it("averages over problems, skips k above the smallest n, and gives a standard error", () => {
    const r = passAtKReport(rows, [1, 5, 10, 100]);
    expect(r["pass@1"]).toBeCloseTo((0.3 + 0 + 1) / 3, 15);
    // pass@5: a → 1 − C(7,5)/C(10,5) = 1 − 21/252
    expect(r["pass@5"]).toBeCloseTo((1 - 21 / 252 + 0 + 1) / 3, 15);
    expect(r.skipped_k).toEqual([10, 100]);
    expect(r).not.toHaveProperty("pass@10");
    expect(r.problems).toBe(3);
    expect(r.min_n).toBe(5);
    const xs = [0.3, 0, 1];
    const m = xs.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / 2);
    expect(r.se["pass@1"]).toBeCloseTo(sd / Math.sqrt(3), 15);
    expect(r.ci).toBeUndefined();
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("gives no standard error for a single problem", () => {
    expect(passAtKReport([{ problem: "x", n: 4, c: 1 }], [1]).se["pass@1"]).toBeNull();
  });

  it("bootstraps deterministically for a seed", () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ problem: `p${i}`, n: 20, c: (i * 7) % 21 }));
    const a = passAtKReport(many, [1, 10], { bootstrap: { resamples: 400, seed: 42 } });
    const b = passAtKReport(many, [1, 10], { bootstrap: { resamples: 400, seed: 42 } });
    const other = passAtKReport(many, [1, 10], { bootstrap: { resamples: 400, seed: 43 } });
    expect(a.ci).toEqual(b.ci);
    expect(other.ci).not.toEqual(a.ci);
    for (const key of ["pass@1", "pass@10"] as const) {
      const [lo, hi] = a.ci![key];
      expect(lo).toBeLessThan(a[key]);
      expect(hi).toBeGreaterThan(a[key]);
      // A 95% percentile interval of a mean spans roughly ±2 standard errors.
      expect((hi - lo) / (2 * a.se[key]!)).toBeGreaterThan(1.5);
      expect((hi - lo) / (2 * a.se[key]!)).toBeLessThan(2.5);
    }
  });

  it("rejects bad input with every issue named", () => {
    expect(() => passAtKReport([{ problem: "a", n: 3, c: 4 }], [1])).toThrow(/c=4 exceeds n=3/);
    expect(() =>
      passAtKReport(
        [
          { problem: "a", n: 3, c: 1 },
          { problem: "a", n: 3, c: 1 },
        ],
        [1],
      ),
    ).toThrow(/more than once: a/);
    expect(() => passAtKReport(rows, [0])).toThrow(MetricsInputError);
    expect(() => passAtKReport([], [1])).toThrow(/no problems/);
  });
});
