// Tracks and submissions over HTTP, on every runtime: an operator's track, a submission run under
// its protocol whatever the body says, the repeat answered with the same submission, the public
// queue, the per-track leaderboard, problem+json for unknown tracks.
import { describe, expect, it } from "vitest";
import { bearer, read, expectProblem, jsonInit, uniqueRun, type ContractHarness } from "./harness.ts";
import { registerSmallPack } from "./packs.ts";

export function tracksContract(h: ContractHarness) {
  describe("tracks and submissions", () => {
    it("ranks per track and queues submissions under the track's protocol", async () => {
      const admin = await h.createApiKey(["operator"]);
      const submitter = await h.createApiKey(["submit"]);
      const benchmark = await registerSmallPack(h);
      const id = uniqueRun("track")
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, "-");
      const definition = { id, benchmark: benchmark.name, n: 2, temperature: 0.6, max_tokens: 256 };
      await expectProblem(expect, await h.fetch("/v1/tracks", jsonInit("POST", definition, bearer(submitter))), 403, "forbidden");
      const created = await h.fetch("/v1/tracks", jsonInit("POST", definition, bearer(admin)));
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ id, protocol: { n: 2, temperature: 0.6, top_p: 1, max_tokens: 256, seeding: { rule: "fixed", seed: 0 } } });
      const list = await (await h.fetch("/v1/tracks")).json();
      expect(list.data.map((t: { id: string }) => t.id)).toContain(id);

      const url = `hf://acme/${id}@rev-1`;
      const res = await h.fetch("/v1/submissions", jsonInit("POST", { url, track: id, temperature: 0.1, n: 1 }, bearer(submitter)));
      expect(res.status).toBe(202);
      const submission = await res.json();
      expect(res.headers.get("location")).toBe(`/v1/submissions/${submission.id}`);
      const evaluation = await (await read(h, `/v1/evaluations/${submission.evaluation}`)).json();
      expect(evaluation.params).toMatchObject({ n: 2, temperature: 0.6, top_p: 1, max_tokens: 256, seed: 0 });
      const again = await h.fetch("/v1/submissions", jsonInit("POST", { url, track: id }, bearer(submitter)));
      expect(again.status).toBe(200);
      expect((await again.json()).id).toBe(submission.id);
      const queue = await (await h.fetch("/v1/submissions")).json();
      expect(queue.data.map((s: { id: string }) => s.id)).toContain(submission.id);

      const board = await h.fetch(`/v1/leaderboard?track=${id}`);
      expect(board.status).toBe(200);
      expect(await board.json()).toMatchObject({ track: id, benchmark: { name: benchmark.name }, data: [] });
    });

    it("unknown tracks are problems: 404 on reads, 422 on a submission", async () => {
      await expectProblem(expect, await h.fetch("/v1/tracks/no-such-track"), 404, "not-found");
      await expectProblem(expect, await h.fetch("/v1/leaderboard?track=no-such-track"), 404, "not-found");
      const key = await h.createApiKey(["submit"]);
      await expectProblem(
        expect,
        await h.fetch("/v1/submissions", jsonInit("POST", { url: "hf://acme/x@rev-1", track: "no-such-track" }, bearer(key))),
        422,
        "validation",
      );
    });
  });
}
