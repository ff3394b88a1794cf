// The Hono environment every route and middleware shares, and the app type routes mount on.
// A leaf module: routes and middleware import it instead of app.ts, which imports them.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiScope } from "../db/schema/index.ts";

export type Principal = { keyId: string; scopes: ApiScope[] };

export type AppEnv = { Variables: { principal?: Principal } };

export type App = OpenAPIHono<AppEnv>;
