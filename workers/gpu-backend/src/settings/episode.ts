// One tool-use or agentic episode against an OpenAI-compatible chat server.
// tool: the request offers `run_code`; each tool call runs through the executor's /v1/run and comes
//   back as a `tool` message ({stdout, stderr, exit_code, verdict, time_ms}); the model is asked again
//   until it answers without a tool call (after max_tool_calls the tool is withdrawn: tool_choice none).
// agentic: each answer's program is judged on the problem's public tests (executor /v1/examples);
//   a failure comes back as a user message and the model answers again, up to max_turns.
// The text judged on the hidden tiers is the final answer's.
import {
  DEFAULT_MAX_TOOL_CALLS,
  DEFAULT_MAX_TURNS,
  type RunResponse,
  type SampleProblem,
  type SampleRequest,
  type ToolCall,
  type Trajectory,
  type TrajectoryStep,
} from "@frontier/contracts";
import type { ExecutorTools } from "./executor-client.ts";
import { compact, extractProgram, feedbackMessage, RUN_CODE_TOOL, toolResult } from "./feedback.ts";

type Post = (url: string, body: unknown, signal?: AbortSignal) => Promise<unknown>;

interface WireToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}
interface WireMessage {
  role: string;
  content: string | null;
  tool_calls?: WireToolCall[];
  tool_call_id?: string;
}
interface ChatResponse {
  choices?: { message?: { content?: string | null; tool_calls?: WireToolCall[] }; finish_reason?: string | null }[];
  usage?: { completion_tokens?: number };
}

export interface EpisodeResult {
  text: string;
  finish_reason: "stop" | "length" | "error";
  tokens?: number;
  trajectory: Trajectory;
}

export class EpisodeError extends Error {}

export async function runEpisode(args: {
  post: Post;
  url: string;
  params: Record<string, unknown>;
  problem: SampleProblem;
  request: SampleRequest;
  index: number;
  executor: ExecutorTools | undefined;
  signal?: AbortSignal;
}): Promise<EpisodeResult> {
  const { post, url, params, problem, request, index, executor, signal } = args;
  const setting = request.setting ?? "reasoning";
  const maxTurns = setting === "agentic" ? (request.max_turns ?? DEFAULT_MAX_TURNS) : 1;
  const maxToolCalls = setting === "tool" ? (request.max_tool_calls ?? DEFAULT_MAX_TOOL_CALLS) : 0;
  if (!executor) throw new EpisodeError(`setting ${setting} needs an executor: set EXECUTOR_URL (and EXECUTOR_TOKEN)`);
  if (setting === "agentic" && !request.pack) throw new EpisodeError("setting agentic needs the request's `pack` to judge answers on its public tests");
  const messages: WireMessage[] = (problem.messages ?? [{ role: "user", content: problem.prompt ?? "" }]).map((m) => ({ ...m }));
  const steps: TrajectoryStep[] = [];
  let toolCalls = 0;
  let turns = 0;
  let tokens: number | undefined = 0;
  let text = "";
  let finish: EpisodeResult["finish_reason"] = "stop";
  // Each episode is one conversation (n = 1); its draws differ by seed.
  const ask = async (): Promise<{ content: string; calls: WireToolCall[]; finish: string | null | undefined }> => {
    const body: Record<string, unknown> = { ...params, n: 1, seed: request.seed + index, messages };
    if (setting === "tool") {
      body.tools = [RUN_CODE_TOOL];
      body.tool_choice = toolCalls < maxToolCalls ? "auto" : "none";
    }
    const response = (await post(url, body, signal)) as ChatResponse;
    const choice = response.choices?.[0];
    if (!choice?.message) throw new EpisodeError(`server returned no message for problem ${problem.id}`);
    if (tokens !== undefined) tokens = typeof response.usage?.completion_tokens === "number" ? tokens + response.usage.completion_tokens : undefined;
    return { content: choice.message.content ?? "", calls: choice.message.tool_calls ?? [], finish: choice.finish_reason };
  };

  for (;;) {
    turns++;
    // One answer, with as many tool rounds as the budget allows.
    for (;;) {
      const answer = await ask();
      const calls = setting === "tool" ? answer.calls : [];
      if (calls.length === 0 || toolCalls >= maxToolCalls) {
        text = answer.content;
        finish = answer.finish === "stop" || answer.finish === "length" ? answer.finish : answer.finish === "tool_calls" ? "stop" : "error";
        messages.push({ role: "assistant", content: text });
        steps.push({ role: "assistant", content: compact(text) });
        break;
      }
      const issued: ToolCall[] = calls.map((c, i) => ({
        id: c.id ?? `call_${toolCalls + i}`,
        name: c.function?.name ?? "",
        arguments: c.function?.arguments ?? "",
      }));
      messages.push({
        role: "assistant",
        content: answer.content,
        tool_calls: issued.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })),
      });
      steps.push({ role: "assistant", content: compact(answer.content), tool_calls: issued.map((c) => ({ ...c, arguments: compact(c.arguments) })) });
      for (const call of issued) {
        const content =
          toolCalls < maxToolCalls ? await runTool(executor, call, signal) : JSON.stringify({ error: `tool call limit (${maxToolCalls}) reached` });
        toolCalls++;
        messages.push({ role: "tool", tool_call_id: call.id, content });
        steps.push({ role: "tool", tool_call_id: call.id, content: compact(content) });
      }
    }
    if (setting !== "agentic" || turns >= maxTurns) break;
    const program = extractProgram(text);
    const result = program ? await executor.examples(request.pack!, problem.id, program, signal) : null;
    if (result && result.verdict === "AC") break;
    const feedback = feedbackMessage(result);
    messages.push({ role: "user", content: feedback });
    steps.push({ role: "user", content: compact(feedback) });
  }
  const trajectory: Trajectory = { setting, turns, tool_calls: toolCalls, steps, ...(tokens !== undefined ? { tokens } : {}) };
  return { text, finish_reason: finish, ...(tokens !== undefined ? { tokens } : {}), trajectory };
}

async function runTool(executor: ExecutorTools, call: ToolCall, signal?: AbortSignal): Promise<string> {
  if (call.name !== "run_code") return JSON.stringify({ error: `unknown tool ${call.name}; the only tool is run_code` });
  let args: { language?: unknown; code?: unknown; stdin?: unknown };
  try {
    args = JSON.parse(call.arguments);
  } catch {
    return JSON.stringify({ error: "arguments are not JSON" });
  }
  if ((args.language !== "python" && args.language !== "cpp") || typeof args.code !== "string")
    return JSON.stringify({ error: "run_code needs {language: python|cpp, code: string, stdin?: string}" });
  let result: RunResponse;
  try {
    result = await executor.run({ language: args.language, code: args.code, stdin: typeof args.stdin === "string" ? args.stdin : "" }, signal);
  } catch (error) {
    return JSON.stringify({ error: `the sandbox could not run it: ${(error as Error).message}` });
  }
  return toolResult(result);
}
