// The Hono environment every route and middleware shares.
import type { ApiScope } from "../db/schema/index.ts";

export type Principal = { keyId: string; scopes: ApiScope[] };

export type AppEnv = { Variables: { principal?: Principal } };
