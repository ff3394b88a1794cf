// Every bad request gets an RFC 9457 problem: routing, bodies, content types, keys, scopes, limits.
import { describe, expect, it } from "vitest";
import { bearer, read, expectProblem, jsonInit, uniqueRun, type ApiResponse, type ContractHarness } from "./harness.ts";

export function errorsContract(h: ContractHarness) {
  describe("errors are problem+json", () => {
    it("unknown routes are 404", async () => {
      const problem = await expectProblem(expect, await h.fetch("/v1/nope"), 404, "not-found");
      expect(problem.instance).toBe("/v1/nope");
      await expectProblem(expect, await h.fetch("/definitely/not/here", jsonInit("POST", {})), 404, "not-found");
    });

    it("a known path with an unsupported method is 405 with Allow", async () => {
      const res = await h.fetch("/v1/checkpoints", { method: "DELETE" });
      const allow = res.headers.get("allow") ?? "";
      await expectProblem(expect, res, 405, "method-not-allowed");
      expect(allow.split(/,\s*/).sort()).toEqual(expect.arrayContaining(["GET", "POST"]));
      const one = await h.fetch("/v1/checkpoints/ckpt_x", { method: "PUT", body: "{}", headers: { "content-type": "application/json" } });
      expect(one.headers.get("allow")).toContain("GET");
      await expectProblem(expect, one, 405);
      await expectProblem(expect, await h.fetch("/v1/health", jsonInit("POST", {})), 405);
    });

    it("malformed JSON is 400", async () => {
      const key = await h.createApiKey(["submit"]);
      for (const body of ['{"url": "s3://bucket/k", "run": ', "not json", '{"a":1}}']) {
        const res = await h.fetch("/v1/checkpoints", { method: "POST", body, headers: { "content-type": "application/json", ...bearer(key) } });
        await expectProblem(expect, res, 400, "malformed-json");
      }
    });

    it("a body that is not JSON is 415", async () => {
      const key = await h.createApiKey(["submit"]);
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/jsonp"]) {
        const res = await h.fetch("/v1/checkpoints", { method: "POST", body: "url=s3://bucket/k&run=x", headers: { "content-type": type, ...bearer(key) } });
        await expectProblem(expect, res, 415, "unsupported-media-type");
      }
      const none = await h.fetch("/v1/checkpoints", { method: "POST", body: new Blob(['{"url":"s3://bucket/k","run":"x"}']), headers: bearer(key) });
      await expectProblem(expect, none, 415);
      const charset = await h.fetch("/v1/checkpoints", {
        method: "POST",
        body: JSON.stringify({ url: "s3://bucket/k", run: uniqueRun("charset") }),
        headers: { "content-type": "application/json; charset=utf-8", ...bearer(key) },
      });
      expect(charset.status).toBe(201);
    });

    it("a body over 1 MiB is 413, with or without Content-Length", async () => {
      const key = await h.createApiKey(["submit"]);
      const big = JSON.stringify({ url: "s3://bucket/k", run: "big", metadata: { blob: "x".repeat(1024 * 1024 + 10) } });
      const sized = await h.fetch("/v1/checkpoints", { method: "POST", body: big, headers: { "content-type": "application/json", ...bearer(key) } });
      await expectProblem(expect, sized, 413, "payload-too-large");
      const bytes = new TextEncoder().encode(big);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
          controller.close();
        },
      });
      const streamed = await h.fetch("/v1/checkpoints", {
        method: "POST",
        body: stream,
        headers: { "content-type": "application/json", ...bearer(key) },
        // @ts-expect-error Node's fetch needs this for a stream body; other runtimes ignore it.
        duplex: "half",
      });
      await expectProblem(expect, streamed, 413, "payload-too-large");
    });
  });

  describe("API keys and scopes", () => {
    const body = () => ({ url: "s3://bucket/key", run: uniqueRun("auth") });

    it("writes without a key are 401 with a Bearer challenge", async () => {
      const res = await h.fetch("/v1/checkpoints", jsonInit("POST", body()));
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      await expectProblem(expect, res, 401, "unauthorized");
      await expectProblem(expect, await h.fetch("/v1/checkpoints", jsonInit("POST", body(), { authorization: "Basic dXNlcjpwYXNz" })), 401);
    });

    it("an unknown key is 401", async () => {
      const res = await h.fetch("/v1/checkpoints", jsonInit("POST", body(), bearer("frk_0000000000000000000000000000000a")));
      await expectProblem(expect, res, 401, "unauthorized");
    });

    it("a key without the scope is 403; admin includes submit", async () => {
      const none = await h.createApiKey([]);
      const res = await h.fetch("/v1/checkpoints", jsonInit("POST", body(), bearer(none)));
      expect(res.headers.get("www-authenticate")).toContain("insufficient_scope");
      await expectProblem(expect, res, 403, "forbidden");
      const admin = await h.createApiKey(["admin"]);
      expect((await h.fetch("/v1/checkpoints", jsonInit("POST", body(), bearer(admin)))).status).toBe(201);
    });

    it("rate-limits writes per key with 429 and Retry-After, leaving other keys alone", { timeout: 90_000 }, async () => {
      const key = await h.createApiKey(["submit"]);
      let limited: ApiResponse | undefined;
      // Limiters count in fixed windows. A burst of 250 that spans at most two windows puts at least
      // 125 requests in one, above any per-window write limit up to 124, however slow the machine.
      for (let burst = 0; burst < 6 && !limited; burst++) {
        // Invalid bodies are cheap for the server and still count against the key.
        const responses = await Promise.all(Array.from({ length: 250 }, () => h.fetch("/v1/checkpoints", jsonInit("POST", { url: 1 }, bearer(key)))));
        for (const res of responses) {
          if (res.status === 429 && !limited) limited = res;
          else {
            expect([422, 429]).toContain(res.status);
            await res.body?.cancel();
          }
        }
      }
      expect(limited, "no 429 within 6 bursts of 250 writes").toBeDefined();
      expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
      await expectProblem(expect, limited!, 429, "rate-limited");
      const other = await h.createApiKey(["submit"]);
      expect((await h.fetch("/v1/checkpoints", jsonInit("POST", body(), bearer(other)))).status).toBe(201);
      // Reads are not limited.
      expect((await read(h, "/v1/checkpoints?limit=1")).status).toBe(200);
    });
  });
}
