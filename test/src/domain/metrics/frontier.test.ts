import { describe, expect, it } from "vitest";
import { complementarity, frontier, paretoSet, type VerdictRow } from "../../../../src/domain/metrics/index.ts";

const samples = (problem: string, verdicts: VerdictRow["verdict"][]): VerdictRow[] =>
  verdicts.map((verdict) => ({ problem, verdict, tiers_passed: verdict === "AC" ? 2 : 0 }));

describe("paretoSet", () => {
  const point = (x: number | null, y: number | null) => ({ correctness_failure_rate: x, efficiency_failure_rate: y });

  it("keeps the points no other point dominates, ties included", () => {
    const points = [point(0.1, 0.5), point(0.3, 0.2), point(0.3, 0.2), point(0.4, 0.4), point(0.1, 0.6), point(0.5, 0.1), point(null, null)];
    // (0.4,0.4) is beaten by (0.3,0.2); (0.1,0.6) by (0.1,0.5) (equal x, lower y); the tie at (0.3,0.2) keeps both.
    expect(paretoSet(points)).toEqual([0, 1, 2, 5]);
  });

  it("is everything for an anti-diagonal and one point when one dominates all", () => {
    expect(paretoSet([point(0, 1), point(0.5, 0.5), point(1, 0)])).toEqual([0, 1, 2]);
    expect(paretoSet([point(0.5, 0.5), point(0.1, 0.1), point(0.2, 0.9)])).toEqual([1]);
  });
});

describe("frontier", () => {
  it("gives one point per checkpoint ordered by α, with pass@k and the Pareto set", () => {
    const result = frontier(
      [
        // α = 1: fails on efficiency.
        { checkpoint: "B", alpha: 1, samples: [...samples("p", ["AC", "TLE", "TLE", "AC"]), ...samples("q", ["MLE", "AC", "TLE", "SE", "TLE"])] },
        // α = 0: fails on correctness.
        { checkpoint: "A", alpha: 0, samples: [...samples("p", ["AC", "WA", "RE", "AC"]), ...samples("q", ["WA", "WA", "AC", "CE"])] },
        // Unknown α, dominated by A.
        { checkpoint: "X", samples: [...samples("p", ["WA", "WA", "TLE", "AC"]), ...samples("q", ["WA", "WA", "TLE", "TLE"])] },
        { checkpoint: "M", alpha: 0.5, samples: [...samples("p", ["AC", "AC", "WA", "TLE"]), ...samples("q", ["AC", "AC", "WA", "TLE"])] },
      ],
      [1, 4, 5],
    );
    expect(result.points.map((p) => [p.checkpoint, p.alpha])).toEqual([
      ["A", 0],
      ["M", 0.5],
      ["B", 1],
      ["X", null],
    ]);
    const [A, M, B, X] = result.points;
    // CE is neither correctness nor efficiency: counted apart.
    expect([A.correctness_failure_rate, A.efficiency_failure_rate, A.other_failure_rate]).toEqual([4 / 8, 0, 1 / 8]);
    expect([B.correctness_failure_rate, B.efficiency_failure_rate]).toEqual([0, 5 / 8]);
    expect([M.correctness_failure_rate, M.efficiency_failure_rate]).toEqual([2 / 8, 2 / 8]);
    expect(B.judged).toBe(8); // SE left out
    expect(A.pass_at_k["pass@1"]).toBeCloseTo((2 / 4 + 1 / 4) / 2, 15);
    expect(A.pass_at_k["pass@4"]).toBe(1);
    expect(B.pass_at_k["pass@5"]).toBeNull(); // B has 4 judged samples on q after the SE
    expect(result.pareto).toEqual(["A", "M", "B"]);
    expect(X.pareto).toBe(false);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("rejects a checkpoint listed twice", () => {
    expect(() =>
      frontier([
        { checkpoint: "A", samples: [] },
        { checkpoint: "A", samples: [] },
      ]),
    ).toThrow(/more than once: A/);
  });
});

describe("complementarity", () => {
  it("counts problems solved by each, alone, and pairwise overlap", () => {
    const solves: Record<string, string[]> = { a: ["p1", "p2", "p3"], b: ["p2", "p3", "p4"], c: [] };
    const problems = ["p1", "p2", "p3", "p4", "p5"];
    const rows = Object.entries(solves).flatMap(([member, solved]) =>
      problems.map((problem) => ({ member, problem, n: 10, c: solved.includes(problem) ? 1 : 0 })),
    );
    const r = complementarity(rows);
    expect(r.problems).toBe(5);
    expect(r.solved_by_any).toBe(4);
    expect(r.solved_by_none).toBe(1);
    expect(r.members).toEqual([
      { member: "a", solved: 3, solved_alone: 1 },
      { member: "b", solved: 3, solved_alone: 1 },
      { member: "c", solved: 0, solved_alone: 0 },
    ]);
    expect(r.pairs).toEqual([
      { a: "a", b: "b", both: 2, either: 4, only_a: 1, only_b: 1, jaccard: 0.5 },
      { a: "a", b: "c", both: 0, either: 3, only_a: 3, only_b: 0, jaccard: 0 },
      { a: "b", b: "c", both: 0, either: 3, only_a: 3, only_b: 0, jaccard: 0 },
    ]);
    const none = complementarity([
      { member: "x", problem: "p", n: 1, c: 0 },
      { member: "y", problem: "p", n: 1, c: 0 },
    ]);
    expect(none.pairs[0].jaccard).toBeNull();
  });
});
