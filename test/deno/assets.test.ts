// The leaderboard page's static assets on Deno: the Deno server serves web/public, where
// `npm run build:web` writes them, before the app runs (the Worker serves the same bytes itself).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWeb } from "../../scripts/build-web.ts";
import { expectProblem } from "../contract/harness.ts";
import { REPO, startDenoServer, type DenoServer } from "./deno-process.ts";

const PUBLIC = join(REPO, "web/public");
const folder = mkdtempSync(join(tmpdir(), "frontier-deno-assets-"));
let server: DenoServer | undefined;
const get = (path: string, init?: RequestInit) => fetch(new URL(path, server!.url), init);

beforeAll(async () => {
  // A fresh clone has no bundle until `npm run build:web`; the browser test builds it the same way.
  if (!existsSync(join(PUBLIC, "assets/leaderboard.js")) || !existsSync(join(PUBLIC, "assets/leaderboard.css"))) await buildWeb({ quiet: true });
  server = await startDenoServer({ databasePath: join(folder, "frontier.sqlite") });
});

afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe("static assets on Deno", () => {
  it("serves every script and stylesheet the page links to, byte for byte, with its content type", async () => {
    const page = await (await get("/")).text();
    const linked = [...page.matchAll(/<(?:script|link)[^>]+(?:src|href)="(\/[^"]+)"/g)].map((match) => match[1]!);
    expect(linked).toEqual(expect.arrayContaining(["/assets/leaderboard.js", "/assets/leaderboard.css"]));
    for (const path of linked) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toContain(path.endsWith(".js") ? "text/javascript" : "text/css");
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(PUBLIC, path))), path).toBe(true);
    }
  });

  it("revalidates like Workers Static Assets: an ETag, must-revalidate, 304 on If-None-Match; HEAD has no body", async () => {
    const first = await get("/assets/leaderboard.css");
    await first.arrayBuffer();
    const tag = first.headers.get("etag");
    expect(tag).toMatch(/^"[0-9a-f]+"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    const again = await get("/assets/leaderboard.css", { headers: { "if-none-match": tag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const head = await get("/assets/leaderboard.js", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toContain("text/javascript");
    expect(await head.text()).toBe("");
  });

  it("anything that is not a file there reaches the app: a 404 problem, never a file outside the folder or a dot-file", async () => {
    await expectProblem(expect, await get("/assets/missing.js"), 404, "not-found");
    // web/public's own .gitignore and .assetsignore are not assets (wrangler's .assetsignore excludes them).
    await expectProblem(expect, await get("/.gitignore"), 404, "not-found");
    await expectProblem(expect, await get("/.assetsignore"), 404, "not-found");
    // Encoded slashes so fetch does not resolve the dots: deno.json sits three levels above web/public/assets.
    for (const path of ["/assets/..%2f..%2f..%2fdeno.json", "/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fdeno.json", "/..%2f..%2fdeno.json"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('"nodeModulesDir"');
    }
    // A write to an asset's path is the app's to answer, as on Workers: the path is a GET route there.
    await expectProblem(expect, await get("/assets/leaderboard.css", { method: "POST" }), 405);
    expect((await get("/v1/health")).status).toBe(200);
  });
});
