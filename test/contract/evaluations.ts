// POST/GET /v1/evaluations: validation, unknown references, and a created evaluation's status and
// progress. Nothing here waits for the queue: finishing one needs the backend and the executor
// (test/src/pipeline covers that).
import { describe, expect, it } from "vitest";
import { bearer, read, expectProblem, jsonInit, type ContractHarness } from "./harness.ts";
import { createCheckpoint, registerSmallPack } from "./packs.ts";

export const EVALUATION_STATUSES = ["queued", "sampling", "judging", "complete", "failed"];

export function evaluationsContract(h: ContractHarness) {
  describe("evaluations", () => {
    it("starts an evaluation (202 + Location) that reads back with its status and progress", async () => {
      const key = await h.createApiKey(["submit"]);
      const benchmark = await registerSmallPack(h);
      const checkpoint = await createCheckpoint(h, key);
      const body = { checkpoint: checkpoint.id, benchmark: benchmark.name, n: 3, temperature: 0.2, seed: 7 };
      const res = await h.fetch("/v1/evaluations", jsonInit("POST", body, bearer(key)));
      expect(res.status).toBe(202);
      const evaluation = await res.json();
      expect(evaluation.id).toMatch(/^eval_[0-9a-z]{26}$/);
      expect(res.headers.get("location")).toBe(`/v1/evaluations/${evaluation.id}`);
      expect(evaluation).toMatchObject({
        checkpoint: checkpoint.id,
        benchmark: { name: benchmark.name, version: benchmark.version },
        language: "python",
        params: { n: 3, temperature: 0.2, top_p: 0.95, max_tokens: 2048, seed: 7 },
        problems: 2,
        progress: { requested: 6 },
      });
      expect(EVALUATION_STATUSES).toContain(evaluation.status);

      const readBack = await read(h, `/v1/evaluations/${evaluation.id}`);
      expect(readBack.status).toBe(200);
      const again = await readBack.json();
      // The queue may have moved it on since; what was asked for stays.
      expect(again).toMatchObject({
        id: evaluation.id,
        checkpoint: checkpoint.id,
        benchmark: evaluation.benchmark,
        params: evaluation.params,
        problems: 2,
        created_at: evaluation.created_at,
      });
      expect(EVALUATION_STATUSES).toContain(again.status);
      const { progress } = again;
      expect(progress.requested).toBe(6);
      for (const count of ["received", "cached", "judged", "extraction_errors", "dead_lettered", "pending"])
        expect(progress[count], count).toBeGreaterThanOrEqual(0);
      expect(Object.keys(progress.verdicts).sort()).toEqual(["AC", "CE", "MLE", "NC", "OLE", "RE", "SE", "TLE", "WA"]);

      const samples = await read(h, `/v1/evaluations/${evaluation.id}/samples?limit=5`);
      expect(samples.status).toBe(200);
      const page = await samples.json();
      expect(Array.isArray(page.data)).toBe(true);
      expect(page).toHaveProperty("next_cursor");
    });

    it("evaluates a subset of problems by id", async () => {
      const key = await h.createApiKey(["submit"]);
      const benchmark = await registerSmallPack(h);
      const checkpoint = await createCheckpoint(h, key);
      const res = await h.fetch(
        "/v1/evaluations",
        jsonInit("POST", { checkpoint: checkpoint.id, benchmark: benchmark.id, n: 4, problems: ["reverse"] }, bearer(key)),
      );
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ problems: 1, progress: { requested: 4 }, benchmark: { name: benchmark.name, version: benchmark.version } });
    });

    it("validates the body: 422 naming each field, 400 for malformed JSON, 401 without a key", async () => {
      const key = await h.createApiKey(["submit"]);
      const bad = await h.fetch("/v1/evaluations", jsonInit("POST", { checkpoint: "", benchmark: 3, n: 0, temperature: 9, language: "cobol" }, bearer(key)));
      const problem = await expectProblem(expect, bad, 422, "validation");
      expect([...new Set(problem.errors?.map((e) => e.path))].sort()).toEqual(["benchmark", "checkpoint", "language", "n", "temperature"]);

      const extra = await h.fetch("/v1/evaluations", jsonInit("POST", { checkpoint: "ckpt_x", benchmark: "b", n: 1, colour: "red" }, bearer(key)));
      expect((await expectProblem(expect, extra, 422, "validation")).detail).toContain("colour");

      const malformed = await h.fetch("/v1/evaluations", {
        method: "POST",
        body: '{"checkpoint": ',
        headers: { "content-type": "application/json", ...bearer(key) },
      });
      await expectProblem(expect, malformed, 400, "malformed-json");
      await expectProblem(expect, await h.fetch("/v1/evaluations", jsonInit("POST", { checkpoint: "ckpt_x", benchmark: "b", n: 1 })), 401);
    });

    it("an unknown checkpoint, benchmark or problem is a 422 naming the field", async () => {
      const key = await h.createApiKey(["submit"]);
      const benchmark = await registerSmallPack(h);
      const checkpoint = await createCheckpoint(h, key);
      const cases: [Record<string, unknown>, string][] = [
        [{ checkpoint: "ckpt_doesnotexist", benchmark: benchmark.name, n: 1 }, "checkpoint"],
        [{ checkpoint: checkpoint.id, benchmark: "no-such-benchmark", n: 1 }, "benchmark"],
        [{ checkpoint: checkpoint.id, benchmark: `${benchmark.name}@sha256:${"0".repeat(64)}`, n: 1 }, "benchmark"],
        [{ checkpoint: checkpoint.id, benchmark: benchmark.name, n: 1, problems: ["add-two", "no-such-problem"] }, "problems"],
        [{ checkpoint: checkpoint.id, benchmark: benchmark.name, n: 1, problems: ["add-two", "add-two"] }, "problems"],
      ];
      for (const [body, field] of cases) {
        const problem = await expectProblem(expect, await h.fetch("/v1/evaluations", jsonInit("POST", body, bearer(key))), 422, "validation");
        expect(
          problem.errors?.map((e) => e.path),
          JSON.stringify(body),
        ).toEqual([field]);
      }
    });

    it("an unknown evaluation is a 404 problem, its samples too", async () => {
      await expectProblem(expect, await h.fetch("/v1/evaluations/eval_doesnotexist"), 404, "not-found");
      await expectProblem(expect, await h.fetch("/v1/evaluations/eval_doesnotexist/samples"), 404, "not-found");
    });
  });
}
