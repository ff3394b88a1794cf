import { describe, expect, it } from "vitest";
import { countsFromVerdicts, failureBreakdown, seededRandom, type VerdictRow } from "../../../../src/domain/metrics/index.ts";
import { VERDICTS } from "@frontier/contracts";

const v = (verdict: VerdictRow["verdict"], tiers_passed: number, problem = "p"): VerdictRow => ({ problem, verdict, tiers_passed });

describe("failureBreakdown", () => {
  // Three tiers. 10 samples: 3 AC, 2 WA at tier 0, 1 RE at tier 1, 2 TLE at tier 2, 1 MLE at tier 1, 1 SE.
  const rows = [v("AC", 3), v("AC", 3), v("AC", 3), v("WA", 0), v("WA", 0), v("RE", 1), v("TLE", 2), v("TLE", 2), v("MLE", 1), v("SE", 0)];

  it("splits judged samples into pass, correctness and efficiency failures, SE apart", () => {
    const b = failureBreakdown(rows);
    expect(b.samples).toBe(10);
    expect(b.system_errors).toBe(1);
    expect(b.system_error_rate).toBeCloseTo(0.1, 15);
    expect(b.judged).toBe(9);
    expect(b.pass_rate).toBeCloseTo(3 / 9, 15);
    expect(b.correctness_failure_rate).toBeCloseTo(3 / 9, 15);
    expect(b.efficiency_failure_rate).toBeCloseTo(3 / 9, 15);
    expect(b.by_verdict).toEqual({ AC: 3, WA: 2, TLE: 2, MLE: 1, RE: 1, CE: 0, OLE: 0, SE: 1, NC: 0 });
    expect(b.other_failure_rate).toBe(0);
  });

  it("keeps CE, OLE and NC out of both rates (the paper's split: WA+RE vs TLE+MLE)", () => {
    // 8 judged: AC, WA, RE, TLE, MLE, CE, OLE, NC (all failing at tier 0 of one tier).
    const b = failureBreakdown([v("AC", 1), v("WA", 0), v("RE", 0), v("TLE", 0), v("MLE", 0), v("CE", 0), v("OLE", 0), v("NC", 0)]);
    expect(b.judged).toBe(8);
    expect(b.correctness_failure_rate).toBe(2 / 8);
    expect(b.efficiency_failure_rate).toBe(2 / 8);
    expect(b.other_failure_rate).toBe(3 / 8);
    expect(b.pass_rate).toBe(1 / 8);
    expect(b.by_verdict).toMatchObject({ CE: 1, OLE: 1, NC: 1 });
    expect(b.tiers).toEqual([{ tier: 0, pass_rate: 1 / 8, correctness_failure_rate: 2 / 8, efficiency_failure_rate: 2 / 8, other_failure_rate: 3 / 8 }]);
  });

  it("reports each nested tier: judged on tiers 0..t only", () => {
    const b = failureBreakdown(rows);
    expect(b.tiers.map((t) => t.tier)).toEqual([0, 1, 2]);
    // Tier 0: only the two WA fail there.
    expect(b.tiers[0]).toEqual({ tier: 0, pass_rate: 7 / 9, correctness_failure_rate: 2 / 9, efficiency_failure_rate: 0, other_failure_rate: 0 });
    // Tier 1: + RE and MLE.
    expect(b.tiers[1]).toEqual({ tier: 1, pass_rate: 5 / 9, correctness_failure_rate: 3 / 9, efficiency_failure_rate: 1 / 9, other_failure_rate: 0 });
    // Tier 2 (the full suite) equals the overall rates.
    expect(b.tiers[2].pass_rate).toBeCloseTo(b.pass_rate!, 15);
    expect(b.tiers[2].correctness_failure_rate).toBeCloseTo(b.correctness_failure_rate!, 15);
    expect(b.tiers[2].efficiency_failure_rate).toBeCloseTo(b.efficiency_failure_rate!, 15);
  });

  it("never lets SE change the program's rates", () => {
    const withoutSE = failureBreakdown(rows.filter((r) => r.verdict !== "SE"));
    const withMoreSE = failureBreakdown([...rows, v("SE", 0), v("SE", 2)]);
    for (const b of [withoutSE, withMoreSE]) {
      expect(b.pass_rate).toBeCloseTo(3 / 9, 15);
      expect(b.tiers).toEqual(failureBreakdown(rows).tiers);
    }
  });

  it("rates sum to one on every tier and pass rates never rise with more tiers (random samples)", () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 50; trial++) {
      const tiers = 1 + Math.floor(random() * 4);
      const sample = Array.from({ length: 1 + Math.floor(random() * 40) }, () => {
        const verdict = VERDICTS[Math.floor(random() * VERDICTS.length)];
        return v(verdict, verdict === "AC" ? tiers : Math.floor(random() * tiers));
      });
      const b = failureBreakdown(sample, { tiers });
      if (b.judged === 0) {
        expect(b.pass_rate).toBeNull();
        expect(b.tiers).toEqual([]);
        continue;
      }
      expect(b.tiers).toHaveLength(tiers);
      for (const t of b.tiers) expect(t.pass_rate + t.correctness_failure_rate + t.efficiency_failure_rate + t.other_failure_rate).toBeCloseTo(1, 12);
      for (let t = 1; t < tiers; t++) expect(b.tiers[t].pass_rate).toBeLessThanOrEqual(b.tiers[t - 1].pass_rate);
      expect(b.tiers[tiers - 1].pass_rate).toBeCloseTo(b.pass_rate!, 12);
    }
  });

  it("counts an AC on a problem with fewer tiers as passing every later tier", () => {
    const b = failureBreakdown([v("AC", 1, "short"), v("TLE", 2, "long")], { tiers: 3 });
    expect(b.tiers.map((t) => t.pass_rate)).toEqual([1, 1, 0.5]);
  });
});

describe("countsFromVerdicts", () => {
  it("counts judged samples and AC per problem, leaving SE out", () => {
    const counts = countsFromVerdicts([v("AC", 1, "a"), v("WA", 0, "a"), v("SE", 0, "a"), v("SE", 0, "b"), v("TLE", 0, "c")]);
    expect(counts).toEqual([
      { problem: "a", n: 2, c: 1 },
      { problem: "b", n: 0, c: 0 },
      { problem: "c", n: 1, c: 0 },
    ]);
  });
});
