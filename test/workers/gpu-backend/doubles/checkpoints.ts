// Checkpoints for the model-server doubles: real safetensors whose values decide what the double
// answers (the mean of the first float tensor by name), with a config and a chat template.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeSafetensors } from "../../../../workers/gpu-backend/src/safetensors/index.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DOUBLE_BIN = path.join(HERE, "bin");
export const VLLM_DOUBLE = path.join(DOUBLE_BIN, "vllm");
export const MODEL_SERVER = path.join(HERE, "model-server.mjs");

export const CHAT_TEMPLATE =
  "{{ bos_token }}{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}<|end|>\n{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}";

/** A checkpoint folder whose double answers `print(value)`; returns its file:// URL. */
export async function answerCheckpoint(dir: string, value: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeSafetensors(
    path.join(dir, "model.safetensors"),
    {
      "model.embed_tokens.weight": { dtype: "F32", shape: [2, 4], data: new Array(8).fill(value) },
      "model.norm.weight": { dtype: "BF16", shape: [4], data: [1, 1, 1, 1] },
    },
    { format: "pt" },
  );
  await writeFile(path.join(dir, "config.json"), JSON.stringify({ model_type: "llama", architectures: ["LlamaForCausalLM"] }));
  await writeFile(path.join(dir, "tokenizer_config.json"), JSON.stringify({ bos_token: "<s>", eos_token: { content: "</s>" }, chat_template: CHAT_TEMPLATE }));
  return pathToFileURL(dir).href;
}
