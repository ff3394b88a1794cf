// The tool and agentic settings end to end: the backend's chat loop against an agent double of an
// OpenAI-compatible server, with a real executor (bubblewrap) running the tool calls and the public tests.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildManifest, ProblemSchema, type SampleRequest } from "@frontier/contracts";
import { Judge } from "../../../workers/executor/src/judge.ts";
import { startExecutor, type StartedExecutor } from "../../../workers/executor/src/server.ts";
import { ServerClient } from "../../../workers/gpu-backend/src/samplers/server-client.ts";
import { ExecutorClient } from "../../../workers/gpu-backend/src/settings/executor-client.ts";
import { type AgentDouble, startAgentDouble } from "./doubles/agent-server.ts";

const HIDDEN_INPUT = "987654321";
const HIDDEN_OUTPUT = "1975308642";
const problem = ProblemSchema.parse({
  id: "double",
  kind: "stdin",
  limits: { time_ms: 1000, memory_mb: 64 },
  examples: [
    { input: "2\n", output: "4" },
    { input: "7\n", output: "14" },
  ],
  tiers: [{ name: "hidden", tests: [{ input: `${HIDDEN_INPUT}\n`, output: HIDDEN_OUTPUT }] }],
});
const token = "settings-token";
const judge = new Judge({ concurrency: 2 });
let executor: StartedExecutor;
let double: AgentDouble;
let available = false;

beforeAll(async () => {
  available = (await judge.probe()).available;
  const root = mkdtempSync(join(tmpdir(), "settings-"));
  const { manifest, files } = await buildManifest("mini", [problem]);
  mkdirSync(join(root, "mini", "problems"), { recursive: true });
  writeFileSync(join(root, "mini", "manifest.json"), JSON.stringify(manifest));
  for (const [file, text] of files) writeFileSync(join(root, "mini", file), text);
  executor = await startExecutor({ PORT: "0", EXECUTOR_TOKEN: token, PACKS_DIR: root, EXECUTOR_CONCURRENCY: "2" });
  double = await startAgentDouble();
});
afterAll(async () => {
  await executor?.close();
  await double?.close();
});

const from = { checkpoint: "served", served_name: "m", dir: null, sha256: null, sampler: "openai" };
function request(setting: "tool" | "agentic" | "reasoning", extra: Partial<SampleRequest> = {}): SampleRequest {
  return {
    checkpoint: "served",
    problems: [{ id: "double", messages: [{ role: "user", content: "Read n, print 2n. Example: 2 -> 4, 7 -> 14." }] }],
    n: 2,
    temperature: 0.7,
    top_p: 1,
    max_tokens: 512,
    seed: 1,
    setting,
    pack: { name: "mini" },
    ...extra,
  };
}
async function sample(req: SampleRequest) {
  const client = new ServerClient({ api: "chat", executor: new ExecutorClient(`http://127.0.0.1:${executor.port}`, token), attempts: 1 });
  const out = [];
  for await (const c of client.sample({ url: double.url, model: "m" }, req, from, undefined)) out.push(c);
  return out;
}
const programOf = (text: string) => /```python\n([\s\S]*?)```/.exec(text)![1];
async function hiddenVerdict(text: string) {
  return (await judge.judgeOne(problem, { language: "python", code: programOf(text) })).verdict;
}
function assertNothingHidden() {
  expect(double.bodies.length).toBeGreaterThan(0);
  for (const body of double.bodies) {
    expect(body).not.toContain(HIDDEN_INPUT);
    expect(body).not.toContain(HIDDEN_OUTPUT);
  }
}

describe("settings against an OpenAI-compatible server", () => {
  it("tool: run_code calls go to the executor, results come back as tool messages, the final program uses them", async (ctx) => {
    if (!available) ctx.skip();
    double.bodies.length = 0;
    const completions = await sample(request("tool"));
    expect(completions).toHaveLength(2);
    for (const c of completions) {
      expect(c.text).toContain("print(int(input()) * 2)");
      expect(await hiddenVerdict(c.text)).toBe("AC");
      expect(c.trajectory).toMatchObject({ setting: "tool", turns: 1, tool_calls: 1, tokens: 14 });
      const tool = c.trajectory!.steps.find((s) => s.role === "tool")!;
      expect(JSON.parse(tool.content)).toEqual({ stdout: "2\n", stderr: "", exit_code: 0, verdict: "OK", time_ms: expect.any(Number) });
      expect(tool.tool_call_id).toBe("call_probe");
    }
    const second = JSON.parse(double.bodies[1]);
    expect(second.tools[0].function.name).toBe("run_code");
    expect(second.messages.at(-2).tool_calls[0].function.name).toBe("run_code");
    expect(second.messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_probe" });
    assertNothingHidden();
  });

  it("tool: with max_tool_calls 0 the tool is withdrawn, and the program is wrong without it", async (ctx) => {
    if (!available) ctx.skip();
    double.bodies.length = 0;
    const [c] = await sample(request("tool", { n: 1, max_tool_calls: 0 }));
    expect(c.trajectory).toMatchObject({ tool_calls: 0, turns: 1 });
    expect(JSON.parse(double.bodies[0]).tool_choice).toBe("none");
    expect(await hiddenVerdict(c.text)).toBe("WA");
  });

  it("agentic: a failing public test comes back as feedback and the revised program is the one judged", async (ctx) => {
    if (!available) ctx.skip();
    double.bodies.length = 0;
    const completions = await sample(request("agentic"));
    for (const c of completions) {
      expect(c.trajectory).toMatchObject({ setting: "agentic", turns: 2, tool_calls: 0 });
      const feedback = c.trajectory!.steps.find((s) => s.role === "user")!.content;
      expect(feedback).toContain("fails public test 2 of 2 (WA)");
      expect(feedback).toMatch(/Expected output:\n```\n14\n```\nYour output:\n```\n9\n```/);
      expect(c.text).toContain("print(int(input()) * 2)");
      expect(await hiddenVerdict(c.text)).toBe("AC");
    }
    expect(double.bodies).toHaveLength(4);
    assertNothingHidden();
  });

  it("agentic: max_turns 1 keeps the first answer, which the hidden tier fails", async (ctx) => {
    if (!available) ctx.skip();
    double.bodies.length = 0;
    const [c] = await sample(request("agentic", { n: 1, max_turns: 1 }));
    expect(c.trajectory).toMatchObject({ turns: 1 });
    expect(await hiddenVerdict(c.text)).toBe("WA");
    assertNothingHidden();
  });
});
