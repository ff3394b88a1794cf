// Continuous evaluation over HTTP, on every runtime: a run's policy turns each signed
// `checkpoint.saved` (every k-th step) into one evaluation per track under the track's protocol;
// a replayed event, or a retry under a new webhook-id, starts none; problems for bad requests.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { bearer, read, expectProblem, jsonInit, uniqueRun, type ContractHarness } from "./harness.ts";
import { registerSmallPack } from "./packs.ts";

export function runPoliciesContract(h: ContractHarness) {
  let counter = 0;
  const signed = (payload: unknown, id = `msg_policy_${Date.now().toString(36)}_${counter++}`) => {
    const timestamp = Math.floor(h.now().getTime() / 1000);
    const body = JSON.stringify(payload);
    const signature = new Webhook(h.webhookSecret).sign(id, new Date(timestamp * 1000), body);
    return {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature },
    } satisfies RequestInit;
  };
  const saved = (run: string, step: number) => ({
    type: "checkpoint.saved",
    timestamp: h.now().toISOString(),
    data: { run, step, url: `s3://ckpts/${run}/step-${step}` },
  });
  const slug = (label: string) =>
    uniqueRun(label)
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, "-");

  describe("run policies (continuous evaluation)", () => {
    it("evaluates every k-th checkpoint of the run on each track, once", { timeout: 60_000 }, async () => {
      const admin = await h.createApiKey(["operator"]);
      const submitter = await h.createApiKey(["submit"]);
      const benchmark = await registerSmallPack(h);
      type TrackBody = { id: string; benchmark: string; n: number; temperature: number; max_tokens: number; seed?: number };
      const trackA: TrackBody = { id: slug("pol-a"), benchmark: benchmark.name, n: 2, temperature: 0.6, max_tokens: 256 };
      const trackB: TrackBody = { id: slug("pol-b"), benchmark: benchmark.name, n: 3, temperature: 0.2, max_tokens: 128, seed: 7 };
      for (const t of [trackA, trackB]) expect((await h.fetch("/v1/tracks", jsonInit("POST", t, bearer(admin)))).status).toBe(201);
      const run = uniqueRun("policy");

      const put = await h.fetch(`/v1/runs/${run}/policy`, jsonInit("PUT", { tracks: [trackA.id, trackB.id], every_steps: 20 }, bearer(submitter)));
      expect(put.status).toBe(201);
      expect(await put.json()).toMatchObject({ run, tracks: [trackA.id, trackB.id], every_steps: 20, publish: false, evaluations: [] });

      const started: string[] = [];
      for (const step of [10, 20, 30, 40]) {
        const res = await h.fetch("/v1/hooks/training-runs", signed(saved(run, step)));
        expect(res.status).toBe(200);
        const receipt = await res.json();
        expect(receipt.evaluations).toHaveLength(step % 20 === 0 ? 2 : 0);
        started.push(...receipt.evaluations);
      }
      expect(started).toHaveLength(4);

      // A replay (same webhook-id) and a retry under a new id for the same run, step and url start nothing.
      const replayed = signed(saved(run, 40), `msg_policy_replay_${run}`);
      expect((await (await h.fetch("/v1/hooks/training-runs", replayed)).json()).evaluations).toHaveLength(0);
      const replay = await h.fetch("/v1/hooks/training-runs", { ...replayed });
      expect(replay.status).toBe(200);
      expect((await replay.json()).duplicate).toBe(true);
      const retry = await (await h.fetch("/v1/hooks/training-runs", signed(saved(run, 20)))).json();
      expect(retry).toMatchObject({ duplicate: true, evaluations: [] });

      const policy = await (await read(h, `/v1/runs/${run}/policy`)).json();
      expect(policy.evaluations).toHaveLength(4);
      expect(policy.evaluations.map((e: { step: number }) => e.step)).toEqual([20, 20, 40, 40]);
      expect(new Set(policy.evaluations.map((e: { evaluation: string }) => e.evaluation))).toEqual(new Set(started));
      for (const e of policy.evaluations as { track: string; evaluation: string }[]) {
        const evaluation = await (await read(h, `/v1/evaluations/${e.evaluation}`)).json();
        const t = e.track === trackA.id ? trackA : trackB;
        expect(evaluation.params).toMatchObject({ n: t.n, temperature: t.temperature, max_tokens: t.max_tokens, seed: t.seed ?? 0, top_p: 1 });
        // Private by default: started, not published.
        expect((await (await read(h, `/v1/evaluations/${e.evaluation}/publications`)).json()).data).toEqual([]);
      }

      // Another run's checkpoints are not evaluated; replacing the policy keeps what it started.
      const other = await (await h.fetch("/v1/hooks/training-runs", signed(saved(uniqueRun("no-policy"), 20)))).json();
      expect(other.evaluations).toHaveLength(0);
      const replaced = await h.fetch(`/v1/runs/${run}/policy`, jsonInit("PUT", { tracks: [trackA.id], publish: true }, bearer(admin)));
      expect(replaced.status).toBe(200);
      expect(await replaced.json()).toMatchObject({ tracks: [trackA.id], every_steps: 1, publish: true });
      const published = (await (await h.fetch("/v1/hooks/training-runs", signed(saved(run, 41)))).json()).evaluations;
      expect(published).toHaveLength(1);
      // With publish: true, what it starts is published on the track (its row goes public once complete).
      expect((await (await read(h, `/v1/evaluations/${published[0]}/publications`)).json()).data).toEqual([
        expect.objectContaining({ track: trackA.id, evaluation: published[0], via: "policy" }),
      ]);
    });

    it("answers problems: 401 without a key, 403 for a key without the scope, 404 without a policy, 422 for a bad body", async () => {
      const run = uniqueRun("policy-errors");
      const body = { tracks: ["no-such-track"] };
      await expectProblem(expect, await h.fetch(`/v1/runs/${run}/policy`, jsonInit("PUT", body)), 401);
      await expectProblem(expect, await h.fetch(`/v1/runs/${run}/policy`, jsonInit("PUT", body, { authorization: "Bearer not-a-key" })), 401);
      const none = await h.createApiKey([]);
      await expectProblem(expect, await h.fetch(`/v1/runs/${run}/policy`, jsonInit("PUT", body, bearer(none))), 403, "forbidden");
      await expectProblem(expect, await read(h, `/v1/runs/${run}/policy`), 404, "not-found");
      const key = await h.createApiKey(["submit"]);
      await expectProblem(expect, await h.fetch(`/v1/runs/${run}/policy`, jsonInit("PUT", body, bearer(key))), 422, "validation");
      await expectProblem(expect, await h.fetch(`/v1/runs/${run}/policy`, jsonInit("PUT", { tracks: [] }, bearer(key))), 422, "validation");
      await expectProblem(expect, await h.fetch(`/v1/runs/${run}/policy`, jsonInit("PUT", { tracks: ["x"], every_steps: 0 }, bearer(key))), 422, "validation");
    });
  });
}
