// The Hono environment every route and middleware shares, and the app type routes mount on.
// A leaf module: routes and middleware import it instead of app.ts, which imports them.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiScope } from "../db/schema/index.ts";

/** Who called: the API key, its team and scopes (`operator` is deployment-wide). Absent for anonymous calls. */
export type Principal = { keyId: string; teamId: string; scopes: ApiScope[]; operator: boolean };

export type AppEnv = { Variables: { principal?: Principal } };

export type App = OpenAPIHono<AppEnv>;
