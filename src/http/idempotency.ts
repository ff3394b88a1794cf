// Idempotency-Key for POSTs (after the IETF httpapi draft): the first request with a key is
// handled and its response stored; the same key with the same request replays that response;
// the same key with a different request is a 422; while the first is still running, a 409.
// Keys are per API key and expire after a day. 5xx responses are not stored, so a retry runs again.
import { and, eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { idempotencyRecords } from "../db/schema/index.ts";
import { sha256Hex } from "../domain/api-keys.ts";
import type { Ports } from "../ports.ts";
import type { AppEnv } from "./env.ts";
import { ProblemError } from "@frontier/http";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ["content-type", "location"];

export function idempotent(ports: Pick<Ports, "db" | "clock">) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      throw new ProblemError({
        status: 400,
        type: "validation",
        title: "Invalid Idempotency-Key",
        detail: "Idempotency-Key must be 1–255 visible ASCII characters",
        errors: [{ path: "Idempotency-Key", message: "1–255 visible ASCII characters" }],
      });
    }
    const principal = c.get("principal");
    if (!principal) throw new Error("idempotent() must run after requireScope()");
    const body = await c.req.text();
    const fingerprint = await sha256Hex(`${c.req.method} ${new URL(c.req.url).pathname}\n${body}`);
    const where = and(eq(idempotencyRecords.apiKeyId, principal.keyId), eq(idempotencyRecords.key, key));

    const reserve = async () => {
      const now = ports.clock.now();
      const rows = await ports.db
        .insert(idempotencyRecords)
        .values({ apiKeyId: principal.keyId, key, fingerprint, createdAt: now.toISOString() })
        .onConflictDoNothing()
        .returning({ key: idempotencyRecords.key });
      return rows.length === 1;
    };

    let reserved = await reserve();
    if (!reserved) {
      const [existing] = await ports.db.select().from(idempotencyRecords).where(where).limit(1);
      if (existing && Date.parse(existing.createdAt) + IDEMPOTENCY_TTL_MS <= ports.clock.now().getTime()) {
        await ports.db.delete(idempotencyRecords).where(and(where, eq(idempotencyRecords.createdAt, existing.createdAt)));
        reserved = await reserve();
      } else if (existing) {
        if (existing.fingerprint !== fingerprint) {
          throw new ProblemError({
            status: 422,
            type: "idempotency-key-reused",
            title: "Idempotency-Key reused with a different request",
            detail: "this key was first used with another method, path or body; use a new key for a new request",
          });
        }
        if (existing.status === null) {
          throw new ProblemError({
            status: 409,
            type: "idempotency-in-progress",
            title: "Request in progress",
            detail: "the first request with this Idempotency-Key has not finished; retry shortly",
            headers: { "retry-after": "1" },
          });
        }
        return new Response(existing.responseBody, {
          status: existing.status,
          headers: { ...existing.responseHeaders, "idempotent-replayed": "true" },
        });
      }
      if (!reserved) reserved = await reserve();
      if (!reserved) throw new ProblemError({ status: 409, type: "idempotency-in-progress", title: "Request in progress", headers: { "retry-after": "1" } });
    }

    await next();
    const response = c.res;
    if (response.status >= 500) {
      await ports.db.delete(idempotencyRecords).where(where);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    await ports.db
      .update(idempotencyRecords)
      .set({ status: response.status, responseBody: await response.clone().text(), responseHeaders: headers })
      .where(where);
  });
}
