// Samples per second through the local stack (wrangler dev + executor + backend with the demo
// sampler) for one evaluation, cold verdict cache vs warm. The warm run repeats the same
// evaluation (same checkpoint, seed, problems), so every program is already cached: it must make
// zero executor calls, counted at a proxy in front of the executor.
//   npx tsx bench/pipeline.ts [--problems 4] [--n 8]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PackManifestSchema } from "@frontier/contracts";
import { registrationFromPack } from "../src/services/benchmarks.ts";
import { ROOT, startStack, waitFor } from "../scripts/stack.ts";

const { values } = parseArgs({ options: { problems: { type: "string", default: "4" }, n: { type: "string", default: "8" } } });
const problemCount = Number(values.problems);
const n = Number(values.n);

const stack = await startStack();
try {
  const key = await stack.edge.apiKey(["admin"]);
  const api = async (path: string, body?: unknown) => {
    const res = await fetch(stack.edge.url + path, {
      method: body ? "POST" : "GET",
      body: body ? JSON.stringify(body) : undefined,
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const packDir = join(ROOT, "packs", "bundled");
  const manifest = PackManifestSchema.parse(JSON.parse(readFileSync(join(packDir, "manifest.json"), "utf8")));
  const files = new Map(manifest.problems.map((p) => [p.id, JSON.parse(readFileSync(join(packDir, p.file), "utf8"))]));
  const benchmark = (await api("/v1/benchmarks", registrationFromPack(manifest, files, "bundled"))).id;
  const checkpoint = (await api("/v1/checkpoints", { url: `file://${join(ROOT, "packs/demo-policy/checkpoints/base")}`, run: "bench-pipeline" })).id;
  const problems = manifest.problems.slice(0, problemCount).map((p) => p.id);

  const runOnce = async () => {
    const calls = stack.executorProxy.requests.get("POST /v1/judge") ?? 0;
    const start = performance.now();
    const created = await api("/v1/evaluations", { checkpoint, benchmark, n, problems, seed: 11 });
    const done = await waitFor(
      async () => {
        const e = await api(`/v1/evaluations/${created.id}`);
        return e.status === "complete" || e.status === "failed" ? e : null;
      },
      600_000,
      "the evaluation",
      100,
    );
    const seconds = (performance.now() - start) / 1000;
    if (done.status !== "complete") throw new Error(`evaluation ${done.id} ${done.status}: ${JSON.stringify(done.errors)}`);
    return {
      seconds,
      samples: done.progress.received,
      perSecond: done.progress.received / seconds,
      executorCalls: (stack.executorProxy.requests.get("POST /v1/judge") ?? 0) - calls,
      progress: done.progress,
    };
  };
  const cold = await runOnce();
  const warm = await runOnce();
  if (warm.executorCalls !== 0) throw new Error(`warm run made ${warm.executorCalls} executor calls`);
  console.log(JSON.stringify({ problems: problemCount, n, cold, warm, warm_over_cold: warm.perSecond / cold.perSecond }, null, 2));
} finally {
  await stack.stop();
}
