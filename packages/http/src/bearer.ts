// Bearer tokens through hono/bearer-auth, with problem+json errors (see onError).
import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";

export interface BearerOptions {
  /** Shown in WWW-Authenticate. */
  realm: string;
  /** A fixed service token (compared in constant time by hono/bearer-auth) … */
  token?: string;
  /** … or a verifier (API keys looked up in a database). */
  verify?: (token: string, c: Context) => boolean | Promise<boolean>;
}

export function bearer(options: BearerOptions): MiddlewareHandler {
  if (options.verify) return bearerAuth({ realm: options.realm, verifyToken: options.verify });
  if (!options.token) throw new Error(`${options.realm}: a non-empty bearer token is required`);
  return bearerAuth({ realm: options.realm, token: options.token });
}
