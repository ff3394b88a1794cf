// The Worker serves the page's built files from src/generated/web-assets.ts (committed, so a fresh
// clone builds without `npm run build:web`). This fails when web/ changed and the module was not
// rebuilt: run `npm run build:web` and commit the module.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ASSETS_MODULE, assetsModule, bundleWeb } from "../../scripts/build-web.ts";

describe("src/generated/web-assets.ts", () => {
  it("is what scripts/build-web.ts builds from web/ now", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "frontier-web-"));
    try {
      const built = assetsModule(await bundleWeb(outdir));
      const committed = readFileSync(ASSETS_MODULE, "utf8");
      // Compared by equality but reported by size, not by a 260 KB diff.
      expect({ same: committed === built, committed: committed.length, built: built.length }).toEqual({
        same: true,
        committed: built.length,
        built: built.length,
      });
      expect(built).toContain('"/assets/leaderboard.js"');
      expect(built).toContain('"/assets/leaderboard.css"');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
