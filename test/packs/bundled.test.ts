// The bundled pack: its manifest matches its files, the generator reproduces it byte for byte, every
// candidate has a verdict recorded by the executor (and a sample is re-judged now), and the classes
// the paper's frontier is made of are present.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackManifestSchema, packVersion, sha256Hex, type PackManifest } from "@frontier/contracts";
import { ProblemSchema, type Problem } from "@frontier/contracts";
import { generate } from "../../packs/generator/build.ts";
import { BUNDLED_DIR, loadPool, REFERENCE } from "../../packs/generator/judging.ts";
import { readVerdicts, type VerdictsFile } from "../../packs/generator/verdicts.ts";
import { Judge } from "../../workers/executor/src/judge.ts";

let manifest: PackManifest;
let problems: Problem[];
let verdicts: VerdictsFile;

beforeAll(async () => {
  manifest = PackManifestSchema.parse(JSON.parse(await readFile(join(BUNDLED_DIR, "manifest.json"), "utf8")));
  problems = await Promise.all(manifest.problems.map(async (e) => ProblemSchema.parse(JSON.parse(await readFile(join(BUNDLED_DIR, e.file), "utf8")))));
  verdicts = await readVerdicts();
});

describe("bundled pack files", () => {
  it("has ≥ 30 problems of both kinds with nested small/medium/large tiers", () => {
    expect(problems.length).toBeGreaterThanOrEqual(30);
    expect(new Set(problems.map((p) => p.kind))).toEqual(new Set(["stdin", "functional"]));
    for (const p of problems) {
      expect(p.tiers.map((t) => t.name)).toEqual(["small", "medium", "large"]);
      for (const t of p.tiers) expect(t.tests.length).toBeGreaterThan(0);
      expect(p.statement.length).toBeGreaterThan(50);
      if (p.kind === "functional") expect(p.function?.name).toBeTruthy();
    }
  });

  it("manifest hashes match the problem files and the version is their content hash", async () => {
    for (const entry of manifest.problems) expect(await sha256Hex(await readFile(join(BUNDLED_DIR, entry.file)))).toBe(entry.sha256);
    expect(manifest.version).toBe(await packVersion(manifest.problems));
  });

  it("the generator reproduces the committed pack byte for byte", { timeout: 60_000 }, async () => {
    const { files } = await generate();
    expect(files.size).toBe(manifest.problems.length + 1);
    for (const [file, text] of files) expect(text === (await readFile(join(BUNDLED_DIR, file), "utf8")), file).toBe(true);
  });
});

describe("recorded verdicts", () => {
  it("are for this pack version and every problem file", () => {
    expect(verdicts.pack_version).toBe(manifest.version);
    for (const entry of manifest.problems) expect(verdicts.problems[entry.id]?.problem_sha256).toBe(entry.sha256);
  });

  it("cover every candidate, ≥ 6 per problem, with its current source", async () => {
    for (const p of problems) {
      const pool = await loadPool(p.id);
      expect(pool.length).toBeGreaterThanOrEqual(6);
      const recorded = verdicts.problems[p.id]!.candidates;
      expect(Object.keys(recorded).sort()).toEqual(pool.map((c) => c.name));
      for (const c of pool) expect(recorded[c.name]!.sha256, `${p.id}/${c.name}`).toBe(await sha256Hex(c.code));
    }
  });

  it("every reference is AC on every tier", () => {
    for (const p of problems) expect(verdicts.problems[p.id]!.candidates[REFERENCE], p.id).toMatchObject({ verdict: "AC", tiers_passed: 3 });
  });

  it("hold the frontier's classes: TLE only on large, WA only from medium on, plain failures on small", () => {
    const all = Object.entries(verdicts.problems).flatMap(([id, p]) => Object.entries(p.candidates).map(([name, v]) => ({ id, name, ...v })));
    const tleOnLarge = all.filter((v) => v.verdict === "TLE" && v.tiers_passed === 2);
    const waFromMedium = all.filter((v) => v.verdict === "WA" && v.tiers_passed >= 1);
    const plainWrong = all.filter((v) => v.verdict === "WA" && v.tiers_passed === 0);
    const crashes = all.filter((v) => v.verdict === "RE");
    expect(new Set(tleOnLarge.map((v) => v.id)).size).toBeGreaterThanOrEqual(25);
    expect(new Set(waFromMedium.map((v) => v.id)).size).toBeGreaterThanOrEqual(25);
    expect(new Set(plainWrong.map((v) => v.id)).size).toBeGreaterThanOrEqual(25);
    expect(new Set(crashes.map((v) => v.id)).size).toBeGreaterThanOrEqual(25);
    expect(all.some((v) => v.verdict === "MLE")).toBe(true);
    expect(all.some((v) => v.language === "cpp" && v.verdict === "AC")).toBe(true);
    expect(all.some((v) => v.language === "cpp" && v.verdict === "WA")).toBe(true);
  });
});

describe("a fresh re-judge agrees with the record", () => {
  let judge: Judge;
  beforeAll(() => {
    judge = new Judge({ concurrency: 2 });
  });
  afterAll(async () => judge?.close());

  // A fixed sample keeps CI time low: three problems, every candidate whose verdict needs no time-out.
  const SAMPLE = ["range-sum", "pair-sum-count", "bracket-check"];

  it.each(SAMPLE)("%s", { timeout: 120_000 }, async (id) => {
    const problem = problems.find((p) => p.id === id)!;
    const pool = (await loadPool(id)).filter((c) => !["TLE", "MLE"].includes(verdicts.problems[id]!.candidates[c.name]!.verdict));
    const results = await judge.judge(
      problem,
      pool.map((c) => ({ id: c.name, language: c.language, code: c.code })),
    );
    for (const [i, c] of pool.entries()) {
      const recorded = verdicts.problems[id]!.candidates[c.name]!;
      expect({ name: c.name, verdict: results[i]!.verdict, tiers: results[i]!.tiers_passed }).toEqual({
        name: c.name,
        verdict: recorded.verdict,
        tiers: recorded.tiers_passed,
      });
    }
  });
});
