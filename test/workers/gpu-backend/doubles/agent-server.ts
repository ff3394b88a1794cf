// A double of an OpenAI-compatible chat server (vLLM / SGLang with tool calling on) that behaves like an
// agent: with `tools` offered it first issues a `run_code` call in the OpenAI tools format, then writes
// its final program from what the tool printed; without tools it submits a program, and after a user
// message with public-test feedback it revises from the expected output and input quoted there.
// So a final program is right only if the tool really ran, or the feedback was really sent.
// Every request body is recorded, for tests that check nothing hidden ever reaches a model.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

interface Message {
  role: string;
  content: string | null;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface AgentDouble {
  url: string;
  /** Every request body received, raw. */
  bodies: string[];
  close(): Promise<void>;
}

const fenced = (code: string) => `Here is my solution.\n\n\`\`\`python\n${code}\n\`\`\`\n`;

/** The double's policy: one answer for the conversation so far. */
function reply(body: { messages: Message[]; tools?: { function: { name: string } }[]; tool_choice?: string }): {
  message: Message;
  finish_reason: string;
} {
  const messages = body.messages;
  const canCall = !!body.tools?.some((t) => t.function.name === "run_code") && body.tool_choice !== "none";
  const toolResults = messages.filter((m) => m.role === "tool");
  if (body.tools) {
    if (toolResults.length === 0 && canCall) {
      // Probe: find the multiplier by running code (the answer is only known from the tool's stdout).
      const args = JSON.stringify({ language: "python", code: "print(len('ab'))", stdin: "" });
      return {
        message: {
          role: "assistant",
          content: "Let me check something first.",
          tool_calls: [{ id: "call_probe", type: "function", function: { name: "run_code", arguments: args } }],
        },
        finish_reason: "tool_calls",
      };
    }
    const last = toolResults[toolResults.length - 1];
    const parsed = last ? (JSON.parse(last.content ?? "{}") as { stdout?: string; verdict?: string }) : {};
    const factor = parsed.verdict === "OK" ? (parsed.stdout ?? "").trim() : "1";
    return { message: { role: "assistant", content: fenced(`print(int(input()) * ${factor || 1})`) }, finish_reason: "stop" };
  }
  const feedback = [...messages].reverse().find((m) => m.role === "user" && /fails public test/.test(m.content ?? ""));
  if (!feedback) return { message: { role: "assistant", content: fenced("print(int(input()) + 2)") }, finish_reason: "stop" };
  // Revise from the feedback: the failing input and expected output it quotes give the multiplier.
  const text = feedback.content ?? "";
  const input = Number(/Input:\n```\n([^`]*?)\n```/.exec(text)?.[1]);
  const expected = Number(/Expected output:\n```\n([^`]*?)\n```/.exec(text)?.[1]);
  const factor = input && expected ? expected / input : 1;
  return { message: { role: "assistant", content: fenced(`print(int(input()) * ${factor})`) }, finish_reason: "stop" };
}

export async function startAgentDouble(): Promise<AgentDouble> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      bodies.push(raw);
      if (req.url !== "/v1/chat/completions") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
        return;
      }
      const body = JSON.parse(raw);
      if (body.n !== 1 && body.tools) {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "n must be 1 with tools" } }));
        return;
      }
      const { message, finish_reason } = reply(body);
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: `chatcmpl-${bodies.length}`,
          object: "chat.completion",
          model: body.model,
          choices: [{ index: 0, message, finish_reason }],
          usage: { prompt_tokens: 10, completion_tokens: 7, total_tokens: 17 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, bodies, close: () => new Promise((done) => server.close(() => done())) };
}
