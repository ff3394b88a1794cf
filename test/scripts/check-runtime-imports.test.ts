// The CI check that keeps src/ runtime-independent: it passes on this repository, and it catches
// each kind of violation (and only those) in a tree built to break it.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
const script = join(repo, "scripts/check-runtime-imports.mjs");

async function check(root?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...(root ? ["--root", root] : [])], { cwd: repo });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("scripts/check-runtime-imports.mjs", () => {
  const fixture = mkdtempSync(join(tmpdir(), "frontier-runtime-imports-"));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
  };

  it("passes on this repository's src/", async () => {
    const result = await check();
    // On failure the violations are in stdout: fix them in the file named, not here.
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
  });

  it("reports every runtime import and Deno use outside src/runtime and src/cli, and nothing else", async () => {
    write(
      "src/routes/bad.ts",
      [
        'import { readFileSync } from "node:fs";', // 1
        'import type { DurableObject } from "cloudflare:workers";', // 2
        'export { env } from "cloudflare:test";', // 3
        'const sqlite = await import("node:sqlite");', // 4
        'const port = Deno.env.get("PORT");', // 5
        "const deno = (globalThis as any).Deno;", // 6
        'const also = globalThis["Deno"];', // 7
        "type Kv = Deno.Kv;", // 8
        'const crypto = require("node:crypto");', // 9
        'type Fs = typeof import("node:fs");', // 10
      ].join("\n"),
    );
    write(
      "src/domain/fine.ts",
      [
        "// Runs on Deno and Workers; never import node:fs here.",
        'const note = "node:fs and Deno.env are words in a string";',
        "const runtimes = { Deno: 1, workers: 2 };",
        "export const which = runtimes.Deno + note.length;",
        'import { z } from "zod";',
        'import { nodeName } from "./node:like.ts";',
      ].join("\n"),
    );
    write("src/runtime/deno.ts", 'import { DatabaseSync } from "node:sqlite";\nDeno.serve(() => new Response());\n');
    write("src/cli/tool.ts", 'import { readFileSync } from "node:fs";\n');

    const result = await check(fixture);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toEqual([
      "src/routes/bad.ts:1:1  imports 'node:fs'",
      "src/routes/bad.ts:2:1  imports 'cloudflare:workers'",
      "src/routes/bad.ts:3:1  imports 'cloudflare:test'",
      "src/routes/bad.ts:4:22  imports 'node:sqlite'",
      "src/routes/bad.ts:5:14  uses the Deno global",
      "src/routes/bad.ts:6:14  uses the Deno global",
      "src/routes/bad.ts:7:14  uses the Deno global",
      "src/routes/bad.ts:8:11  uses the Deno global",
      "src/routes/bad.ts:9:16  imports 'node:crypto'",
      "src/routes/bad.ts:10:11  imports 'node:fs'",
    ]);
    expect(result.stderr).toContain("10 runtime import(s)");
  });
});
