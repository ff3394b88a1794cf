import { describe, expect, it } from "vitest";
import {
  MetricsInputError,
  ensemblePassAtK,
  ensembleValue,
  memberMatrix,
  passAtK,
  seededRandom,
  type MemberCountRow,
} from "../../../../src/domain/metrics/index.ts";

const row = (member: string, problem: string, n: number, c: number): MemberCountRow => ({ member, problem, n, c });

/** Random members × problems with member- and problem-specific solve rates. */
function randomRows(seed: number, members: number, problems: number, n: () => number): MemberCountRow[] {
  const random = seededRandom(seed);
  const skill = Array.from({ length: members }, () => random());
  const rows: MemberCountRow[] = [];
  for (let p = 0; p < problems; p++) {
    const ease = random();
    for (let m = 0; m < members; m++) {
      const nn = n();
      const rate = random() < 0.5 ? 0 : ease * skill[m];
      let c = 0;
      for (let s = 0; s < nn; s++) if (random() < rate) c++;
      rows.push(row(`m${m}`, `p${p}`, nn, c));
    }
  }
  return rows;
}

describe("ensemblePassAtK", () => {
  it("matches a hand-worked two-member split", () => {
    // Problem a: A has n=4, c=1; B has n=4, c=2. Budget 2, equal split: one sample each.
    // pass = 1 − (3/4)(2/4) = 0.625. Problem b: nobody solves it. Mean 0.3125.
    const rows = [row("A", "a", 4, 1), row("B", "a", 4, 2), row("A", "b", 4, 0), row("B", "b", 4, 0)];
    const r = ensemblePassAtK(rows, { budget: 2, selection: "in_sample", resamples: 0 });
    expect(r.allocation).toEqual({ A: 1, B: 1 });
    expect(r.ensemble).toBeCloseTo(0.3125, 15);
    // Alone at budget 2: A: 1 − C(3,2)/C(4,2) = 0.5; B: 1 − C(2,2)/C(4,2) = 5/6; halved by problem b.
    expect(r.single_at_budget).toEqual({ A: expect.closeTo(0.25, 15), B: expect.closeTo(5 / 12, 15) });
    expect(r.best_single).toEqual({ member: "B", value: expect.closeTo(5 / 12, 15) });
    expect(r.gain).toBeCloseTo(0.3125 - 5 / 12, 15);
    // Pooled: N=8, C=3, draw 2: 1 − C(5,2)/C(8,2) = 1 − 10/28; halved.
    expect(r.pooled_mixture).toBeCloseTo((1 - 10 / 28) / 2, 15);
    expect(r.warnings).toEqual([expect.stringMatching(/^selection in_sample: .* biased/)]);
    expect(r.selection).toBe("in_sample");
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("takes the equal split's remainder in exact expectation over which members get the extra samples", () => {
    // B = 2 over three members on one problem: each gets 0 plus one extra for a random 2-subset of 3.
    // x: n=4, c=1; y: n=4, c=0; z: n=4, c=2. One sample fails with 3/4, 1, 2/4.
    // Subsets {x,y}: 3/4·1, {x,z}: 3/4·2/4, {y,z}: 1·2/4 → mean fail (3/4 + 3/8 + 1/2)/3 = 13/24.
    const rows = [row("x", "p", 4, 1), row("y", "p", 4, 0), row("z", "p", 4, 2)];
    const r = ensemblePassAtK(rows, { budget: 2, selection: "in_sample", resamples: 0 });
    expect(r.ensemble).toBeCloseTo(1 - 13 / 24, 15);
    expect(r.allocation).toEqual({ x: 2 / 3, y: 2 / 3, z: 2 / 3 });
    expect(r.remainder).toEqual({ samples: 2, among: ["x", "y", "z"] });
    // Member order changes nothing.
    const reversed = ensemblePassAtK([...rows].reverse(), { budget: 2, selection: "in_sample", resamples: 0 });
    expect(reversed.ensemble).toBeCloseTo(r.ensemble, 15);
    // B = 8: 2 each and two extra among three → 8/3 expected each; no remainder when B divides.
    const r8 = ensemblePassAtK(
      ["x", "y", "z"].map((m) => row(m, "p", 10, 1)),
      { budget: 8, selection: "in_sample", resamples: 0 },
    );
    for (const m of ["x", "y", "z"]) expect(r8.allocation[m]).toBeCloseTo(8 / 3, 14);
    // Identical members (fail with k samples = (10 − k)/10): every subset gives k = (3, 3, 2) in some order.
    expect(r8.ensemble).toBeCloseTo(1 - (7 / 10) ** 2 * (8 / 10), 14);
    expect(
      ensemblePassAtK(
        ["x", "y", "z"].map((m) => row(m, "p", 10, 1)),
        { budget: 9, selection: "in_sample", resamples: 0 },
      ).remainder,
    ).toBeUndefined();
  });

  it("passes a share above a member's smallest n on to the others", () => {
    // x has only 2 samples on one problem; its equal share of 4 is capped and the rest cycles y, z.
    const rows = [row("x", "p", 10, 1), row("x", "q", 2, 0), row("y", "p", 10, 1), row("y", "q", 10, 0), row("z", "p", 10, 3), row("z", "q", 10, 1)];
    const r = ensemblePassAtK(rows, { budget: 12, resamples: 0 });
    expect(r.allocation).toEqual({ x: 2, y: 5, z: 5 });
    expect(r.warnings.join(" ")).toMatch(/capped at their smallest n: x; their share passed on equally/);
    // No member can take 12 alone on every problem? y and z can (n=10 < 12: no) — so no best single.
    expect(r.best_single).toBeNull();
    expect(r.gain).toBeNull();
  });

  it("splits by weight with largest remainders", () => {
    const rows = ["a", "b", "c"].map((m) => row(m, "p", 50, 5));
    expect(
      ensemblePassAtK(rows, { budget: 10, allocation: "proportional", weights: { a: 1, b: 1, c: 1 }, selection: "in_sample", resamples: 0 }).allocation,
    ).toEqual({ a: 4, b: 3, c: 3 });
    expect(
      ensemblePassAtK(rows, { budget: 10, allocation: "proportional", weights: { a: 0, b: 3, c: 1 }, selection: "in_sample", resamples: 0 }).allocation,
    ).toEqual({ a: 0, b: 8, c: 2 });
    expect(() => ensemblePassAtK(rows, { budget: 10, allocation: "proportional", weights: { a: 1 }, selection: "in_sample" })).toThrow(
      /no weight for member\(s\): b, c/,
    );
    expect(() => ensemblePassAtK(rows, { budget: 10, allocation: "proportional", selection: "in_sample" })).toThrow(MetricsInputError);
  });

  it("one member is its own pass@B", () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 20; trial++) {
      const rows = randomRows(trial, 1, 15, () => 20 + Math.floor(random() * 30));
      const B = 1 + Math.floor(random() * 20);
      for (const allocation of ["equal", "optimized"] as const) {
        const r = ensemblePassAtK(rows, { budget: B, allocation, resamples: 0 });
        const own = rows.reduce((a, x) => a + passAtK(x.n, x.c, B), 0) / rows.length;
        expect(r.allocation).toEqual({ m0: B });
        expect(r.ensemble).toBeCloseTo(own, 13);
        expect(r.best_single!.value).toBeCloseTo(own, 13);
        expect(r.gain).toBeCloseTo(0, 13);
      }
    }
  });

  it("an equal split of identical members never beats the single member at the same budget", () => {
    const random = seededRandom(12);
    for (let trial = 0; trial < 40; trial++) {
      const base = randomRows(100 + trial, 1, 10, () => 30);
      const M = 2 + Math.floor(random() * 4);
      const rows = Array.from({ length: M }, (_, m) => base.map((x) => ({ ...x, member: `copy${m}` }))).flat();
      const B = 1 + Math.floor(random() * 30);
      const r = ensemblePassAtK(rows, { budget: B, resamples: 0 });
      // Drawing from separate copies is drawing with replacement across copies: never better.
      expect(r.ensemble).toBeLessThanOrEqual(r.best_single!.value + 1e-12);
      expect(r.gain!).toBeLessThanOrEqual(1e-12);
    }
  });

  it("optimized beats the best single member on complementary members, and warns", () => {
    // a solves only p0..p4, b only p5..p9: the best split is even.
    const rows = ["a", "b"].flatMap((m, i) => Array.from({ length: 10 }, (_, p) => row(m, `p${p}`, 20, Math.floor(p / 5) === i ? 2 : 0)));
    const r = ensemblePassAtK(rows, { budget: 10, allocation: "optimized", selection: "in_sample", resamples: 0 });
    expect(r.allocation).toEqual({ a: 5, b: 5 });
    // Split: 1 − C(18,5)/C(20,5) = 1 − 210/380 on every problem. Alone: 1 − C(18,10)/C(20,10) = 1 − 90/380 on half.
    expect(r.ensemble).toBeCloseTo(1 - 210 / 380, 14);
    expect(r.gain).toBeCloseTo(1 - 210 / 380 - (1 - 90 / 380) / 2, 14);
    expect(ensemblePassAtK(rows, { budget: 10, selection: "in_sample", resamples: 0 }).ensemble).toBeCloseTo(r.ensemble, 14);
    expect(r.warnings.join(" ")).toMatch(/optimized allocation are chosen on the same problems they are scored on/);
  });

  it("optimized is a local optimum: no single-sample move improves it", () => {
    for (let trial = 0; trial < 6; trial++) {
      const rows = randomRows(200 + trial, 4, 25, () => 12);
      const B = 9 + trial;
      const r = ensemblePassAtK(rows, { budget: B, allocation: "optimized", selection: "in_sample", resamples: 0 });
      const matrix = memberMatrix(rows);
      const k = matrix.members.map((m) => r.allocation[m]);
      expect(k.reduce((a, b) => a + b)).toBe(B);
      const all = matrix.problems.map((_, p) => p);
      const value = ensembleValue(matrix, k, all);
      expect(r.ensemble).toBeCloseTo(value, 14);
      for (let from = 0; from < k.length; from++) {
        for (let to = 0; to < k.length; to++) {
          if (from === to || k[from] === 0 || k[to] === 12) continue;
          const moved = [...k];
          moved[from]--;
          moved[to]++;
          expect(ensembleValue(matrix, moved, all)).toBeLessThanOrEqual(value + 1e-9);
        }
      }
      // And at least as good as the equal split on the data it was fit on.
      expect(r.ensemble).toBeGreaterThanOrEqual(ensemblePassAtK(rows, { budget: B, selection: "in_sample", resamples: 0 }).ensemble - 1e-12);
    }
  });

  it("with a held-out split, fits on some problems and scores on the others", () => {
    const rows = randomRows(7, 3, 40, () => 16);
    const split = { fraction: 0.25, seed: 9 };
    const r = ensemblePassAtK(rows, { budget: 12, allocation: "optimized", holdout: split });
    expect(r.scored_on).toBe("held-out");
    expect(r.problems).toBe(10);
    expect(r.fit!.problems).toBe(30);
    expect(r.warnings.join(" ")).not.toMatch(/fit on the same samples/);
    expect(ensemblePassAtK(rows, { budget: 12, allocation: "optimized", holdout: split })).toEqual(r);
    // An explicit list: scoring only on p0 must give the allocation's value on p0 alone.
    const explicit = ensemblePassAtK(rows, { budget: 12, holdout: { problems: ["p0"] } });
    const matrix = memberMatrix(rows);
    expect(explicit.ensemble).toBeCloseTo(ensembleValue(matrix, Object.values(explicit.allocation), [0]), 15);
    expect(() => ensemblePassAtK(rows, { budget: 12, holdout: { problems: ["nope"] } })).toThrow(/not in the data: nope/);
  });

  it("rejects bad input", () => {
    const rows = [row("A", "a", 4, 1), row("B", "a", 4, 2), row("A", "b", 4, 0)];
    expect(() => ensemblePassAtK(rows, { budget: 2 })).toThrow(/member B is missing 1 problem\(s\): b/);
    const ok = [...rows, row("B", "b", 4, 0)];
    expect(() => ensemblePassAtK(ok, { budget: 9 })).toThrow(/budget 9 exceeds the samples available.*total 8/);
    expect(() => ensemblePassAtK(ok, { budget: 0 })).toThrow(/positive integer/);
    expect(() => ensemblePassAtK([...ok, row("A", "a", 4, 1)], { budget: 2 })).toThrow(/more than once: A\/a/);
    expect(() => ensemblePassAtK([row("A", "a", 4, 5)], { budget: 2 })).toThrow(/exceeds n/);
  });
});

describe("selection: crossfit vs in_sample, with paired bootstrap intervals", () => {
  // B = 1, n = 2. p1: A c=2 (pass@1 = 1), B c=0 (0). p2: A c=0 (0), B c=1 (1/2).
  // Equal split of 1 sample: the extra goes to A or B with probability 1/2 each.
  //   p1: fail ½·0 + ½·1 = ½ → 0.5;  p2: fail ½·1 + ½·½ = ¾ → 0.25;  ensemble 0.375.
  const rows = [row("A", "p1", 2, 2), row("B", "p1", 2, 0), row("A", "p2", 2, 0), row("B", "p2", 2, 1)];

  it("crossfit chooses the best single member on the other folds (hand-worked, K = 2)", () => {
    // Fold {p1}: chosen on p2 → B, scored on p1 → 0. Fold {p2}: chosen on p1 → A, scored on p2 → 0.
    const r = ensemblePassAtK(rows, { budget: 1, folds: 2, seed: 3, resamples: 0 });
    expect(r.selection).toBe("crossfit");
    expect(r.folds).toBe(2);
    expect([...r.selected_by_fold!].sort()).toEqual(["A", "B"]);
    expect(r.ensemble).toBeCloseTo(0.375, 15);
    expect(r.best_single).toEqual({ member: "A", value: 0 });
    expect(r.gain).toBeCloseTo(0.375, 15);
    // Per-problem gains 0.5 and 0.25: SD = √((0.125² · 2)/1), SE = SD/√2 = 0.125.
    expect(r.se.gain).toBeCloseTo(0.125, 15);
    expect(r.se.ensemble).toBeCloseTo(0.125, 15);
    expect(r.se.best_single).toBe(0);
    expect(r.gain_ci).toBeNull();
    expect(r.warnings.some((w) => /in_sample/.test(w))).toBe(false);
  });

  it("in_sample chooses on the scored problems and says it is biased (hand-worked)", () => {
    // A alone: (1 + 0)/2 = 0.5; B alone: (0 + 0.5)/2 = 0.25 → A, gain 0.375 − 0.5.
    const r = ensemblePassAtK(rows, { budget: 1, selection: "in_sample", resamples: 0 });
    expect(r.best_single).toEqual({ member: "A", value: 0.5 });
    expect(r.gain).toBeCloseTo(-0.125, 15);
    expect(r.warnings.join(" ")).toMatch(/selection in_sample: .*biased/);
  });

  it("the bootstrap repeats the selection inside every resample (hand-worked)", () => {
    // in_sample resamples of {p1, p2}: {p1,p1} (¼): A chosen, gain 0.5 − 1 = −0.5; {p2,p2} (¼): B chosen,
    // gain 0.25 − 0.5 = −0.25; mixed (½): A chosen, −0.125. 2.5% quantile −0.5, 97.5% −0.125.
    const inSample = ensemblePassAtK(rows, { budget: 1, selection: "in_sample", resamples: 4000, seed: 9 });
    expect(inSample.gain_ci).toEqual([-0.5, -0.125]);
    // With the selection held fixed at A, {p2,p2} would give 0.25 − 0 = +0.25: the interval would be wrong.
    // crossfit: single-problem resamples cannot be cross-fitted and are left out; mixed ones give 0.375.
    const crossfit = ensemblePassAtK(rows, { budget: 1, folds: 2, resamples: 400, seed: 9 });
    expect(crossfit.gain_ci![0]).toBeCloseTo(0.375, 15);
    expect(crossfit.gain_ci![1]).toBeCloseTo(0.375, 15);
    // Seeded: the same seed repeats the report exactly.
    expect(ensemblePassAtK(rows, { budget: 1, selection: "in_sample", resamples: 4000, seed: 9 })).toEqual(inSample);
  });

  it("nine identical members: the crossfit gain's interval contains 0, in_sample shows the bias", () => {
    // Every member has the same true per-problem solve rate; n = B = 16 as the default demo ran.
    const random = seededRandom(2026);
    const P = 60;
    const rate = Array.from({ length: P }, () => (random() < 0.5 ? 0.02 + 0.1 * random() : random()));
    const rows: MemberCountRow[] = [];
    for (let m = 0; m < 9; m++) {
      for (let p = 0; p < P; p++) {
        let c = 0;
        for (let s = 0; s < 16; s++) if (random() < rate[p]) c++;
        rows.push(row(`m${m}`, `p${p}`, 16, c));
      }
    }
    const crossfit = ensemblePassAtK(rows, { budget: 16, seed: 1 });
    const inSample = ensemblePassAtK(rows, { budget: 16, seed: 1, selection: "in_sample" });
    if (process.env.SHOW_FIGURES) console.log(JSON.stringify({ crossfit: [crossfit.gain, crossfit.gain_ci], in_sample: [inSample.gain, inSample.gain_ci] }));
    expect(crossfit.gain_ci![0]).toBeLessThanOrEqual(0);
    expect(crossfit.gain_ci![1]).toBeGreaterThanOrEqual(0);
    // The in-sample best of nine noisy pass@16 estimates is inflated: a clearly negative gain, interval below 0.
    expect(inSample.gain!).toBeLessThan(crossfit.gain! - 0.01);
    expect(inSample.gain_ci![1]).toBeLessThan(0);
    expect(crossfit.warnings.join(" ")).toMatch(/n < 2·B \(32\)/);
  });

  it("crossfit refits an optimized allocation per fold and rejects bad options", () => {
    const two = ["a", "b"].flatMap((m, i) => Array.from({ length: 10 }, (_, p) => row(m, `p${p}`, 20, Math.floor(p / 5) === i ? 2 : 0)));
    const r = ensemblePassAtK(two, { budget: 10, allocation: "optimized", resamples: 20 });
    expect(r.selection).toBe("crossfit");
    expect(r.gain_ci).toHaveLength(2);
    expect(() => ensemblePassAtK(two, { budget: 10, folds: 1 })).toThrow(/folds must be an integer ≥ 2/);
    expect(() => ensemblePassAtK([row("a", "p", 4, 1)], { budget: 2, allocation: "optimized" })).toThrow(/at least two problems/);
    const one = ensemblePassAtK([row("a", "p", 4, 1), row("b", "p", 4, 2)], { budget: 2 });
    // One sample each: 1 − 3/4 · 2/4.
    expect(one.ensemble).toBeCloseTo(1 - 3 / 8, 15);
    expect(one.best_single).toBeNull();
    expect(one.gain_ci).toBeNull();
    expect(one.warnings.join(" ")).toMatch(/needs at least two problems/);
  });
});
