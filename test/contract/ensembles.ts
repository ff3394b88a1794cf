// POST/GET /v1/ensembles: validation and member checks. Computing one needs complete evaluations,
// which only the pipeline produces (test/src/pipeline and test/src/leaderboard cover that).
import { describe, expect, it } from "vitest";
import { bearer, expectProblem, jsonInit, type ContractHarness } from "./harness.ts";
import { createCheckpoint, registerSmallPack } from "./packs.ts";

export function ensemblesContract(h: ContractHarness) {
  describe("ensembles", () => {
    it("validates the request: 422 naming each field", async () => {
      const key = await h.createApiKey(["submit"]);
      const cases: [unknown, string[]][] = [
        [{ members: [], budget: 10 }, ["members"]],
        [{ members: ["eval_a"], budget: 0 }, ["budget"]],
        [{ members: ["eval_a"], budget: 2.5, allocation: "greedy" }, ["allocation", "budget"]],
        [{ members: ["eval_a", "eval_b"] }, ["budget"]],
        [{ members: ["eval_a"], budget: 10, holdout: { fraction: 1.5 } }, ["holdout"]],
      ];
      for (const [body, fields] of cases) {
        const problem = await expectProblem(expect, await h.fetch("/v1/ensembles", jsonInit("POST", body, bearer(key))), 422, "validation");
        expect([...new Set(problem.errors?.map((e) => e.path.split(".")[0]))].sort(), JSON.stringify(body)).toEqual(fields);
      }
      const extra = await h.fetch("/v1/ensembles", jsonInit("POST", { members: ["eval_a"], budget: 10, colour: "red" }, bearer(key)));
      expect((await expectProblem(expect, extra, 422)).detail).toContain("colour");
      await expectProblem(expect, await h.fetch("/v1/ensembles", jsonInit("POST", { members: ["eval_a"], budget: 10 })), 401);
    });

    it("members must be distinct, known and complete evaluations", async () => {
      const key = await h.createApiKey(["submit"]);
      const duplicate = await h.fetch("/v1/ensembles", jsonInit("POST", { members: ["eval_a", "eval_a"], budget: 4 }, bearer(key)));
      expect((await expectProblem(expect, duplicate, 422)).errors?.map((e) => e.path)).toEqual(["members"]);

      const unknown = await h.fetch("/v1/ensembles", jsonInit("POST", { members: ["eval_nope1", "eval_nope2"], budget: 4 }, bearer(key)));
      expect((await expectProblem(expect, unknown, 422)).errors?.map((e) => e.path)).toEqual(["members.0", "members.1"]);

      // A just-started evaluation is not complete (its samples have not even been drawn).
      const benchmark = await registerSmallPack(h);
      const checkpoint = await createCheckpoint(h, key);
      const started = await (
        await h.fetch("/v1/evaluations", jsonInit("POST", { checkpoint: checkpoint.id, benchmark: benchmark.name, n: 2 }, bearer(key)))
      ).json();
      const early = await h.fetch("/v1/ensembles", jsonInit("POST", { members: [started.id, "eval_nope"], budget: 2 }, bearer(key)));
      const errors = (await expectProblem(expect, early, 422, "validation")).errors;
      expect(errors?.map((e) => e.path)).toEqual(["members.0", "members.1"]);
      expect(errors?.[0]?.message).toContain("not complete");
    });

    it("an unknown ensemble is a 404 problem", async () => {
      await expectProblem(expect, await h.fetch("/v1/ensembles/ens_doesnotexist"), 404, "not-found");
    });
  });
}
