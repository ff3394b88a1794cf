// The Hono environment every route and middleware shares, and the app type routes mount on.
// A leaf module: routes and middleware import it instead of app.ts, which imports them.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiScope } from "../db/schema/index.ts";
import type { Database } from "../ports.ts";

/** Who called: the API key, its team and scopes (`operator` is deployment-wide). Absent for anonymous calls. */
export type Principal = { keyId: string; teamId: string; scopes: ApiScope[]; operator: boolean };

/** readDb: the read session a public-cache miss opened (src/http/public-cache.ts). */
export type AppEnv = { Variables: { principal?: Principal; readDb?: Database } };

export type App = OpenAPIHono<AppEnv>;
