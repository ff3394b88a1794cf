import { describe, expect, it } from "vitest";
import { memoryRateLimiter } from "../../../src/http/rate-limit.ts";

describe("in-memory rate limiter (the binding's simulation off Workers)", () => {
  it("allows `limit` calls per key per window, then refuses until the next window", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const limiter = memoryRateLimiter({ limit: 3, periodSeconds: 10, clock: { now: () => new Date(now) } });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await limiter.limit("a"));
    expect(results).toEqual([true, true, true, false, false]);
    expect(await limiter.limit("b")).toBe(true);
    now += 10_000;
    expect(await limiter.limit("a")).toBe(true);
  });
});

describe("per-team write limit", () => {
  it("counts every key of a team together; a write refused for its key does not count; other teams are untouched", async () => {
    const { Hono } = await import("hono");
    const { rateLimitWrites } = await import("../../../src/http/rate-limit.ts");
    const { onError } = await import("@frontier/http");
    const clock = { now: () => new Date("2026-01-01T00:00:00Z") };
    const ports = {
      rateLimit: memoryRateLimiter({ limit: 2, periodSeconds: 10, clock }),
      teamRateLimit: memoryRateLimiter({ limit: 3, periodSeconds: 10, clock }),
    };
    const app = new Hono<{ Variables: { principal?: { keyId: string; teamId: string; scopes: []; operator: boolean } } }>();
    app.onError(onError);
    app.post("/w", async (c, next) => {
      const [keyId, teamId] = c.req.header("x-caller")!.split("@");
      c.set("principal", { keyId: keyId!, teamId: teamId!, scopes: [], operator: false });
      await next();
    });
    app.post("/w", rateLimitWrites(ports), (c) => c.text("ok"));
    const write = async (caller: string) => (await app.request("/w", { method: "POST", headers: { "x-caller": caller } })).status;
    const statuses = [];
    for (const caller of ["k1@a", "k1@a", "k1@a", "k2@a", "k3@a", "k4@b"]) statuses.push(await write(caller));
    // k1: 2 allowed, the 3rd refused for the key (not counted for the team); k2 makes 3 for team a; k3 is over the team's 3.
    expect(statuses).toEqual([200, 200, 429, 200, 429, 200]);
  });
});
