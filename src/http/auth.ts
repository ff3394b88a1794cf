// Bearer API keys. `identify` (mounted once for every path) resolves an optional key into the
// principal; `requireScope` makes a key mandatory and checks its scope. Within a team
// read < submit < admin; `operator` is deployment-wide and implies every other scope.
import { bearer, ProblemError } from "@frontier/http";
import { and, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { apiKeys, type ApiScope } from "../db/schema/index.ts";
import { hashApiKey } from "../domain/api-keys.ts";
import type { Ports } from "../ports.ts";
import type { AppEnv, Principal } from "./env.ts";

const REALM = "frontier";
const RANK: Record<ApiScope, number> = { read: 1, submit: 2, admin: 3, operator: 4 };

/** Whether the principal's scopes include `scope` (a higher scope implies the lower ones). */
export function hasScope(principal: Principal | undefined, scope: ApiScope): boolean {
  if (!principal) return false;
  if (principal.operator) return true;
  if (scope === "operator") return false;
  return principal.scopes.some((held) => RANK[held] >= RANK[scope]);
}

async function lookUp(ports: Pick<Ports, "db">, key: string): Promise<Principal> {
  const hash = await hashApiKey(key);
  const [row] = await ports.db
    .select({ id: apiKeys.id, scopes: apiKeys.scopes, teamId: apiKeys.teamId })
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
  return { keyId: row.id, teamId: row.teamId, scopes: row.scopes, operator: row.scopes.includes("operator") };
}

/** Resolves `Authorization: Bearer <key>` (when sent) into c.var.principal; an unknown key is a 401. */
export async function resolvePrincipal(ports: Pick<Ports, "db">, c: Context<AppEnv>): Promise<Principal | undefined> {
  if (c.get("principal")) return c.get("principal");
  if (!/^Bearer /.test(c.req.header("authorization") ?? "")) return undefined;
  const token = bearer({
    realm: REALM,
    async verify(key, ctx) {
      ctx.set("principal", await lookUp(ports, key));
      return true;
    },
  });
  await token(c, async () => {});
  return c.get("principal");
}

export function requireScope(ports: Pick<Ports, "db">, scope: ApiScope) {
  return createMiddleware<AppEnv>(async (c, next) => {
    // No Bearer credentials at all (no header, or another scheme such as Basic) is a 401 challenge
    // (RFC 7235); hono/bearer-auth would answer a foreign scheme with 400.
    const principal = await resolvePrincipal(ports, c);
    if (!principal) {
      throw new ProblemError({
        status: 401,
        type: "unauthorized",
        title: "API key required",
        detail: "send Authorization: Bearer <key>",
        headers: { "www-authenticate": `Bearer realm="${REALM}", scope="${scope}"` },
      });
    }
    if (!hasScope(principal, scope)) {
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
}
