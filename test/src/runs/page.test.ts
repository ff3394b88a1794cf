// The page at / inside workerd: a run's pass@k and failure rates against step (?run=), in step
// order, and the public submission queue.
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { apiKey, deliverAll, makePack, testStack, readAsTeam } from "../pipeline/doubles.ts";

// Step 100 writes a wrong program, step 200 a correct one.
const completionText = (checkpoint: string, problemId: string) =>
  `\`\`\`python\n# verdict: ${checkpoint.includes("step-200") ? "AC" : "WA"}\nprint(input()) # ${problemId}\n\`\`\``;
const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;

describe("GET / (run by step, submission queue)", () => {
  it("shows the run's training steps in order with pass@k and failure rates, and queued submissions", async () => {
    const stack = testStack({ completionText });
    const app = createApp(stack.ports);
    const admin = await apiKey(["operator"]);
    const post = (path: string, body: unknown) =>
      app.request(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", authorization: `Bearer ${admin}` } });
    const registration = await makePack(unique("page"), ["p1", "p2"]);
    expect((await post("/v1/benchmarks", registration)).status).toBe(201);
    const benchmark = registration.manifest.name;
    const run = unique("steps");
    for (const step of [200, 100]) {
      const checkpoint = await (await post("/v1/checkpoints", { url: `hf://acme/${run}@step-${step}`, run, step })).json<any>();
      expect((await post("/v1/evaluations", { checkpoint: checkpoint.id, benchmark, n: 2 })).status).toBe(202);
    }
    await deliverAll(stack.queues, stack.ports);
    // The queue's track is on another benchmark: a track on this one would scope the page to it.
    const other = await makePack(unique("page-queue"), ["q1"]);
    expect((await post("/v1/benchmarks", other)).status).toBe(201);
    const track = unique("t-page");
    expect((await post("/v1/tracks", { id: track, benchmark: other.manifest.name, n: 2, temperature: 0.7, max_tokens: 256 })).status).toBe(201);
    const submitted = `hf://acme/${unique("queued")}@rev-1`;
    expect((await post("/v1/submissions", { url: submitted, track })).status).toBe(202);

    const res = await readAsTeam(app, `/?benchmark=${encodeURIComponent(benchmark)}&run=${encodeURIComponent(run)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const steps = html.slice(html.indexOf('id="steps-table"'), html.indexOf("</table>", html.indexOf('id="steps-table"')));
    const rows = [
      ...steps.matchAll(/<tr><th scope="row" class="num">(\d+)<\/th><td class="num">([^<]+)<\/td><td class="num">([^<]+)<\/td><td class="num">([^<]+)<\/td>/g),
    ].map((m) => m.slice(1));
    expect(rows).toEqual([
      ["100", "0.0%", "100.0%", "0.0%"],
      ["200", "100.0%", "0.0%", "0.0%"],
    ]);
    const queue = html.slice(html.indexOf('id="queue-table"'));
    // The queue is public: the storage URL shows as scheme and host only (issue 20).
    expect(queue).toContain("hf://acme/");
    expect(queue).not.toContain(submitted);
    expect(queue).toContain(track);
  });
});
