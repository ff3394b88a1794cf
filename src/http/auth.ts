// Bearer API keys. Reads of public data need no key; writes name the scope they need.
// `admin` implies every other scope.
import { bearer, ProblemError } from "@frontier/http";
import { and, eq, isNull } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { apiKeys, type ApiScope } from "../db/schema/index.ts";
import { hashApiKey } from "../domain/api-keys.ts";
import type { Ports } from "../ports.ts";
import type { AppEnv, Principal } from "./env.ts";

const REALM = "frontier";

export function requireScope(ports: Pick<Ports, "db">, scope: ApiScope) {
  // hono/bearer-auth parses the header; verify looks the key up by its hash and records who called.
  const token = bearer({
    realm: REALM,
    async verify(key, c) {
      const hash = await hashApiKey(key);
      const [row] = await ports.db
        .select({ id: apiKeys.id, scopes: apiKeys.scopes })
        .from(apiKeys)
        .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
        .limit(1);
      if (!row) {
        // Thrown rather than `return false` so the answer keeps its title and realm in the challenge.
        throw new ProblemError({
          status: 401,
          type: "unauthorized",
          title: "Unknown or revoked API key",
          headers: { "www-authenticate": `Bearer realm="${REALM}", error="invalid_token"` },
        });
      }
      c.set("principal", { keyId: row.id, scopes: row.scopes } satisfies Principal);
      return true;
    },
  });

  return createMiddleware<AppEnv>(async (c, next) => {
    // No Bearer credentials at all (no header, or another scheme such as Basic) is a 401 challenge
    // (RFC 7235); hono/bearer-auth would answer a foreign scheme with 400.
    if (!/^Bearer /.test(c.req.header("authorization") ?? "")) {
      throw new ProblemError({
        status: 401,
        type: "unauthorized",
        title: "API key required",
        detail: "send Authorization: Bearer <key>",
        headers: { "www-authenticate": `Bearer realm="${REALM}", scope="${scope}"` },
      });
    }
    await token(c, async () => {
      const principal = c.get("principal");
      if (!principal || (!principal.scopes.includes(scope) && !principal.scopes.includes("admin"))) {
        throw new ProblemError({
          status: 403,
          type: "forbidden",
          title: "Insufficient scope",
          detail: `this endpoint needs an API key with the '${scope}' scope`,
          headers: { "www-authenticate": `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"` },
        });
      }
      await next();
    });
  });
}
