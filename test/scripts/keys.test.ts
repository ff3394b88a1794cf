// `npm run keys` against a real local D1 (wrangler d1 execute --local) in a scratch state directory.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const tsx = join(root, "node_modules", ".bin", "tsx");
const wrangler = join(root, "node_modules", ".bin", "wrangler");
const state = mkdtempSync(join(tmpdir(), "frontier-keys-"));
afterAll(() => rmSync(state, { recursive: true, force: true }));

const keys = (...args: string[]) => spawnSync(tsx, ["scripts/keys.ts", ...args], { cwd: root, encoding: "utf8" });

describe("npm run keys", () => {
  it("creates a key in local D1, prints it once, stores only its SHA-256", { timeout: 150_000 }, () => {
    const created = keys("create", "--scope", "submit", "--label", "it's a test", "--persist-to", state);
    expect(created.status, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^frk_[0-9a-z]{32}$/);

    const out = execFileSync(
      wrangler,
      ["d1", "execute", "frontier", "--local", "--persist-to", state, "--json", "--command", "SELECT hash, prefix, scopes, label FROM api_keys"],
      { cwd: root, encoding: "utf8" },
    );
    const rows = JSON.parse(out)[0].results;
    expect(rows).toEqual([{ hash: createHash("sha256").update(key).digest("hex"), prefix: key.slice(0, 12), scopes: '["submit"]', label: "it's a test" }]);
    expect(out).not.toContain(key);
  });

  it("refuses unknown scopes and prints SQL for other runtimes with --sql", () => {
    const bad = keys("create", "--scope", "root");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("submit, admin");
    const sql = keys("create", "--scope", "admin", "--sql");
    expect(sql.status).toBe(0);
    // The key's team first (created if new: the default team here), then the key.
    expect(sql.stdout).toMatch(/^INSERT OR IGNORE INTO teams .*'default'/);
    expect(sql.stdout).toMatch(/\nINSERT INTO api_keys .*'\["admin"\]', 'default'/);
    expect(sql.stdout).not.toMatch(/frk_[0-9a-z]{32}/);
    expect(sql.stderr).toMatch(/frk_[0-9a-z]{32}/);
  });
});
