// A stand-in for a vLLM or SGLang server where there is no GPU, written from their documented HTTP
// behaviour (docs.vllm.ai: the `vllm serve` CLI reference, /health, the OpenAI server's errors;
// SGLang: managers/io_struct.py and the tokenizer manager's update_weights_from_disk). It "loads" real safetensors weights and answers from them: every
// completion is a program that prints the mean of the checkpoint's first float tensor, so different
// weights answer differently and a merge answers with the merge's value.
//
//   vLLM:   node model-server.mjs serve <dir> --host H --port P --served-model-name N [--api-key K] [...]
//           the port opens only after "loading"; GET /health → 200 empty; /v1/* need the key (401
//           {"error":"Unauthorized"}); an unknown model → 404 with vLLM's nested error.
//   SGLang: node model-server.mjs sglang --model-path <dir> --port P [--api-key K]
//           /health, /get_model_info, POST /update_weights_from_disk {model_path} (400 success:false
//           when the new weights do not fit), the OpenAI routes without a model check.
// Not a real server's: GET /double/info (what it was started with), and DOUBLE_REQUEST_LOG=<file>
// (one JSON line per request: path, authorization, body), for tests.
import { appendFileSync, existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";

const argv = process.argv.slice(2);
const mode = argv[0] === "serve" ? "vllm" : argv[0] === "sglang" ? "sglang" : undefined;
if (!mode) {
  console.error("usage: vllm serve <model> [--host H] [--port P] [--served-model-name N] [--api-key K] | sglang --model-path M [--port P]");
  process.exit(2);
}
const flags = {};
const positional = [];
for (let i = 1; i < argv.length; i++) {
  if (argv[i].startsWith("--")) {
    const name = argv[i].slice(2);
    const value = argv[i + 1] !== undefined && !argv[i + 1].startsWith("--") ? argv[++i] : "true";
    flags[name] = value;
  } else positional.push(argv[i]);
}
const host = flags.host ?? "127.0.0.1";
const port = Number(flags.port ?? (mode === "vllm" ? 8000 : 30000));
const apiKey = flags["api-key"] ?? process.env.VLLM_API_KEY;
let modelPath = mode === "vllm" ? positional[0] : flags["model-path"];
const servedName = flags["served-model-name"] ?? modelPath;

/** The checkpoint's tensors: {name → {dtype, shape, values}} read from its safetensors files. */
function loadWeights(dir) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  let files;
  const index = join(dir, "model.safetensors.index.json");
  if (existsSync(index)) files = [...new Set(Object.values(JSON.parse(readFileSync(index, "utf8")).weight_map))];
  else files = readdirSync(dir).filter((f) => f.endsWith(".safetensors"));
  if (files.length === 0) throw new Error(`no safetensors weights in ${dir}`);
  const tensors = {};
  for (const file of files.sort()) {
    const bytes = readFileSync(join(dir, file));
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8"));
    const base = 8 + headerLength;
    for (const [name, info] of Object.entries(header)) {
      if (name === "__metadata__") continue;
      const [start, end] = info.data_offsets;
      tensors[name] = { dtype: info.dtype, shape: info.shape, values: decode(info.dtype, bytes.subarray(base + start, base + end)) };
    }
  }
  return tensors;
}

function decode(dtype, raw) {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = [];
  if (dtype === "F32") for (let i = 0; i < raw.length; i += 4) out.push(view.getFloat32(i, true));
  else if (dtype === "BF16") for (let i = 0; i < raw.length; i += 2) out.push(new Float32Array(new Uint32Array([view.getUint16(i, true) << 16]).buffer)[0]);
  else if (dtype === "F16") for (let i = 0; i < raw.length; i += 2) out.push(half(view.getUint16(i, true)));
  else return null;
  return out;
}

function half(h) {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** What the weights "say": the mean of the first float tensor (by name), to 4 decimals. */
function answerOf(tensors) {
  const name = Object.keys(tensors)
    .sort()
    .find((n) => tensors[n].values);
  const values = tensors[name].values;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Number(mean.toFixed(4));
}

const signature = (tensors) =>
  Object.keys(tensors)
    .sort()
    .map((n) => `${n}:${tensors[n].dtype}:${tensors[n].shape.join("x")}`)
    .join(";");

console.log(`INFO ${mode} double: loading weights from ${modelPath} (CUDA_VISIBLE_DEVICES=${process.env.CUDA_VISIBLE_DEVICES ?? ""})`);
let weights;
try {
  weights = loadWeights(modelPath);
} catch (error) {
  console.error(`ERROR engine core initialisation failed: ${error.message}`);
  process.exit(1);
}
let answer = answerOf(weights);
let requests = 0;

function send(res, status, body) {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
  res.end(text);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : {};
}

/** One "generated" answer: a fenced Python program printing the weights' value. */
function generate(body, chat) {
  const language = /C\+\+/.test(JSON.stringify(chat ? body.messages : body.prompt)) ? "cpp" : "python";
  const program = language === "cpp" ? `#include <cstdio>\nint main() { std::printf("%g\\n", ${answer}); }` : `print(${answer})`;
  const text = `Here is my solution.\n\`\`\`${language}\n${program}\n\`\`\`\n`;
  const words = text.split(/(\s+)/);
  const tokens = words.filter((w) => w.trim()).length;
  const max = Number(body.max_tokens ?? 16);
  const truncated = tokens > max;
  const out = truncated ? words.slice(0, 2 * max).join("") : text;
  return { text: out, finish_reason: truncated ? "length" : "stop", tokens: truncated ? max : tokens };
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, "http://x");
    const path = url.pathname;
    if (req.method === "GET" && path === "/health") return send(res, 200);
    if (req.method === "GET" && path === "/double/info") {
      return send(res, 200, {
        mode,
        model_path: modelPath,
        served_name: servedName,
        answer,
        flags,
        cuda_visible_devices: process.env.CUDA_VISIBLE_DEVICES ?? null,
        requests,
      });
    }
    const logged = req.method === "POST" ? await readBody(req) : undefined;
    if (process.env.DOUBLE_REQUEST_LOG) {
      appendFileSync(
        process.env.DOUBLE_REQUEST_LOG,
        `${JSON.stringify({ pid: process.pid, mode, model_path: modelPath, cuda_visible_devices: process.env.CUDA_VISIBLE_DEVICES ?? null, tp: flags["tensor-parallel-size"] ?? null, path, authorization: req.headers.authorization ?? null, body: logged ?? null })}\n`,
      );
    }
    const guarded = path.startsWith("/v1/") || (mode === "sglang" && path === "/update_weights_from_disk");
    if (guarded && apiKey && req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, { error: "Unauthorized" });
    if (req.method === "GET" && path === "/get_model_info" && mode === "sglang") {
      return send(res, 200, { model_path: modelPath, tokenizer_path: modelPath, is_generation: true, weight_version: "default" });
    }
    if (req.method === "GET" && path === "/v1/models") {
      const id = mode === "vllm" ? servedName : modelPath;
      return send(res, 200, { object: "list", data: [{ id, object: "model", created: 0, owned_by: mode, root: modelPath, parent: null }] });
    }
    if (req.method === "POST" && path === "/update_weights_from_disk" && mode === "sglang") {
      const body = logged;
      let next;
      try {
        next = loadWeights(body.model_path);
        if (signature(next) !== signature(weights)) throw new Error("tensor names, dtypes or shapes differ from the loaded model");
      } catch (error) {
        return send(res, 400, {
          success: false,
          message: `Failed to update weights: ${error.message}. Rolling back to original weights.`,
          num_paused_requests: 0,
        });
      }
      weights = next;
      modelPath = body.model_path;
      answer = answerOf(weights);
      console.log(`INFO updated weights from ${modelPath}`);
      return send(res, 200, { success: true, message: "Succeeded to update model weights.", num_paused_requests: 0 });
    }
    const chat = path === "/v1/chat/completions";
    if (req.method === "POST" && (chat || path === "/v1/completions")) {
      const body = logged;
      requests++;
      if (mode === "vllm" && body.model && body.model !== servedName) {
        return send(res, 404, { error: { message: `The model \`${body.model}\` does not exist.`, type: "NotFoundError", param: "model", code: 404 } });
      }
      if (chat && !Array.isArray(body.messages))
        return send(res, 400, { error: { message: "messages is required", type: "BadRequestError", param: "messages", code: 400 } });
      if (!chat && typeof body.prompt !== "string")
        return send(res, 400, { error: { message: "prompt is required", type: "BadRequestError", param: "prompt", code: 400 } });
      const n = Number(body.n ?? 1);
      const choices = [];
      let completionTokens = 0;
      for (let index = 0; index < n; index++) {
        const g = generate(body, chat);
        completionTokens += g.tokens;
        choices.push(
          chat
            ? { index, message: { role: "assistant", content: g.text, tool_calls: [] }, logprobs: null, finish_reason: g.finish_reason, stop_reason: null }
            : { index, text: g.text, logprobs: null, finish_reason: g.finish_reason, stop_reason: null },
        );
      }
      return send(res, 200, {
        id: `cmpl-${requests}`,
        object: chat ? "chat.completion" : "text_completion",
        created: Math.floor(Date.now() / 1000),
        model: mode === "vllm" ? servedName : modelPath,
        choices,
        usage: { prompt_tokens: 1, completion_tokens: completionTokens, total_tokens: completionTokens + 1 },
      });
    }
    return send(res, 404, { detail: "Not Found" });
  } catch (error) {
    send(res, 500, { error: { message: String(error?.message ?? error), type: "InternalServerError", code: 500 } });
  }
});

// vLLM opens its port only once the engine has loaded: wait a little, as loading would.
setTimeout(
  () => {
    server.listen(port, host, () => console.log(`INFO Application startup complete. Serving ${servedName} on http://${host}:${port}`));
  },
  Number(process.env.DOUBLE_LOAD_MS ?? 300),
);
process.on("SIGTERM", () => {
  console.log("INFO shutting down");
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 200).unref();
});
