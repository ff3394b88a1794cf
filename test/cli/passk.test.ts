// Runs the real `frontier passk` as a subprocess on files written to a temporary folder.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;

function frontier(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(repo, "bin/frontier.mjs"), ...args], { cwd: dir }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin ?? "");
  });
}

async function file(name: string, lines: (object | string)[]): Promise<string> {
  await writeFile(join(dir, name), `${lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")}\n`);
  return name;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "frontier-passk-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("frontier passk", () => {
  it("prints pass@k per k, the problem count and the skipped k", async () => {
    const counts = await file("counts.jsonl", [
      { problem: "a", n: 10, c: 3 },
      { problem: "b", n: 5, c: 0 },
      { problem: 7, n: 8, c: 8 },
    ]);
    const r = await frontier(["passk", "--k", "1,5,10", counts]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out["pass@1"]).toBeCloseTo((0.3 + 0 + 1) / 3, 15);
    expect(out["pass@5"]).toBeCloseTo((1 - 21 / 252 + 0 + 1) / 3, 15);
    expect(out).not.toHaveProperty("pass@10");
    expect(out.problems).toBe(3);
    expect(out.skipped_k).toEqual([10]);
    expect(r.stderr).toMatch(/skipped k = 10.*smallest n \(5\)/);
  });

  it("reads stdin and adds a seeded bootstrap interval", async () => {
    const text = Array.from({ length: 30 }, (_, i) => JSON.stringify({ problem: `p${i}`, n: 10, c: i % 11 })).join("\n");
    const a = await frontier(["passk", "--k", "1", "--bootstrap", "200", "--seed", "4", "-"], text);
    const b = await frontier(["passk", "--k", "1", "--bootstrap", "200", "--seed", "4", "-"], text);
    expect(a.code).toBe(0);
    const out = JSON.parse(a.stdout);
    expect(out.ci["pass@1"][0]).toBeLessThan(out["pass@1"]);
    expect(out.ci["pass@1"][1]).toBeGreaterThan(out["pass@1"]);
    expect(a.stdout).toBe(b.stdout);
  });

  it("names each bad line with its number and exits 1", async () => {
    const bad = await file("bad.jsonl", [
      { problem: "a", n: 10, c: 3 },
      "{not json",
      { problem: "b", n: 4, c: 5 },
      "",
      { problem: "c", n: -2, c: 0 },
      { problem: "d", n: 3 },
    ]);
    const r = await frontier(["passk", "--k", "1", bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/line 2: not valid JSON/);
    expect(r.stderr).toMatch(/line 3: c: c must not exceed n/);
    expect(r.stderr).toMatch(/line 5: n: must not be negative/);
    expect(r.stderr).toMatch(/line 6: c: /);
  });

  it("fails when every k exceeds some problem's n", async () => {
    const counts = await file("small.jsonl", [
      { problem: "a", n: 10, c: 3 },
      { problem: "b", n: 2, c: 1 },
    ]);
    const r = await frontier(["passk", "--k", "5,10", counts]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/every k \(5, 10\) exceeds the smallest n \(2\)/);
  });

  it("fails on a problem listed twice, a missing file and bad usage", async () => {
    const dup = await file("dup.jsonl", [
      { problem: "a", n: 10, c: 3 },
      { problem: "a", n: 10, c: 3 },
    ]);
    expect((await frontier(["passk", "--k", "1", dup])).stderr).toMatch(/more than once: a/);
    const missing = await frontier(["passk", "--k", "1", "nope.jsonl"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read nope.jsonl/);
    const usage = await frontier(["passk", "--k", "1,x", dup]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--k must be a comma-separated list/);
  });

  it("prints help", async () => {
    const r = await frontier(["passk", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: frontier passk --k/);
  });
});
