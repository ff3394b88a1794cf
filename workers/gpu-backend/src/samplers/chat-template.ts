// SAMPLER_API=completions: the checkpoint's own chat template (tokenizer_config.json `chat_template`,
// or chat_template.jinja beside it) rendered with @huggingface/jinja into the raw prompt that
// /v1/completions continues.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";
import type { ChatMessage } from "@frontier/contracts";

export type RenderChat = (messages: ChatMessage[]) => string;

type TokenValue = string | { content?: string } | null | undefined;
const tokenText = (value: TokenValue) => (typeof value === "string" ? value : (value?.content ?? ""));

/** The template of a checkpoint directory; throws when it has none (a raw prompt would be a silent guess). */
export async function loadChatTemplate(dir: string): Promise<RenderChat> {
  let config: Record<string, unknown> = {};
  try {
    config = JSON.parse(await readFile(join(dir, "tokenizer_config.json"), "utf8"));
  } catch {
    // no tokenizer_config.json: chat_template.jinja alone may still be there
  }
  let source: string | undefined;
  const declared = config.chat_template;
  if (typeof declared === "string") source = declared;
  else if (Array.isArray(declared)) {
    const named = declared as { name?: string; template?: string }[];
    source = (named.find((t) => t.name === "default") ?? named[0])?.template;
  }
  if (!source) source = await readFile(join(dir, "chat_template.jinja"), "utf8").catch(() => undefined);
  if (!source) throw new Error(`SAMPLER_API=completions needs a chat template: ${dir} has no tokenizer_config.json chat_template and no chat_template.jinja`);
  const template = new Template(source);
  const bos_token = tokenText(config.bos_token as TokenValue);
  const eos_token = tokenText(config.eos_token as TokenValue);
  return (messages) => template.render({ messages, add_generation_prompt: true, bos_token, eos_token });
}
