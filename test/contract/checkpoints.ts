// POST/GET /v1/checkpoints: creation, reads, pagination, Idempotency-Key.
import { describe, expect, it } from "vitest";
import { bearer, read, expectProblem, jsonInit, uniqueRun, type ContractHarness } from "./harness.ts";

export function checkpointsContract(h: ContractHarness) {
  describe("checkpoints", () => {
    it("creates a checkpoint and reads it back", async () => {
      const key = await h.createApiKey(["submit"]);
      const run = uniqueRun("create");
      const body = { url: "hf://acme/coder-7b@step-100/model.safetensors", run, step: 100, label: "low-coverage", metadata: { lr: 1e-6 } };
      const created = await h.fetch("/v1/checkpoints", jsonInit("POST", body, bearer(key)));
      expect(created.status).toBe(201);
      const checkpoint = await created.json();
      expect(checkpoint).toMatchObject({ ...body, status: "ready", source: "api", parents: null });
      expect(checkpoint.id).toMatch(/^ckpt_[0-9a-z]{26}$/);
      expect(created.headers.get("location")).toBe(`/v1/checkpoints/${checkpoint.id}`);
      expect(Date.parse(checkpoint.created_at)).not.toBeNaN();

      const readBack = await read(h, `/v1/checkpoints/${checkpoint.id}`);
      expect(readBack.status).toBe(200);
      expect(await readBack.json()).toEqual(checkpoint);
    });

    it("reads need no key; an unknown id is a 404 problem", async () => {
      await expectProblem(expect, await h.fetch("/v1/checkpoints/ckpt_doesnotexist"), 404, "not-found");
    });

    it("pages through a run with opaque cursors, each checkpoint exactly once, oldest first", async () => {
      const key = await h.createApiKey(["submit"]);
      const run = uniqueRun("page");
      const ids: string[] = [];
      for (let step = 0; step < 5; step++) {
        const res = await h.fetch("/v1/checkpoints", jsonInit("POST", { url: `s3://ckpts/${run}/${step}`, run, step }, bearer(key)));
        expect(res.status).toBe(201);
        ids.push((await res.json()).id);
      }
      // Another run's checkpoint must not show up in this run's pages.
      await h.fetch("/v1/checkpoints", jsonInit("POST", { url: "s3://other/x", run: uniqueRun("other") }, bearer(key)));

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `run=${encodeURIComponent(run)}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const res = await read(h, `/v1/checkpoints?${query}`);
        expect(res.status).toBe(200);
        const page = await res.json();
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(
          ...page.data.map((c: { id: string; run: string }) => {
            expect(c.run).toBe(run);
            return c.id;
          }),
        );
        cursor = page.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(ids);
      expect(pages).toBe(3);
    });

    it("lists without a run filter", async () => {
      const res = await read(h, "/v1/checkpoints?limit=1");
      expect(res.status).toBe(200);
      const page = await res.json();
      expect(Array.isArray(page.data)).toBe(true);
      expect(page).toHaveProperty("next_cursor");
    });

    it("rejects bad list parameters and forged cursors with 400 naming the parameter", async () => {
      for (const query of ["limit=0", "limit=201", "limit=ten"]) {
        const problem = await expectProblem(expect, await read(h, `/v1/checkpoints?${query}`), 400, "validation");
        expect(problem.errors?.map((e) => e.path)).toContain("limit");
      }
      for (const cursor of ["not-a-cursor!", "eyJmb28iOjF9", btoa("x".repeat(40))]) {
        const problem = await expectProblem(expect, await read(h, `/v1/checkpoints?cursor=${encodeURIComponent(cursor)}`), 400, "validation");
        expect(problem.errors?.map((e) => e.path)).toContain("cursor");
      }
    });

    it("validates the body: wrong types and unknown fields are 422 listing each field", async () => {
      const key = await h.createApiKey(["submit"]);
      const bad = await h.fetch("/v1/checkpoints", jsonInit("POST", { url: 42, run: "", step: "ten", metadata: [1] }, bearer(key)));
      const problem = await expectProblem(expect, bad, 422, "validation");
      expect([...new Set(problem.errors?.map((e) => e.path))].sort()).toEqual(["metadata", "run", "step", "url"]);

      const extra = await h.fetch("/v1/checkpoints", jsonInit("POST", { url: "s3://bucket/k", run: uniqueRun("x"), color: "red" }, bearer(key)));
      expect((await expectProblem(expect, extra, 422, "validation")).detail).toContain("color");

      const negative = await h.fetch("/v1/checkpoints", jsonInit("POST", { url: "s3://bucket/k", run: uniqueRun("x"), step: -1 }, bearer(key)));
      expect((await expectProblem(expect, negative, 422)).errors?.[0].path).toBe("step");

      const array = await h.fetch("/v1/checkpoints", jsonInit("POST", [1, 2], bearer(key)));
      await expectProblem(expect, array, 422, "validation");
    });
  });

  describe("Idempotency-Key", () => {
    it("replays the first response for the same key and body, without a second checkpoint", async () => {
      const key = await h.createApiKey(["submit"]);
      const run = uniqueRun("idem");
      const init = () => jsonInit("POST", { url: "s3://bucket/a.safetensors", run }, { ...bearer(key), "idempotency-key": "k-1" });
      const first = await h.fetch("/v1/checkpoints", init());
      expect(first.status).toBe(201);
      const firstBody = await first.json();
      const second = await h.fetch("/v1/checkpoints", init());
      expect(second.status).toBe(201);
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      expect(second.headers.get("location")).toBe(first.headers.get("location"));
      expect(await second.json()).toEqual(firstBody);
      const list = await (await read(h, `/v1/checkpoints?run=${run}`)).json();
      expect(list.data).toHaveLength(1);
    });

    it("refuses the same key with a different body (422)", async () => {
      const key = await h.createApiKey(["submit"]);
      const run = uniqueRun("idem");
      const headers = { ...bearer(key), "idempotency-key": "k-2" };
      expect((await h.fetch("/v1/checkpoints", jsonInit("POST", { url: "s3://bucket/a", run }, headers))).status).toBe(201);
      const conflict = await h.fetch("/v1/checkpoints", jsonInit("POST", { url: "s3://bucket/b", run }, headers));
      await expectProblem(expect, conflict, 422, "idempotency-key-reused");
      const list = await (await read(h, `/v1/checkpoints?run=${run}`)).json();
      expect(list.data.map((c: { url: string }) => c.url)).toEqual(["s3://bucket/a"]);
    });

    it("scopes keys to the API key, and without the header every POST creates", async () => {
      const [a, b] = [await h.createApiKey(["submit"]), await h.createApiKey(["submit"])];
      const run = uniqueRun("idem");
      const body = { url: "s3://bucket/a", run };
      const fromA = await (await h.fetch("/v1/checkpoints", jsonInit("POST", body, { ...bearer(a), "idempotency-key": "shared" }))).json();
      const fromB = await (await h.fetch("/v1/checkpoints", jsonInit("POST", body, { ...bearer(b), "idempotency-key": "shared" }))).json();
      expect(fromA.id).not.toBe(fromB.id);
      await h.fetch("/v1/checkpoints", jsonInit("POST", body, bearer(a)));
      await h.fetch("/v1/checkpoints", jsonInit("POST", body, bearer(a)));
      expect((await (await read(h, `/v1/checkpoints?run=${run}`)).json()).data).toHaveLength(4);
    });

    it("replays a stored 4xx too, and rejects malformed keys", async () => {
      const key = await h.createApiKey(["submit"]);
      const headers = { ...bearer(key), "idempotency-key": "k-bad-url" };
      const body = { url: "http://example.com/x", run: uniqueRun("idem") };
      await expectProblem(expect, await h.fetch("/v1/checkpoints", jsonInit("POST", body, headers)), 422);
      const again = await h.fetch("/v1/checkpoints", jsonInit("POST", body, headers));
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      await expectProblem(expect, again, 422);
      const long = await h.fetch("/v1/checkpoints", jsonInit("POST", body, { ...bearer(key), "idempotency-key": "x".repeat(300) }));
      await expectProblem(expect, long, 400, "validation");
    });
  });
}
