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
