// Bearer API keys. Reads of public data need no key; writes name the scope they need.
// `admin` implies every other scope.
import { and, eq, isNull } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { apiKeys, type ApiScope } from "../db/schema/index.ts";
import { hashApiKey } from "../domain/api-keys.ts";
import type { Ports } from "../ports.ts";
import type { AppEnv } from "./env.ts";
import { ProblemError } from "./problem.ts";

export function requireScope(ports: Pick<Ports, "db">, scope: ApiScope) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(c.req.header("authorization") ?? "");
    if (!match) {
      throw new ProblemError({
        status: 401,
        type: "unauthorized",
        title: "API key required",
        detail: "send Authorization: Bearer <key>",
        headers: { "www-authenticate": `Bearer realm="frontier", scope="${scope}"` },
      });
    }
    const hash = await hashApiKey(match[1]);
    const [key] = await ports.db
      .select({ id: apiKeys.id, scopes: apiKeys.scopes })
      .from(apiKeys)
      .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (!key) {
      throw new ProblemError({
        status: 401,
        type: "unauthorized",
        title: "Unknown or revoked API key",
        headers: { "www-authenticate": `Bearer realm="frontier", error="invalid_token"` },
      });
    }
    if (!key.scopes.includes(scope) && !key.scopes.includes("admin")) {
      throw new ProblemError({
        status: 403,
        type: "forbidden",
        title: "Insufficient scope",
        detail: `this endpoint needs an API key with the '${scope}' scope`,
        headers: { "www-authenticate": `Bearer realm="frontier", error="insufficient_scope", scope="${scope}"` },
      });
    }
    c.set("principal", { keyId: key.id, scopes: key.scopes });
    await next();
  });
}
