// Retention of merge outputs (POST /v1/gc) inside workerd on real D1 with the backend double: exactly
// the outputs nothing references are listed (dry run by default) and, with apply, deleted through
// the backend's DELETE /v1/merges/{job}/output and recorded; referenced ones are never touched.
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { sweepOutputs } from "../../../src/services/gc.ts";
import { apiKey, deliverAll, makePack, testStack, readAsTeam } from "./doubles.ts";

const mine2 = (result: { outputs: { checkpoint: string }[] } | null, id: string) =>
  (result?.outputs ?? []).filter((o) => o.checkpoint === id).map((o) => o.checkpoint);

const completionText = (_checkpoint: string, problemId: string) => `\`\`\`python\n# verdict: AC\nprint(input()) # ${problemId}\n\`\`\``;

describe("POST /v1/gc", () => {
  it("keeps evaluated outputs, parents of other merges and young outputs; deletes the rest once", async () => {
    const stack = testStack({ completionText });
    const app = createApp(stack.ports);
    const admin = await apiKey(["operator"]);
    const submitter = await apiKey(["submit"]);
    const post = (path: string, body: unknown, key = admin) =>
      app.request(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", authorization: `Bearer ${key}` } });
    const registration = await makePack(`gc-${Math.random().toString(36).slice(2, 8)}`, ["p1"]);
    expect((await post("/v1/benchmarks", registration)).status).toBe(201);
    const run = `run-gc-${Math.random().toString(36).slice(2, 8)}`;
    const a = (await (await post("/v1/checkpoints", { url: "hf://acme/gc-a", run })).json<any>()).id;
    const b = (await (await post("/v1/checkpoints", { url: "hf://acme/gc-b", run })).json<any>()).id;
    const grid = await (await post("/v1/merges", { a, b, alphas: [-0.5, 0.5, 1.5], run: `${run}-grid` })).json<any>();
    await deliverAll(stack.queues, stack.ports);
    const [evaluated, orphan, parent] = grid.checkpoints.map((c: { id: string }) => c.id);
    // One output evaluated; one the parent of a further merge; the further merge's output unused.
    expect((await post("/v1/evaluations", { checkpoint: evaluated, benchmark: registration.manifest.name, n: 1 })).status).toBe(202);
    const again = await (await post("/v1/merges", { a: parent, b: a, alphas: [0.5], run: `${run}-again` })).json<any>();
    await deliverAll(stack.queues, stack.ports);
    const remerged = again.checkpoints[0].id;

    // Everything is younger than the default grace period (one day): nothing goes.
    const young = await (await post("/v1/gc", {})).json<any>();
    expect(young).toMatchObject({ dry_run: true, grace_seconds: 86400, deleted: 0 });
    expect(young.outputs.filter((o: any) => [evaluated, orphan, parent, remerged].includes(o.checkpoint))).toEqual([]);

    const dry = await (await post("/v1/gc", { grace_seconds: 0 })).json<any>();
    const mine = (list: any[]) => list.filter((o) => [evaluated, orphan, parent, remerged].includes(o.checkpoint));
    expect(mine(dry.outputs).map((o: any) => o.checkpoint)).toEqual([orphan, remerged].sort());
    expect(dry).toMatchObject({ dry_run: true, deleted: 0 });
    expect(stack.backend.deletedOutputs).toEqual([]);

    const applied = await (await post("/v1/gc", { grace_seconds: 0, apply: true })).json<any>();
    expect(applied).toMatchObject({ dry_run: false, errors: [] });
    const merged = await (await readAsTeam(app, `/v1/merges/${grid.id}`)).json<any>();
    const jobs = Object.fromEntries(merged.checkpoints.map((c: any) => [c.id, c]));
    const remergedJob = (await (await readAsTeam(app, `/v1/merges/${again.id}`)).json<any>()).checkpoints[0];
    expect(stack.backend.deletedOutputs.sort()).toEqual([jobs[orphan].backend_job, remergedJob.backend_job].sort());
    expect(jobs[orphan].deleted_at).toEqual(expect.any(String));
    expect(remergedJob.deleted_at).toEqual(expect.any(String));
    expect(jobs[evaluated].deleted_at).toBeNull();
    expect(jobs[parent].deleted_at).toBeNull();

    // Done once: a second sweep finds nothing of these.
    const second = await (await post("/v1/gc", { grace_seconds: 0, apply: true })).json<any>();
    expect(mine(second.outputs)).toEqual([]);
    expect(stack.backend.deletedOutputs).toHaveLength(2);

    // The cron's sweep: a no-op without OUTPUT_RETENTION_SECONDS; with it, the same rule applied.
    expect(await sweepOutputs(stack.ports)).toBeNull();
    const orphan2 = (await (await post("/v1/merges", { a, b, alphas: [0.25], run: `${run}-late` })).json<any>()).checkpoints[0].id;
    await deliverAll(stack.queues, stack.ports);
    stack.ports.config.OUTPUT_RETENTION_SECONDS = 3600;
    expect(mine2(await sweepOutputs(stack.ports), orphan2)).toEqual([]); // younger than an hour
    const clock = stack.ports.clock;
    stack.ports.clock = { now: () => new Date(clock.now().getTime() + 2 * 3600_000) };
    const swept = await sweepOutputs(stack.ports);
    expect(mine2(swept, orphan2)).toEqual([orphan2]);
    expect(swept).toMatchObject({ dry_run: false, errors: [] });
    expect(stack.backend.deletedOutputs).toHaveLength(3);
    stack.ports.clock = clock;
    stack.ports.config.OUTPUT_RETENTION_SECONDS = undefined;

    // Admin only; bad input is a 422.
    expect((await post("/v1/gc", {}, submitter)).status).toBe(403);
    expect((await post("/v1/gc", { grace_seconds: -1 })).status).toBe(422);
  });
});
