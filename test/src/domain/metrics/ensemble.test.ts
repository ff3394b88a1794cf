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
    const r = ensemblePassAtK(rows, { budget: 2 });
    expect(r.allocation).toEqual({ A: 1, B: 1 });
    expect(r.ensemble).toBeCloseTo(0.3125, 15);
    // Alone at budget 2: A: 1 − C(3,2)/C(4,2) = 0.5; B: 1 − C(2,2)/C(4,2) = 5/6; halved by problem b.
    expect(r.single_at_budget).toEqual({ A: expect.closeTo(0.25, 15), B: expect.closeTo(5 / 12, 15) });
    expect(r.best_single).toEqual({ member: "B", value: expect.closeTo(5 / 12, 15) });
    expect(r.gain).toBeCloseTo(0.3125 - 5 / 12, 15);
    // Pooled: N=8, C=3, draw 2: 1 − C(5,2)/C(8,2) = 1 − 10/28; halved.
    expect(r.pooled_mixture).toBeCloseTo((1 - 10 / 28) / 2, 15);
    expect(r.warnings).toEqual([]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("gives the remainder one by one in the given order", () => {
    const rows = ["x", "y", "z"].flatMap((m) => [row(m, "p", 10, 1)]);
    expect(ensemblePassAtK(rows, { budget: 8 }).allocation).toEqual({ x: 3, y: 3, z: 2 });
    expect(ensemblePassAtK(rows, { budget: 2 }).allocation).toEqual({ x: 1, y: 1, z: 0 });
  });

  it("passes a share above a member's smallest n on to the others", () => {
    // x has only 2 samples on one problem; its equal share of 4 is capped and the rest cycles y, z.
    const rows = [row("x", "p", 10, 1), row("x", "q", 2, 0), row("y", "p", 10, 1), row("y", "q", 10, 0), row("z", "p", 10, 3), row("z", "q", 10, 1)];
    const r = ensemblePassAtK(rows, { budget: 12 });
    expect(r.allocation).toEqual({ x: 2, y: 5, z: 5 });
    expect(r.warnings.join(" ")).toMatch(/capped.*x \(n=2\).*2 sample\(s\) passed on/);
    // No member can take 12 alone on every problem? y and z can (n=10 < 12: no) — so no best single.
    expect(r.best_single).toBeNull();
    expect(r.gain).toBeNull();
  });

  it("splits by weight with largest remainders", () => {
    const rows = ["a", "b", "c"].map((m) => row(m, "p", 50, 5));
    expect(ensemblePassAtK(rows, { budget: 10, allocation: "proportional", weights: { a: 1, b: 1, c: 1 } }).allocation).toEqual({ a: 4, b: 3, c: 3 });
    expect(ensemblePassAtK(rows, { budget: 10, allocation: "proportional", weights: { a: 0, b: 3, c: 1 } }).allocation).toEqual({ a: 0, b: 8, c: 2 });
    expect(() => ensemblePassAtK(rows, { budget: 10, allocation: "proportional", weights: { a: 1 } })).toThrow(/no weight for member\(s\): b, c/);
    expect(() => ensemblePassAtK(rows, { budget: 10, allocation: "proportional" })).toThrow(MetricsInputError);
  });

  it("one member is its own pass@B", () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 20; trial++) {
      const rows = randomRows(trial, 1, 15, () => 20 + Math.floor(random() * 30));
      const B = 1 + Math.floor(random() * 20);
      for (const allocation of ["equal", "optimized"] as const) {
        const r = ensemblePassAtK(rows, { budget: B, allocation });
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
      const r = ensemblePassAtK(rows, { budget: B });
      // Drawing from separate copies is drawing with replacement across copies: never better.
      expect(r.ensemble).toBeLessThanOrEqual(r.best_single!.value + 1e-12);
      expect(r.gain!).toBeLessThanOrEqual(1e-12);
    }
  });

  it("optimized beats the best single member on complementary members, and warns", () => {
    // a solves only p0..p4, b only p5..p9: the best split is even.
    const rows = ["a", "b"].flatMap((m, i) => Array.from({ length: 10 }, (_, p) => row(m, `p${p}`, 20, Math.floor(p / 5) === i ? 2 : 0)));
    const r = ensemblePassAtK(rows, { budget: 10, allocation: "optimized" });
    expect(r.allocation).toEqual({ a: 5, b: 5 });
    // Split: 1 − C(18,5)/C(20,5) = 1 − 210/380 on every problem. Alone: 1 − C(18,10)/C(20,10) = 1 − 90/380 on half.
    expect(r.ensemble).toBeCloseTo(1 - 210 / 380, 14);
    expect(r.gain).toBeCloseTo(1 - 210 / 380 - (1 - 90 / 380) / 2, 14);
    expect(ensemblePassAtK(rows, { budget: 10 }).ensemble).toBeCloseTo(r.ensemble, 14);
    expect(r.warnings.join(" ")).toMatch(/fit on the same samples/);
  });

  it("optimized is a local optimum: no single-sample move improves it", () => {
    for (let trial = 0; trial < 6; trial++) {
      const rows = randomRows(200 + trial, 4, 25, () => 12);
      const B = 9 + trial;
      const r = ensemblePassAtK(rows, { budget: B, allocation: "optimized" });
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
      expect(r.ensemble).toBeGreaterThanOrEqual(ensemblePassAtK(rows, { budget: B }).ensemble - 1e-12);
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
