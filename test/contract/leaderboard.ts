// The public reads: GET /v1/leaderboard and the page at /, and GET /v1/runs/:run/frontier (the run's team), on what
// the API alone can create (a registered benchmark, checkpoints, started evaluations). Ranked rows
// need completed evaluations: test/src/leaderboard seeds those inside workerd.
import { describe, expect, it } from "vitest";
import { PUBLIC_CACHE_CONTROL } from "../../src/http/cache.ts";
import { bearer, read, expectProblem, jsonInit, uniqueRun, type ContractHarness } from "./harness.ts";
import { createCheckpoint, registerSmallPack } from "./packs.ts";

export function leaderboardContract(h: ContractHarness) {
  describe("leaderboard", () => {
    it("a benchmark without complete evaluations has an empty board, by name or name@version", async () => {
      const key = await h.createApiKey(["submit"]);
      const benchmark = await registerSmallPack(h);
      // A started evaluation is not on the board until it is complete.
      const checkpoint = await createCheckpoint(h, key);
      expect((await h.fetch("/v1/evaluations", jsonInit("POST", { checkpoint: checkpoint.id, benchmark: benchmark.name, n: 1 }, bearer(key)))).status).toBe(
        202,
      );
      for (const reference of [benchmark.name, benchmark.id]) {
        for (const kind of ["", "&kind=checkpoint", "&kind=ensemble"]) {
          const res = await h.fetch(`/v1/leaderboard?benchmark=${encodeURIComponent(reference)}&k=5${kind}`);
          expect(res.status).toBe(200);
          expect(await res.json()).toEqual({
            benchmark: { name: benchmark.name, version: benchmark.version, id: benchmark.id },
            track: null,
            k: 5,
            kind: kind ? kind.slice("&kind=".length) : null,
            data: [],
            next_cursor: null,
          });
        }
      }
      const fallback = await h.fetch("/v1/leaderboard");
      expect(fallback.status).toBe(200);
      expect(await fallback.json()).toMatchObject({ k: 1, kind: null, data: expect.any(Array) });
    });

    it("an unknown benchmark is a 404 problem; bad parameters and foreign cursors are 400", async () => {
      const missing = await h.fetch(`/v1/leaderboard?benchmark=${uniqueRun("no-such-bench")}`);
      expect(missing.headers.get("cache-control") ?? "").not.toContain("public");
      await expectProblem(expect, missing, 404, "not-found");
      await expectProblem(expect, await h.fetch(`/v1/leaderboard?benchmark=x@sha256:${"0".repeat(64)}`), 404, "not-found");
      for (const [query, field] of [
        ["k=0", "k"],
        ["k=many", "k"],
        ["limit=101", "limit"],
        ["kind=person", "kind"],
        ["cursor=not-ours", "cursor"],
      ]) {
        const problem = await expectProblem(expect, await h.fetch(`/v1/leaderboard?${query}`), 400, "validation");
        expect(
          problem.errors?.map((e) => e.path),
          query,
        ).toContain(field);
      }
    });

    it("public reads carry an ETag and public Cache-Control; If-None-Match gives a bodiless 304 with the CORS headers", async () => {
      const benchmark = await registerSmallPack(h);
      const paths = [
        `/v1/leaderboard?benchmark=${encodeURIComponent(benchmark.id)}`,
        `/v1/benchmarks/${encodeURIComponent(benchmark.name)}`,
        "/v1/benchmarks",
        `/?benchmark=${encodeURIComponent(benchmark.id)}`,
      ];
      for (const path of paths) {
        const first = await h.fetch(path);
        expect(first.status, path).toBe(200);
        await first.arrayBuffer();
        const tag = first.headers.get("etag");
        expect(tag, path).toMatch(/^(W\/)?"[^"]+"$/);
        expect(first.headers.get("cache-control"), path).toBe(PUBLIC_CACHE_CONTROL);
        expect(first.headers.get("access-control-allow-origin"), path).toBe("*");
        // A cross-origin revalidation: the 304 must carry the CORS header too, or the browser rejects it.
        const again = await h.fetch(path, { headers: { "if-none-match": tag!, origin: "https://example.org" } });
        expect(again.status, path).toBe(304);
        expect(again.headers.get("etag")).toBe(tag);
        expect(again.headers.get("access-control-allow-origin"), path).toBe("*");
        expect(again.headers.get("access-control-expose-headers")?.toLowerCase(), path).toContain("etag");
        expect(await again.text()).toBe("");
        const stale = await h.fetch(path, { headers: { "if-none-match": '"something-else"' } });
        expect(stale.status, path).toBe(200);
        await stale.arrayBuffer();
      }
      // A run's frontier is private to its team: never cached by a shared cache.
      const keyed = await read(h, `/v1/runs/${uniqueRun("etag")}/frontier`);
      expect(keyed.status).toBe(200);
      expect(keyed.headers.get("cache-control")).toBe("private, no-store");
      expect(keyed.headers.get("vary")).toContain("Authorization");
      await keyed.arrayBuffer();
    });

    it("CORS is open for reads, including preflight, and not for writes", async () => {
      const res = await h.fetch("/v1/leaderboard", { headers: { origin: "https://example.org" } });
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("etag");
      await res.arrayBuffer();
      const notFound = await h.fetch(`/v1/leaderboard?benchmark=${uniqueRun("nope")}`, { headers: { origin: "https://example.org" } });
      expect(notFound.headers.get("access-control-allow-origin")).toBe("*");
      await notFound.arrayBuffer();
      for (const path of ["/v1/leaderboard", "/v1/benchmarks", "/v1/tracks"]) {
        const preflight = await h.fetch(path, { method: "OPTIONS", headers: { origin: "https://example.org", "access-control-request-method": "GET" } });
        expect(preflight.status, path).toBe(204);
        expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
        expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
        expect(preflight.headers.get("access-control-allow-methods")).not.toContain("POST");
      }
      // Writes are not opened to other origins.
      const write = await h.fetch("/v1/checkpoints", jsonInit("POST", {}, { origin: "https://example.org" }));
      expect(write.headers.get("access-control-allow-origin")).toBeNull();
      await write.arrayBuffer();
    });

    it("the page renders a benchmark's empty board, and an unknown benchmark is a 404 page", async () => {
      const benchmark = await registerSmallPack(h);
      const page = await h.fetch(`/?benchmark=${encodeURIComponent(benchmark.id)}`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toContain("text/html");
      const html = await page.text();
      expect(html).toContain(benchmark.name);
      expect(html).toContain('src="/assets/leaderboard.js"');
      expect([...html.matchAll(/<tr data-id="/g)]).toHaveLength(0);

      const unknown = await h.fetch(`/?benchmark=${uniqueRun("no-such-bench")}`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get("content-type")).toContain("text/html");
      expect(await unknown.text()).toContain(benchmark.id);
      await expectProblem(expect, await h.fetch("/?k=0"), 400, "validation");
    });
  });

  describe("run frontier", () => {
    it("a run without complete evaluations (or no such run) has no points", async () => {
      const key = await h.createApiKey(["submit"]);
      const checkpoint = await createCheckpoint(h, key);
      for (const run of [checkpoint.run, uniqueRun("no-such-run")]) {
        const res = await read(h, `/v1/runs/${encodeURIComponent(run)}/frontier?k=1,10`);
        expect(res.status, run).toBe(200);
        expect(await res.json()).toEqual({ run, benchmark: null, track: null, points: [], pareto: [], complementarity: null });
      }
    });

    it("bad k values and names are 400 problems", async () => {
      for (const path of ["/v1/runs/r/frontier?k=0", "/v1/runs/r/frontier?k=one", `/v1/runs/${"r".repeat(129)}/frontier`]) {
        await expectProblem(expect, await read(h, path), 400, "validation");
      }
    });
  });
}
