// GET /assets/*: the page's built script and styles (src/generated/web-assets.ts), served by the
// Worker itself rather than a Workers [assets] section, whose router would sit in front of every
// API request (scripts/build-web.ts says why). Revalidated by ETag on each use, as Workers Static
// Assets does by default; a 304 when it matches.
import { ProblemError } from "@frontier/http";
import { etagMatches } from "../http/public-cache.ts";
import type { App } from "../http/env.ts";
import { WEB_ASSETS } from "../generated/web-assets.ts";

export const ASSET_CACHE_CONTROL = "public, max-age=0, must-revalidate";

export function mountAssets(app: App) {
  app.get("/assets/*", (c) => {
    const asset = WEB_ASSETS[c.req.path];
    if (!asset) throw new ProblemError({ status: 404, type: "not-found", title: "Not found", detail: `no asset ${c.req.path}` });
    const headers = { etag: asset.etag, "cache-control": ASSET_CACHE_CONTROL };
    const ifNoneMatch = c.req.header("if-none-match");
    if (ifNoneMatch && etagMatches(asset.etag, ifNoneMatch)) return c.body(null, 304, headers);
    return c.body(asset.body, 200, { ...headers, "content-type": asset.type });
  });
}
