// POST /v1/hooks/training-runs, signed per Standard Webhooks. Signatures here come from the
// `standardwebhooks` reference package directly, not from the server's own helpers.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { expectProblem, uniqueRun, type ContractHarness } from "./harness.ts";
import { read } from "./harness.ts";

/** The published Standard Webhooks test vector (the spec's reference libraries all verify it). */
export const SPEC_VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

const OTHER_SECRET = `whsec_${btoa("an old secret, rotated out 1234")}`;

export function webhooksContract(h: ContractHarness) {
  const nowSeconds = () => Math.floor(h.now().getTime() / 1000);
  let counter = 0;
  const newId = () => `msg_${Date.now().toString(36)}_${(counter++).toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

  function signed(
    payload: unknown,
    options: {
      id?: string;
      timestamp?: number;
      secret?: string;
      /** Builds the header from the valid signature and a signer for the same message under another secret. */
      signature?: (valid: string, signWith: (secret: string) => string) => string;
      body?: string;
    } = {},
  ) {
    const id = options.id ?? newId();
    const timestamp = options.timestamp ?? nowSeconds();
    const body = options.body ?? JSON.stringify(payload);
    const signWith = (secret: string) => new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
    const valid = signWith(options.secret ?? h.webhookSecret);
    return {
      id,
      init: {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": options.signature ? options.signature(valid, signWith) : valid,
        },
      } satisfies RequestInit,
    };
  }

  const saved = (run: string, step = 10, extra: Record<string, unknown> = {}) => ({
    type: "checkpoint.saved",
    timestamp: h.now().toISOString(),
    data: { run, step, url: `s3://ckpts/${run}/step-${step}`, ...extra },
  });

  const post = (init: RequestInit) => h.fetch("/v1/hooks/training-runs", init);
  const checkpointsOf = async (run: string) => (await (await read(h, `/v1/checkpoints?run=${encodeURIComponent(run)}`)).json()).data;

  describe("training-run webhook", () => {
    it("checkpoint.saved registers a checkpoint", async () => {
      const run = uniqueRun("hook");
      const res = await post(signed(saved(run, 200, { label: "high-coverage", metadata: { tests: "full" } })).init);
      expect(res.status).toBe(200);
      const receipt = await res.json();
      expect(receipt).toMatchObject({ duplicate: false, type: "checkpoint.saved", run });
      expect(receipt.checkpoint).toMatchObject({ run, step: 200, label: "high-coverage", metadata: { tests: "full" }, source: "webhook", status: "ready" });
      const list = await checkpointsOf(run);
      expect(list.map((c: { id: string }) => c.id)).toEqual([receipt.checkpoint.id]);
    });

    it("run.finished is accepted", async () => {
      const run = uniqueRun("hook");
      await post(signed(saved(run)).init);
      const res = await post(signed({ type: "run.finished", timestamp: h.now().toISOString(), data: { run } }).init);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ duplicate: false, type: "run.finished", run });
    });

    it("a replayed webhook-id is acknowledged without a second checkpoint", async () => {
      const run = uniqueRun("replay");
      const message = signed(saved(run));
      expect((await post(message.init)).status).toBe(200);
      const again = await post(message.init);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ duplicate: true, webhook_id: message.id });
      // A retry re-signs with a fresh timestamp but keeps the id: still one checkpoint.
      const retried = await post(signed(saved(run), { id: message.id, timestamp: nowSeconds() - 30 }).init);
      expect(await retried.json()).toMatchObject({ duplicate: true });
      expect(await checkpointsOf(run)).toHaveLength(1);
    });

    it("a retry under a new webhook-id for the same run, step and url returns the first checkpoint", async () => {
      const run = uniqueRun("retry");
      const first = await (await post(signed(saved(run, 30)).init)).json();
      expect(first).toMatchObject({ duplicate: false });
      const retried = signed(saved(run, 30));
      const again = await post(retried.init);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ duplicate: true, webhook_id: retried.id, checkpoint: { id: first.checkpoint.id } });
      // That new id is now known too: replaying it is a plain duplicate.
      expect(await (await post(retried.init)).json()).toMatchObject({ duplicate: true, webhook_id: retried.id });
      // Another step, or another url at the same step, is another checkpoint.
      expect(await (await post(signed(saved(run, 40)).init)).json()).toMatchObject({ duplicate: false });
      const moved = await (await post(signed(saved(run, 30, { url: `s3://ckpts/${run}/step-30-copy` })).init)).json();
      expect(moved).toMatchObject({ duplicate: false });
      const ids = (await checkpointsOf(run)).map((c: { id: string }) => c.id);
      expect(ids).toHaveLength(3);
      expect(ids).toContain(first.checkpoint.id);
    });

    it("accepts any one valid v1 signature among several (key rotation)", async () => {
      const run = uniqueRun("rotate");
      const rotating = (valid: string, signWith: (secret: string) => string) => `${signWith(OTHER_SECRET)} v1,bm90IGEgc2lnbmF0dXJl ${valid}`;
      expect((await post(signed(saved(run), { signature: rotating }).init)).status).toBe(200);
      const newFirst = (valid: string, signWith: (secret: string) => string) => `${valid} ${signWith(OTHER_SECRET)}`;
      expect((await post(signed(saved(run, 11), { signature: newFirst }).init)).status).toBe(200);
      // Only other secrets, or the right one under another version tag: refused.
      const onlyOld = signed(saved(run, 12), { secret: OTHER_SECRET, signature: (valid) => `${valid} v1,bm90IGEgc2lnbmF0dXJl` });
      await expectProblem(expect, await post(onlyOld.init), 401, "invalid-signature");
      const wrongVersion = signed(saved(run, 13), { signature: (valid) => valid.replace(/^v1,/, "v2,") });
      await expectProblem(expect, await post(wrongVersion.init), 401, "invalid-signature");
      expect(await checkpointsOf(run)).toHaveLength(2);
    });

    it("refuses a wrong secret, a tampered body and a non-v1 signature with 401", async () => {
      const run = uniqueRun("bad");
      await expectProblem(expect, await post(signed(saved(run), { secret: OTHER_SECRET }).init), 401, "invalid-signature");
      const tampered = signed(saved(run));
      tampered.init.body = (tampered.init.body as string).replace('"step":10', '"step":11');
      await expectProblem(expect, await post(tampered.init), 401, "invalid-signature");
      await expectProblem(expect, await post(signed(saved(run), { signature: (valid) => valid.replace("v1,", "v1a,") }).init), 401);
      expect(await checkpointsOf(run)).toHaveLength(0);
    });

    it("refuses missing headers with 401", async () => {
      for (const header of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
        const message = signed(saved(uniqueRun("missing")));
        delete (message.init.headers as Record<string, string>)[header];
        await expectProblem(expect, await post(message.init), 401, "invalid-signature");
      }
      const nonNumeric = signed(saved(uniqueRun("ts")));
      nonNumeric.init.headers["webhook-timestamp"] = "yesterday";
      await expectProblem(expect, await post(nonNumeric.init), 401);
    });

    it("refuses timestamps more than 5 minutes old or ahead with 401, accepts within", async () => {
      const run = uniqueRun("stale");
      await expectProblem(expect, await post(signed(saved(run), { timestamp: nowSeconds() - 6 * 60 }).init), 401, "invalid-signature");
      await expectProblem(expect, await post(signed(saved(run), { timestamp: nowSeconds() + 6 * 60 }).init), 401, "invalid-signature");
      expect((await post(signed(saved(run), { timestamp: nowSeconds() - 4 * 60 }).init)).status).toBe(200);
      expect(await checkpointsOf(run)).toHaveLength(1);
    });

    it("the spec's test vector is refused as stale today (its timestamp is from 2021)", async () => {
      const res = await post({
        method: "POST",
        body: SPEC_VECTOR.body,
        headers: {
          "content-type": "application/json",
          "webhook-id": SPEC_VECTOR.id,
          "webhook-timestamp": String(SPEC_VECTOR.timestamp),
          "webhook-signature": SPEC_VECTOR.signature,
        },
      });
      const problem = await expectProblem(expect, res, 401, "invalid-signature");
      expect(problem.detail).toMatch(/5 minutes/);
    });

    it("an unknown event type is 422", async () => {
      const res = await post(signed({ type: "run.exploded", timestamp: h.now().toISOString(), data: { run: "x" } }).init);
      const problem = await expectProblem(expect, res, 422, "unknown-event");
      expect(problem.errors?.[0]?.path).toBe("type");
    });

    it("a verified but invalid payload is 422 naming the field; malformed JSON is 400", async () => {
      const run = uniqueRun("invalid");
      const hostile = await post(signed(saved(run, 1, { url: "https://169.254.169.254/latest" })).init);
      expect((await expectProblem(expect, hostile, 422, "validation")).errors?.[0]?.path).toBe("data.url");
      const noStep = await post(signed({ type: "checkpoint.saved", timestamp: h.now().toISOString(), data: { run, url: "s3://bucket/k" } }).init);
      expect((await expectProblem(expect, noStep, 422)).errors?.map((e) => e.path)).toContain("data.step");
      const envelope = await post(signed({ kind: "checkpoint.saved" }).init);
      expect((await expectProblem(expect, envelope, 422)).errors?.map((e) => e.path)).toEqual(expect.arrayContaining(["type", "data"]));
      await expectProblem(expect, await post(signed(null, { body: "{not json" }).init), 400, "malformed-json");
      expect(await checkpointsOf(run)).toHaveLength(0);
    });
  });
}
