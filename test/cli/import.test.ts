// `frontier import` as a user runs it: the real CLI process on the real dataset files.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackManifestSchema, sha256Hex } from "@frontier/contracts";
import { ProblemSchema } from "@frontier/contracts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DATASETS = join(ROOT, "test/fixtures/datasets");
const run = async (args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, "bin/frontier.mjs"), "import", ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe("frontier import", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "frontier-import-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("imports HumanEval from the .gz into a pack directory", async () => {
    const out = join(dir, "humaneval");
    const result = await run(["humaneval", join(DATASETS, "HumanEval.jsonl.gz"), "--out", out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("164 problems");
    const manifest = PackManifestSchema.parse(JSON.parse(await readFile(join(out, "manifest.json"), "utf8")));
    expect(manifest.problems).toHaveLength(164);
    expect((await readdir(join(out, "problems"))).length).toBe(164);
    const entry = manifest.problems.find((p) => p.id === "HumanEval/0")!;
    const text = await readFile(join(out, entry.file), "utf8");
    expect(await sha256Hex(text)).toBe(entry.sha256);
    expect(ProblemSchema.parse(JSON.parse(text)).kind).toBe("assert");
  });

  it("imports LiveCodeBench and CodeContests with --name and limits", async () => {
    const lcb = join(dir, "lcb");
    expect(
      (await run(["livecodebench", join(DATASETS, "livecodebench_v1.sample.jsonl"), "--out", lcb, "--name", "lcb-sample", "--time-ms", "3000"])).code,
    ).toBe(0);
    const manifest = PackManifestSchema.parse(JSON.parse(await readFile(join(lcb, "manifest.json"), "utf8")));
    expect(manifest.name).toBe("lcb-sample");
    expect(manifest.problems.every((p) => p.limits.time_ms === 3000)).toBe(true);
    const cc = join(dir, "cc");
    const result = await run(["codecontests", join(DATASETS, "code_contests.sample.jsonl"), "--out", cc]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("20 problems, 2233 tests");
  });

  it("prints help, and refuses bad usage with exit 2 and bad input with exit 1", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: frontier import <source> FILE --out DIR");
    const unknown = await run(["mbpp", "x.jsonl", "--out", dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown source 'mbpp'");
    expect((await run(["humaneval", join(DATASETS, "HumanEval.jsonl.gz")])).stderr).toContain("--out DIR is required");
    const missing = await run(["humaneval", join(dir, "nope.jsonl"), "--out", join(dir, "x")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read");
    const bad = join(dir, "bad.jsonl");
    await writeFile(bad, '{"task_id": "X/1"}\n');
    const badResult = await run(["humaneval", bad, "--out", join(dir, "bad")]);
    expect(badResult.code).toBe(1);
    expect(badResult.stderr).toContain("humaneval line 1: field 'prompt' missing");
    const notEmpty = await run(["humaneval", join(DATASETS, "HumanEval.jsonl.gz"), "--out", join(dir, "humaneval")]);
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.stderr).toContain("not empty");
    expect((await run(["humaneval", join(DATASETS, "HumanEval.jsonl.gz"), "--out", join(dir, "x2"), "--time-ms=0"])).stderr).toContain(
      "--time-ms must be a positive integer",
    );
  });
});
