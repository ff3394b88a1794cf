// Runs the real `frontier ensemble` as a subprocess on files written to a temporary folder.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;

function frontier(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repo, "bin/frontier.mjs"), "ensemble", ...args], { cwd: dir }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    ).stdin!.end();
  });
}

async function file(name: string, lines: (object | string)[]): Promise<string> {
  await writeFile(join(dir, name), `${lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")}\n`);
  return name;
}

// a solves p0..p4 (2 of 20 samples), b solves p5..p9: complementary members.
const complementary = ["a", "b"].flatMap((member, i) =>
  Array.from({ length: 10 }, (_, p) => ({ member, problem: `p${p}`, n: 20, c: Math.floor(p / 5) === i ? 2 : 0 })),
);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "frontier-ensemble-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("frontier ensemble", () => {
  it("prints the ensemble, the allocation, the best single member and the gain", async () => {
    const members = await file("members.jsonl", complementary);
    const r = await frontier(["--budget", "10", "--selection", "in_sample", "--resamples", "0", members]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.selection).toBe("in_sample");
    expect(out.allocation).toEqual({ a: 5, b: 5 });
    expect(out.ensemble).toBeCloseTo(1 - 210 / 380, 14);
    expect(out.best_single).toEqual({ member: "a", value: expect.closeTo((1 - 90 / 380) / 2, 14) });
    expect(out.gain).toBeCloseTo(out.ensemble - out.best_single.value, 15);
    expect(out.method).toBe("equal");
    expect(typeof out.pooled_mixture).toBe("number");
    expect(r.stderr).toMatch(/warning: selection in_sample: .*biased/);
  });

  it("defaults to crossfit selection and prints gain_ci, seeded", async () => {
    const members = await file("members.jsonl", complementary);
    const args = ["--budget", "10", "--selection", "crossfit", "--folds", "5", "--seed", "7", members];
    const r = await frontier(args);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ selection: "crossfit", folds: 5, seed: 7 });
    expect(out.selected_by_fold).toHaveLength(5);
    expect(out.gain_ci).toHaveLength(2);
    expect(out.gain_ci[0]).toBeLessThanOrEqual(out.gain_ci[1]);
    expect(out.gain).toBeCloseTo(out.ensemble - out.best_single.value, 15);
    expect((await frontier(args)).stdout).toBe(r.stdout);
    expect((await frontier(["--budget", "10", "--folds", "1", members])).code).toBe(2);
    expect((await frontier(["--budget", "10", "--selection", "nope", members])).code).toBe(2);
  });

  it("optimized in sample warns; a held-out split does not", async () => {
    const members = await file("members.jsonl", complementary);
    const fitted = await frontier(["--budget", "10", "--allocation", "optimized", "--selection", "in_sample", "--resamples", "0", members]);
    expect(fitted.code).toBe(0);
    expect(JSON.parse(fitted.stdout).warnings[0]).toMatch(/optimized allocation are chosen on the same problems they are scored on/);
    expect(fitted.stderr).toMatch(/warning: selection in_sample: .*optimized allocation/);
    const held = await frontier(["--budget", "10", "--allocation", "optimized", "--holdout", "0.3", "--seed", "1", "--resamples", "20", members]);
    expect(held.code).toBe(0);
    const out = JSON.parse(held.stdout);
    expect(out.scored_on).toBe("held-out");
    expect(out.problems).toBe(3);
    expect(out.fit.problems).toBe(7);
    expect(out.warnings).toEqual([]);
  });

  it("splits by weight", async () => {
    const members = await file("members.jsonl", complementary);
    const r = await frontier(["--budget", "10", "--allocation", "proportional", "--weights", "a=3,b=1", members]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).allocation).toEqual({ a: 8, b: 2 });
  });

  it("reports null best_single when no member has n ≥ B", async () => {
    const members = await file("members.jsonl", complementary);
    const out = JSON.parse((await frontier(["--budget", "30", members])).stdout);
    expect(out.best_single).toBeNull();
    expect(out.gain).toBeNull();
    expect(out.allocation).toEqual({ a: 15, b: 15 });
  });

  it("fails clearly on a member missing a problem, c > n, a budget above the samples, and malformed lines", async () => {
    const missing = await file(
      "missing.jsonl",
      complementary.filter((r) => !(r.member === "b" && r.problem === "p3")),
    );
    const m = await frontier(["--budget", "4", missing]);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/member b is missing 1 problem\(s\): p3/);

    const bad = await file("bad.jsonl", [{ member: "a", problem: "p", n: 3, c: 4 }, "[1,", { member: "a", problem: "q", n: -1, c: 0 }]);
    const b = await frontier(["--budget", "2", bad]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/line 1: c: c must not exceed n/);
    expect(b.stderr).toMatch(/line 2: not valid JSON/);
    expect(b.stderr).toMatch(/line 3: n: must not be negative/);

    const members = await file("members.jsonl", complementary);
    const big = await frontier(["--budget", "41", members]);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/budget 41 exceeds the samples available/);
  });

  it("rejects bad usage with exit code 2 and prints help", async () => {
    const members = await file("members.jsonl", complementary);
    const usage = [
      [members],
      ["--budget", "0", members],
      ["--budget", "5", "--allocation", "best", members],
      ["--budget", "5", "--allocation", "proportional", members],
    ];
    for (const r of await Promise.all(usage.map(frontier))) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/frontier ensemble: /);
    }
    const help = await frontier(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: frontier ensemble --budget B/);
  });
});
