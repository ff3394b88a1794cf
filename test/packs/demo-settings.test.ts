// The demo policy in the tool and agentic settings, against a real executor serving the bundled pack:
// tool runs a drawn candidate on the first public test before answering; agentic resamples, without
// the candidates that failed, after public-test feedback. Only public tests ever reach the policy's steps.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKPOINTS_DIR } from "../../packs/demo-policy/train.ts";
import { Judge } from "../../workers/executor/src/judge.ts";
import { startExecutor, type StartedExecutor } from "../../workers/executor/src/server.ts";
import { DemoSampler } from "../../workers/gpu-backend/src/samplers/demo.ts";
import type { Completion, SampleRequest } from "../../workers/gpu-backend/src/samplers/types.ts";
import { ExecutorClient } from "../../workers/gpu-backend/src/settings/executor-client.ts";

const token = "demo-settings";
const packsDir = join(import.meta.dirname, "..", "..", "packs");
let executor: StartedExecutor;
let available = false;

beforeAll(async () => {
  available = (await new Judge({ concurrency: 1 }).probe()).available;
  executor = await startExecutor({ PORT: "0", EXECUTOR_TOKEN: token, PACKS_DIR: packsDir, EXECUTOR_CONCURRENCY: "2" });
});
afterAll(() => executor?.close());

const request = (over: Partial<SampleRequest>): SampleRequest => ({
  checkpoint: `${pathToFileURL(join(CHECKPOINTS_DIR, "low-coverage")).href}/`,
  problems: [
    { id: "next-greater", prompt: "…" },
    { id: "max-subarray", prompt: "…" },
  ],
  n: 4,
  temperature: 1,
  top_p: 1,
  max_tokens: 4096,
  seed: 7,
  pack: { name: "frontier-bundled" },
  ...over,
});
async function collect(req: SampleRequest): Promise<Completion[]> {
  const sampler = new DemoSampler({ executor: new ExecutorClient(`http://127.0.0.1:${executor.port}`, token) });
  const out: Completion[] = [];
  for await (const c of sampler.sample(req)) out.push(c);
  return out;
}

describe("demo policy settings", () => {
  it("tool: runs a candidate on the first public test (stdin problems) before answering", async (ctx) => {
    if (!available) ctx.skip();
    const completions = await collect(request({ setting: "tool", max_tool_calls: 3 }));
    const stdin = completions.filter((c) => c.problem_id === "next-greater");
    for (const c of stdin) {
      const t = c.trajectory!;
      expect(t.setting).toBe("tool");
      expect(t.tool_calls).toBeGreaterThanOrEqual(1);
      expect(t.tool_calls).toBeLessThanOrEqual(3);
      const results = t.steps.filter((s) => s.role === "tool").map((s) => JSON.parse(s.content));
      expect(results).toHaveLength(t.tool_calls);
      for (const r of results) expect(Object.keys(r).sort()).toEqual(["exit_code", "stderr", "stdout", "time_ms", "verdict"]);
      expect(t.steps.at(-1)!.content).toBe(c.text);
    }
    // Functional problems cannot be run on stdin: no tool call, a plain answer.
    for (const c of completions.filter((c) => c.problem_id === "max-subarray")) expect(c.trajectory!.tool_calls).toBe(0);
  });

  it("agentic: a failed answer is followed by feedback and a different candidate; the episode ends on a pass or at max_turns", async (ctx) => {
    if (!available) ctx.skip();
    const completions = await collect(request({ setting: "agentic", max_turns: 3 }));
    const client = new ExecutorClient(`http://127.0.0.1:${executor.port}`, token);
    for (const c of completions) {
      const t = c.trajectory!;
      const answers = t.steps.filter((s) => s.role === "assistant").map((s) => s.content);
      const feedback = t.steps.filter((s) => s.role === "user").map((s) => s.content);
      expect(answers).toHaveLength(t.turns);
      expect(feedback).toHaveLength(t.turns - 1);
      expect(new Set(answers).size).toBe(answers.length);
      for (const f of feedback) expect(f).toMatch(/fails public test \d+ of \d+/);
      const program = /```(python|cpp)\n([\s\S]*)\n```/.exec(c.text)!;
      const judged = await client.examples({ name: "frontier-bundled" }, c.problem_id, { language: program[1] as "python" | "cpp", code: program[2] });
      if (t.turns < 3) expect(judged.verdict).toBe("AC");
    }
  });
});
