// `frontier serve` options and pack discovery (the stack itself runs in test/e2e/models.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packsIn, parseServeArgs } from "../../scripts/serve.ts";
import { ROOT } from "../../scripts/stack.ts";

const dir = mkdtempSync(join(tmpdir(), "serve-args-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("frontier serve", () => {
  it("reads --port, --state, --packs and --runtime, with defaults and env fallbacks", () => {
    expect(parseServeArgs([], {})).toEqual({ port: 8787, stateDir: join(ROOT, ".frontier"), packsDir: join(ROOT, "packs"), runtime: "wrangler" });
    expect(parseServeArgs(["--port", "0", "--state", dir, "--packs", dir, "--runtime", "deno"], {})).toEqual({
      port: 0,
      stateDir: dir,
      packsDir: dir,
      runtime: "deno",
    });
    expect(parseServeArgs(["--serve"], { FRONTIER_PORT: "9000", FRONTIER_STATE_DIR: dir })).toMatchObject({ port: 9000, stateDir: dir });
    expect(parseServeArgs(["-h"], {})).toBe("help");
    expect(() => parseServeArgs(["--runtime", "bun"], {})).toThrow(/--runtime must be wrangler or deno/);
    expect(() => parseServeArgs(["--port", "x"], {})).toThrow(/--port/);
    expect(() => parseServeArgs(["--nope"], {})).toThrow();
  });

  it("finds every folder with a manifest.json as a pack", () => {
    for (const name of ["b-pack", "a-pack", "not-a-pack"]) mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, "a-pack", "manifest.json"), "{}");
    writeFileSync(join(dir, "b-pack", "manifest.json"), "{}");
    expect(packsIn(dir)).toEqual(["a-pack", "b-pack"]);
    expect(packsIn(join(ROOT, "packs"))).toContain("bundled");
    expect(() => packsIn(join(dir, "missing"))).toThrow(/does not exist/);
  });
});
