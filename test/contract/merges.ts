// POST/GET /v1/merges: validation, unknown or unready parents, and a created merge with its derived
// checkpoints' lineage (the backend that writes them is not needed to read them back).
import { describe, expect, it } from "vitest";
import { bearer, read, expectProblem, jsonInit, uniqueRun, type ContractHarness } from "./harness.ts";
import { createCheckpoint, registerSmallPack } from "./packs.ts";

const MERGE_STATUSES = ["merging", "ready", "failed", "partial"];

export function mergesContract(h: ContractHarness) {
  describe("merges", () => {
    it("creates a grid over α (202 + Location): derived checkpoints carry their lineage", async () => {
      const key = await h.createApiKey(["submit"]);
      const run = uniqueRun("merge");
      const [a, b] = [await createCheckpoint(h, key, run, 100), await createCheckpoint(h, key, run, 200)];
      const res = await h.fetch("/v1/merges", jsonInit("POST", { a: a.id, b: b.id, alphas: [-0.5, 0.5, 1.5] }, bearer(key)));
      expect(res.status).toBe(202);
      const merge = await res.json();
      expect(merge.id).toMatch(/^mrg_[0-9a-z]{26}$/);
      expect(res.headers.get("location")).toBe(`/v1/merges/${merge.id}`);
      expect(merge).toMatchObject({ run: `merge:${run}`, evaluate: null });
      expect(MERGE_STATUSES).toContain(merge.status);
      expect(merge.checkpoints.map((c: { alpha: number }) => c.alpha)).toEqual([-0.5, 0.5, 1.5]);
      expect(merge.checkpoints.map((c: { parents: unknown }) => c.parents)).toEqual([
        [
          { checkpoint: a.id, coefficient: 1.5 },
          { checkpoint: b.id, coefficient: -0.5 },
        ],
        [
          { checkpoint: a.id, coefficient: 0.5 },
          { checkpoint: b.id, coefficient: 0.5 },
        ],
        [
          { checkpoint: a.id, coefficient: -0.5 },
          { checkpoint: b.id, coefficient: 1.5 },
        ],
      ]);

      const readBack = await read(h, `/v1/merges/${merge.id}`);
      expect(readBack.status).toBe(200);
      const again = await readBack.json();
      expect(again.checkpoints.map((c: { id: string }) => c.id)).toEqual(merge.checkpoints.map((c: { id: string }) => c.id));

      const derived = await (await read(h, `/v1/checkpoints/${merge.checkpoints[2].id}`)).json();
      expect(derived).toMatchObject({ source: "merge", run: `merge:${run}`, parents: merge.checkpoints[2].parents });
    });

    it("an affine combination takes parents whose coefficients sum to 1, into a named run", async () => {
      const key = await h.createApiKey(["submit"]);
      const [a, b, c] = [await createCheckpoint(h, key), await createCheckpoint(h, key), await createCheckpoint(h, key)];
      const parents = [
        { checkpoint: a.id, coefficient: 0.5 },
        { checkpoint: b.id, coefficient: 0.25 },
        { checkpoint: c.id, coefficient: 0.25 },
      ];
      const run = uniqueRun("soup");
      const res = await h.fetch("/v1/merges", jsonInit("POST", { parents, run }, bearer(key)));
      expect(res.status).toBe(202);
      const merge = await res.json();
      expect(merge.run).toBe(run);
      expect(merge.checkpoints).toHaveLength(1);
      expect(merge.checkpoints[0]).toMatchObject({ alpha: null, parents });
    });

    it("validates the request: 422 naming the field", async () => {
      const key = await h.createApiKey(["submit"]);
      const [a, b] = [await createCheckpoint(h, key), await createCheckpoint(h, key)];
      const cases: [unknown, string][] = [
        [{ a: a.id, b: b.id, alphas: [] }, "alphas"],
        [{ a: a.id, b: b.id, alphas: [0.5, 0.5] }, "alphas"],
        [{ a: a.id, b: a.id, alphas: [0.5] }, "b"],
        [
          {
            parents: [
              { checkpoint: a.id, coefficient: 0.5 },
              { checkpoint: b.id, coefficient: 0.4 },
            ],
          },
          "parents",
        ],
        [
          {
            parents: [
              { checkpoint: a.id, coefficient: 0.5 },
              { checkpoint: a.id, coefficient: 0.5 },
            ],
          },
          "parents",
        ],
      ];
      for (const [body, field] of cases) {
        const problem = await expectProblem(expect, await h.fetch("/v1/merges", jsonInit("POST", body, bearer(key))), 422, "validation");
        expect(
          problem.errors?.map((e) => e.path.split(".")[0]),
          JSON.stringify(body),
        ).toContain(field);
      }
      // Neither shape (a grid and parents at once, or extra fields) is refused too.
      for (const body of [{ a: a.id, b: b.id, alphas: [0.5], parents: [] }, { a: a.id, b: b.id, alphas: [0.5], colour: "red" }, {}]) {
        await expectProblem(expect, await h.fetch("/v1/merges", jsonInit("POST", body, bearer(key))), 422, "validation");
      }
      await expectProblem(expect, await h.fetch("/v1/merges", jsonInit("POST", { a: a.id, b: b.id, alphas: [0.5] })), 401);
    });

    it("unknown or unready parents are a 422 naming each, and nothing is created", async () => {
      const key = await h.createApiKey(["submit"]);
      const ready = await createCheckpoint(h, key);
      const grid = await h.fetch("/v1/merges", jsonInit("POST", { a: "ckpt_doesnotexist", b: ready.id, alphas: [0.5] }, bearer(key)));
      expect((await expectProblem(expect, grid, 422, "validation")).errors?.map((e) => e.path)).toEqual(["a"]);

      const parents = [
        { checkpoint: ready.id, coefficient: 0.5 },
        { checkpoint: "ckpt_nope1", coefficient: 0.25 },
        { checkpoint: "ckpt_nope2", coefficient: 0.25 },
      ];
      const run = uniqueRun("unknown-parents");
      const combo = await h.fetch("/v1/merges", jsonInit("POST", { parents, run }, bearer(key)));
      expect((await expectProblem(expect, combo, 422)).errors?.map((e) => e.path)).toEqual(["parents.1.checkpoint", "parents.2.checkpoint"]);
      expect((await (await read(h, `/v1/checkpoints?run=${run}`)).json()).data).toEqual([]);

      // A merge output is pending until the backend writes it: it cannot be a parent yet.
      const pending = (
        await (await h.fetch("/v1/merges", jsonInit("POST", { a: ready.id, b: (await createCheckpoint(h, key)).id, alphas: [0.5] }, bearer(key)))).json()
      ).checkpoints[0];
      expect(pending.status).toBe("merging");
      const again = await h.fetch("/v1/merges", jsonInit("POST", { a: ready.id, b: pending.id, alphas: [0.5] }, bearer(key)));
      expect((await expectProblem(expect, again, 422)).errors?.[0]).toMatchObject({ path: "b", message: expect.stringContaining("not ready") });
    });

    it("checks `evaluate` before merging: an unknown benchmark is a 422 under evaluate", async () => {
      const key = await h.createApiKey(["submit"]);
      const [a, b] = [await createCheckpoint(h, key), await createCheckpoint(h, key)];
      const unknown = await h.fetch(
        "/v1/merges",
        jsonInit("POST", { a: a.id, b: b.id, alphas: [0.5], evaluate: { benchmark: "no-such-benchmark", n: 2 } }, bearer(key)),
      );
      expect((await expectProblem(expect, unknown, 422, "validation")).errors?.map((e) => e.path)).toEqual(["evaluate.benchmark"]);

      const benchmark = await registerSmallPack(h);
      const ok = await h.fetch("/v1/merges", jsonInit("POST", { a: a.id, b: b.id, alphas: [0.5], evaluate: { benchmark: benchmark.name, n: 2 } }, bearer(key)));
      expect(ok.status).toBe(202);
      expect((await ok.json()).evaluate).toMatchObject({ benchmark: benchmark.name, n: 2 });
    });

    it("an unknown merge is a 404 problem", async () => {
      await expectProblem(expect, await h.fetch("/v1/merges/mrg_doesnotexist"), 404, "not-found");
    });
  });
}
