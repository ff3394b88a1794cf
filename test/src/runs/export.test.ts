// GET /v1/evaluations/{id}/export inside workerd: the exact JSONL — a header with the protocol and
// versions, then each sample (as …/samples shows it) with its verdict, in problem and index order.
import { EXECUTOR_VERSION } from "@frontier/contracts";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { apiKey, deliverAll, makePack, testStack, readAsTeam } from "../pipeline/doubles.ts";

const completionText = (_checkpoint: string, problemId: string, index: number) =>
  `\`\`\`python\n# verdict: ${index === 0 ? "AC" : "WA"}\nprint(input()) # ${problemId} ${index}\n\`\`\``;

describe("GET /v1/evaluations/{id}/export", () => {
  it("streams the header then every sample with its verdict, exactly", async () => {
    const stack = testStack({ completionText });
    const app = createApp(stack.ports);
    const admin = await apiKey(["operator"]);
    const post = (path: string, body: unknown) =>
      app.request(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", authorization: `Bearer ${admin}` } });
    const registration = await makePack(`export-${Math.random().toString(36).slice(2, 8)}`, ["p1", "p2"]);
    expect((await post("/v1/benchmarks", registration)).status).toBe(201);
    const run = `run-export-${Date.now()}`;
    const checkpoint = await (await post("/v1/checkpoints", { url: "hf://acme/export@step-3", run, step: 3 })).json<any>();
    const created = await (await post("/v1/evaluations", { checkpoint: checkpoint.id, benchmark: registration.manifest.name, n: 2, seed: 11 })).json<any>();
    await deliverAll(stack.queues, stack.ports);
    const evaluation = await (await readAsTeam(app, `/v1/evaluations/${created.id}`)).json<any>();
    expect(evaluation.status).toBe("complete");

    const res = await readAsTeam(app, `/v1/evaluations/${created.id}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${created.id}.jsonl"`);
    const text = new TextDecoder().decode(await res.arrayBuffer());
    expect(text.endsWith("\n")).toBe(true);
    const lines = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toEqual({
      type: "header",
      format: "frontier.evaluation-export/1",
      evaluation: created.id,
      status: "complete",
      checkpoint: { id: checkpoint.id, url: "hf://acme/export@step-3", run, step: 3, label: null, parents: null },
      protocol: {
        benchmark: registration.manifest.name,
        benchmark_version: registration.manifest.version,
        language: "python",
        setting: "reasoning",
        ...evaluation.params,
        problems: ["p1", "p2"],
        requested: 4,
      },
      versions: { benchmark: registration.manifest.version, executor: EXECUTOR_VERSION, export: "frontier.evaluation-export/1" },
      created_at: evaluation.created_at,
      completed_at: evaluation.completed_at,
    });
    expect(lines[0].protocol).toMatchObject({ n: 2, seed: 11 });
    const samples = lines.slice(1);
    expect(samples.map((s) => [s.type, s.problem, s.index, s.verdict])).toEqual([
      ["sample", "p1", 0, "AC"],
      ["sample", "p1", 1, "WA"],
      ["sample", "p2", 0, "AC"],
      ["sample", "p2", 1, "WA"],
    ]);
    // Each sample line is the sample as …/samples shows it.
    const page = await (await readAsTeam(app, `/v1/evaluations/${created.id}/samples`)).json<any>();
    expect(samples.map(({ type, ...rest }) => rest)).toEqual(page.data);
    expect(samples[0].completion).toBe(completionText(checkpoint.url, "p1", 0));
    expect(samples[0].code).toBe("# verdict: AC\nprint(input()) # p1 0\n");

    expect((await app.request("/v1/evaluations/eval_nope/export")).status).toBe(404);
  });
});
