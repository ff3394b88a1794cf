// The page's built script and styles, served by the Worker itself (no [assets] section): the
// generated module's bytes with their content type, a strong ETag and a 304 when it matches, and
// a problem+json 404 for anything else under /assets/. The page at / links exactly these.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { WEB_ASSETS } from "../../../src/generated/web-assets.ts";

const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(new URL(path, "https://frontier.test").href, { headers });

describe("GET /assets/*", () => {
  it("serves the page's script and styles with a type, an ETag and revalidation; 304 on a match", async () => {
    for (const [path, type] of [
      ["/assets/leaderboard.js", "text/javascript"],
      ["/assets/leaderboard.css", "text/css"],
    ] as const) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain(type);
      expect(res.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
      const etag = res.headers.get("etag")!;
      expect(etag).toBe(WEB_ASSETS[path]!.etag);
      expect(await res.text()).toBe(WEB_ASSETS[path]!.body);
      const again = await get(path, { "if-none-match": etag });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
    }
    // The page links exactly these files, from this origin.
    const page = await (await get("/")).text();
    for (const path of Object.keys(WEB_ASSETS)) expect(page).toContain(`"${path}"`);
  });

  it("answers anything else under /assets/ with a problem+json 404", async () => {
    for (const path of ["/assets/nope.js", "/assets/", "/assets/leaderboard.js.map"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});
