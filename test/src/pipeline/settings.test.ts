// Settings at the edge: POST /v1/evaluations takes setting, max_turns, max_tool_calls; the backend is
// asked for that setting with the benchmark's pack; trajectories are stored per sample and shown;
// the evaluation reports tool calls and turns per sample; the frontier is per setting.
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { apiKey, deliverAll, makePack, testStack } from "./doubles.ts";

const completionText = (_c: string, _p: string, index: number) => `\`\`\`python\n# verdict: ${index % 2 ? "WA" : "AC"}\nprint(input())\n\`\`\``;

describe("settings at the edge", () => {
  it("agentic: forwarded to the backend with the pack; trajectories stored, shown and averaged", async () => {
    const stack = testStack({ completionText });
    const app = createApp(stack.ports);
    const admin = await apiKey(["operator"]);
    const registration = await makePack(`bench-settings-${Math.random().toString(36).slice(2, 8)}`, ["p1", "p2"]);
    const post = (path: string, body: unknown) =>
      app.request(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", authorization: `Bearer ${admin}` } });
    expect((await post("/v1/benchmarks", registration)).status).toBe(201);
    const checkpoint = await (await post("/v1/checkpoints", { url: "hf://acme/settings@step-1", run: `run-settings-${Date.now()}` })).json<any>();
    const bad = await post("/v1/evaluations", { checkpoint: checkpoint.id, benchmark: registration.manifest.name, n: 2, setting: "chatty" });
    expect(bad.status).toBe(422);
    const res = await post("/v1/evaluations", { checkpoint: checkpoint.id, benchmark: registration.manifest.name, n: 2, setting: "agentic", max_turns: 3 });
    expect(res.status).toBe(202);
    const evaluation = await res.json<any>();
    expect(evaluation).toMatchObject({ setting: "agentic", params: { max_turns: 3 } });
    await deliverAll(stack.queues, stack.ports);

    const [job] = [...stack.backend.jobs.values()];
    expect(job.request).toMatchObject({ setting: "agentic", max_turns: 3, pack: { name: registration.manifest.name, version: registration.manifest.version } });
    // No test of any tier travels to the backend (it holds none).
    expect(JSON.stringify(job.request)).not.toMatch(/"tiers"|"tests"/);

    const done = await (await app.request(`/v1/evaluations/${evaluation.id}`, { headers: { authorization: `Bearer ${admin}` } })).json<any>();
    expect(done.status).toBe("complete");
    expect(done.episodes).toEqual({ samples: 4, avg_tool_calls: 0, avg_turns: 1.5 });
    const page = await (await app.request(`/v1/evaluations/${evaluation.id}/samples`, { headers: { authorization: `Bearer ${admin}` } })).json<any>();
    const sample = page.data.find((s: any) => s.problem === "p1" && s.index === 1);
    expect(sample.trajectory).toMatchObject({ setting: "agentic", turns: 2, tool_calls: 0, steps: [{ role: "assistant" }] });

    // The run's frontier is per setting: this evaluation is on the agentic frontier, not the default one.
    const agentic = await (
      await app.request(`/v1/runs/${checkpoint.run}/frontier?setting=agentic`, { headers: { authorization: `Bearer ${admin}` } })
    ).json<any>();
    expect(agentic.points.map((p: any) => p.evaluation)).toEqual([evaluation.id]);
    const reasoning = await (await app.request(`/v1/runs/${checkpoint.run}/frontier`, { headers: { authorization: `Bearer ${admin}` } })).json<any>();
    expect(reasoning.points ?? []).toEqual([]);
    // The ad-hoc view (no track on this benchmark) is the team's own: anonymous callers see no row.
    const anonymous = await (await app.request(`/v1/leaderboard?benchmark=${registration.manifest.name}&setting=agentic`)).json<any>();
    expect(anonymous.data).toEqual([]);
    const board = await (
      await app.request(`/v1/leaderboard?benchmark=${registration.manifest.name}&setting=agentic`, { headers: { authorization: `Bearer ${admin}` } })
    ).json<any>();
    expect(board.data.map((r: any) => [r.id, r.setting])).toEqual([[checkpoint.id, "agentic"]]);
    const none = await (
      await app.request(`/v1/leaderboard?benchmark=${registration.manifest.name}&setting=tool`, { headers: { authorization: `Bearer ${admin}` } })
    ).json<any>();
    expect(none.data).toEqual([]);
  });
});
