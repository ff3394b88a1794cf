// The edge API as one Hono app built from ports; no runtime is imported here, so the Workers and
// Deno entries serve the same app.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { PatternRouter } from "hono/router/pattern-router";
import { limitBody, requireJsonBody } from "./http/body.ts";
import { mountPublicFastPath } from "./http/cache.ts";
import { onError, problemResponse, validationHook } from "@frontier/http";
import type { App, AppEnv } from "./http/env.ts";
import type { Ports } from "./ports.ts";
import { routes } from "./routes/index.ts";
import { PACK_ARCHIVE_MAX_BYTES } from "./routes/packs.ts";

export type { App, AppEnv };

export function createApp(ports: Ports): App {
  // A body that parses but does not fit is a 422; a bad query or path parameter is a 400.
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(onError);
  mountPublicFastPath(app, ports);
  // Pack archives (PUT /v1/packs/{name}) carry every hidden test: they get a limit of their own.
  const limitApi = limitBody(ports.config.MAX_BODY_BYTES);
  const limitPack = limitBody(PACK_ARCHIVE_MAX_BYTES);
  app.use("/v1/*", (c, next) => (c.req.method === "PUT" && c.req.path.startsWith("/v1/packs/") ? limitPack : limitApi)(c, next), requireJsonBody());
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key from `npm run keys -- create --scope submit`",
  });
  for (const mount of routes) mount(app, ports);
  app.notFound(notFoundOrMethodNotAllowed(app));
  return app;
}

/** Hono answers every unmatched request with notFound; a path that exists under other methods is a 405. */
function notFoundOrMethodNotAllowed(app: App) {
  let router: PatternRouter<string> | undefined;
  let methods: string[] = [];
  return (c: Context) => {
    if (!router) {
      router = new PatternRouter<string>();
      const seen = new Set<string>();
      for (const route of app.routes) {
        if (route.method === "ALL") continue;
        router.add(route.method, route.path, route.path);
        seen.add(route.method);
      }
      if (seen.has("GET")) seen.add("HEAD");
      methods = [...seen];
    }
    const path = c.req.path;
    const allowed = methods.filter((method) => router!.match(method === "HEAD" ? "GET" : method, path)[0].length > 0);
    if (allowed.length > 0) {
      return problemResponse(c, {
        status: 405,
        type: "method-not-allowed",
        title: "Method not allowed",
        detail: `${c.req.method} is not supported on ${path}; allowed: ${allowed.join(", ")}`,
        headers: { allow: allowed.join(", ") },
      });
    }
    return problemResponse(c, { status: 404, type: "not-found", title: "Not found", detail: `no route for ${c.req.method} ${path}` });
  };
}
