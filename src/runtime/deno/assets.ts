// Static assets on Deno from web/public, where `npm run build:web` writes the page's files: a GET or
// HEAD for a file there is answered from the file before the app runs; every other request (a
// missing file included) reaches the app. Dot-files (.gitignore, .assetsignore) are never served.
import { Hono } from "hono";
import { serveStatic } from "hono/deno";
import { etag } from "hono/etag";
import { fileURLToPath } from "node:url";

/** web/public, found from this module so the server may start from any folder. */
export const DEFAULT_ASSETS_DIRECTORY = fileURLToPath(new URL("../../../web/public", import.meta.url));

/** What Workers Static Assets sends by default: cache, but revalidate by ETag on every use. */
export const ASSET_CACHE_CONTROL = "public, max-age=0, must-revalidate";

/** A path that may name an asset: a file name with an extension, no dot-file or dot-folder on the way. */
function mayBeAsset(path: string): boolean {
  return /\/[^/]+\.[A-Za-z0-9]+$/.test(path) && !/\/\./.test(path);
}

export function withStaticAssets(
  app: { fetch(request: Request): Response | Promise<Response> },
  directory: string = DEFAULT_ASSETS_DIRECTORY,
): (request: Request) => Response | Promise<Response> {
  const assets = new Hono();
  assets.use(etag());
  assets.get("*", serveStatic({ root: directory, onFound: (_path, c) => void c.header("cache-control", ASSET_CACHE_CONTROL) }));
  // Only a found file leaves `assets` with another status than 404 (200, or 304 on If-None-Match).
  return async (request) => {
    if ((request.method === "GET" || request.method === "HEAD") && mayBeAsset(new URL(request.url).pathname)) {
      const response = await assets.fetch(request);
      if (response.status !== 404) return response;
    }
    return app.fetch(request);
  };
}
