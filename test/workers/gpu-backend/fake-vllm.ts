// A stand-in for a vLLM (and SGLang) server: no GPU here, so this follows their HTTP shapes exactly —
// POST /v1/completions request fields and response (`text_completion`, choices with index, text,
// logprobs, finish_reason, stop_reason; usage), vLLM's error body, and SGLang's
// POST /update_weights_from_disk {model_path} → {success, message, num_paused_requests}.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface FakeVllm {
  url: string;
  /** Every request body, in arrival order. */
  requests: { path: string; body: Record<string, unknown> }[];
  /** Models served (the `model` field must be one of them). */
  models: Set<string>;
  /** Answer the next N completion requests with 503 (a server warming up). */
  failNext: number;
  /** What SGLang has loaded; update_weights_from_disk fails for paths in `badPaths`. */
  loadedPath?: string;
  badPaths: Set<string>;
  close(): Promise<void>;
}

/** The deterministic "program" a fake model writes for (model, prompt, seed, choice). */
export function fakeText(model: string, prompt: string, seed: number, index: number): string {
  const digest = createHash("sha256").update(`${model}\n${prompt}\n${seed}\n${index}`).digest("hex").slice(0, 8);
  return `def solve():\n    return "${digest}"\n\`\`\`\nextra words after the fence`;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startFakeVllm(models: string[]): Promise<FakeVllm> {
  const fake: FakeVllm = {
    url: "",
    requests: [],
    models: new Set(models),
    failNext: 0,
    badPaths: new Set(),
    close: async () => {},
  };
  const error = (res: import("node:http").ServerResponse, code: number, type: string, message: string) =>
    res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify({ object: "error", message, type, param: null, code }));

  const server: Server = createServer(async (req, res) => {
    const body = req.method === "POST" ? await readJson(req) : {};
    fake.requests.push({ path: req.url ?? "", body });
    if (req.url === "/update_weights_from_disk") {
      const path = String(body.model_path);
      if (fake.badPaths.has(path))
        return void res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ success: false, message: `Failed to get weights iterator: ${path}`, num_paused_requests: 0 }));
      fake.loadedPath = path;
      return void res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ success: true, message: "Succeeded to update model weights.", num_paused_requests: 0 }));
    }
    if (req.url !== "/v1/completions") return error(res, 404, "NotFoundError", "Not Found");
    if (fake.failNext > 0) {
      fake.failNext--;
      return error(res, 503, "ServiceUnavailableError", "The server is not ready");
    }
    const {
      model,
      prompt,
      n = 1,
      seed,
      max_tokens = 16,
      stop = [],
    } = body as { model: string; prompt: string; n?: number; seed?: number; max_tokens?: number; stop?: string[] };
    if (!fake.models.has(model)) return error(res, 404, "NotFoundError", `The model \`${model}\` does not exist.`);
    if (typeof prompt !== "string") return error(res, 400, "BadRequestError", "prompt must be a string in this fake");
    const choices = Array.from({ length: n }, (_, index) => {
      let text = fakeText(model, prompt, seed ?? 0, index);
      let finish_reason = "length";
      let stop_reason: string | null = null;
      const cut = stop
        .map((s) => ({ s, at: text.indexOf(s) }))
        .filter((x) => x.at >= 0)
        .sort((a, b) => a.at - b.at)[0];
      if (cut) {
        text = text.slice(0, cut.at);
        finish_reason = "stop";
        stop_reason = cut.s;
      }
      // One "token" per whitespace-separated word.
      const words = text.split(/(?<=\s)/);
      if (words.length > max_tokens) {
        text = words.slice(0, max_tokens).join("");
        finish_reason = "length";
        stop_reason = null;
      } else if (!cut) finish_reason = "stop";
      return { index, text, logprobs: null, finish_reason, stop_reason, prompt_logprobs: null };
    });
    const completionTokens = choices.reduce((total, c) => total + c.text.split(/(?<=\s)/).length, 0);
    const promptTokens = prompt.split(/\s+/).length;
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id: `cmpl-${createHash("sha1").update(JSON.stringify(body)).digest("hex").slice(0, 16)}`,
        object: "text_completion",
        created: Math.floor(Date.now() / 1000),
        model,
        choices,
        usage: { prompt_tokens: promptTokens, total_tokens: promptTokens + completionTokens, completion_tokens: completionTokens, prompt_tokens_details: null },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
