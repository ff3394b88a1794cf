// Checkpoint fixtures made by the tests: several dtypes, an integer tensor, NaN/±Inf, single-file and sharded.
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer, type Server } from "node:http";
import { type FileHandle, open } from "node:fs/promises";
import { writeIndex, writeSafetensors, type TensorInput } from "../../../workers/gpu-backend/src/safetensors/index.ts";

const created: string[] = [];

export async function tempDir(prefix = "gpu-backend-"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder tempDir made in this test file. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A seeded generator so every fixture is the same on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

function values(count: number, seed: number, specials: boolean): number[] {
  const next = random(seed);
  const out = Array.from({ length: count }, () => (next() - 0.5) * 4 * 2 ** Math.floor(next() * 8 - 4));
  if (specials) {
    out[0] = NaN;
    out[1] = Infinity;
    out[2] = -Infinity;
    out[3] = -0;
  }
  return out;
}

/** The tensors of one fixture parent; `seed` varies the float values, integers are the same in every parent. */
export function fixtureTensors(seed: number, options: { specials?: boolean } = {}): Record<string, TensorInput> {
  const specials = options.specials ?? true;
  return {
    "model.embed_tokens.weight": { dtype: "BF16", shape: [32, 24], data: values(32 * 24, seed + 1, specials) },
    "model.layers.0.mlp.up_proj.weight": { dtype: "BF16", shape: [48, 24], data: values(48 * 24, seed + 2, false) },
    "model.layers.0.input_layernorm.weight": { dtype: "F16", shape: [24], data: values(24, seed + 3, specials) },
    "model.layers.0.self_attn.q_proj.weight": { dtype: "F32", shape: [24, 24], data: values(24 * 24, seed + 4, specials) },
    "model.layers.0.self_attn.rotary.inv_freq": { dtype: "F32", shape: [7], data: values(7, seed + 5, false) },
    "model.position_ids": { dtype: "I64", shape: [2, 5], data: new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, -9n]) },
    "model.mask": { dtype: "BOOL", shape: [3], data: new Uint8Array([1, 0, 1]) },
    "model.empty": { dtype: "BF16", shape: [0, 4], data: new Uint8Array(0) },
  };
}

export const CONFIG_JSON = `{"architectures":["TinyForCausalLM"],"torch_dtype":"bfloat16","hidden_size":24}\n`;
export const TOKENIZER_JSON = `{"version":"1.0","model":{"type":"BPE","vocab":{"a":0}}}\n`;

/** A single-file checkpoint folder with config.json and tokenizer.json. */
export async function singleFileCheckpoint(dir: string, seed: number, options: { specials?: boolean } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeSafetensors(path.join(dir, "model.safetensors"), fixtureTensors(seed, options), { format: "pt" });
  await writeFile(path.join(dir, "config.json"), CONFIG_JSON);
  await writeFile(path.join(dir, "tokenizer.json"), TOKENIZER_JSON);
  return dir;
}

/** The same tensors split across two shards with an index. */
export async function shardedCheckpoint(dir: string, seed: number, options: { specials?: boolean } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const tensors = Object.entries(fixtureTensors(seed, options));
  const shards = [tensors.slice(0, 3), tensors.slice(3)];
  const weightMap: Record<string, string> = {};
  let total = 0;
  for (const [i, shard] of shards.entries()) {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    await writeSafetensors(path.join(dir, file), Object.fromEntries(shard), { format: "pt" });
    for (const [name, tensor] of shard) {
      weightMap[name] = file;
      total += ArrayBuffer.isView(tensor.data) ? tensor.data.byteLength : 0;
    }
  }
  await writeIndex(dir, weightMap, total);
  await writeFile(path.join(dir, "config.json"), CONFIG_JSON);
  await writeFile(path.join(dir, "generation_config.json"), `{"temperature":0.6}\n`);
  return dir;
}

export interface StaticServer {
  url: string;
  requests: { path: string; range?: string; authorization?: string }[];
  close(): Promise<void>;
}

/** A static file server over `root` with HTTP range requests, on 127.0.0.1 and a free port. */
export async function staticServer(root: string, options: { ignoreRange?: boolean; prefix?: string } = {}): Promise<StaticServer> {
  const requests: StaticServer["requests"] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push({ path: url.pathname, range: req.headers.range, authorization: req.headers.authorization });
    const relative = decodeURIComponent(url.pathname.slice((options.prefix ?? "").length));
    const filePath = path.join(root, relative);
    if (!filePath.startsWith(root)) return void res.writeHead(403).end();
    let handle: FileHandle;
    try {
      handle = await open(filePath, "r");
    } catch {
      return void res.writeHead(404).end();
    }
    try {
      const { size } = await handle.stat();
      const match = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
      if (!match || options.ignoreRange) {
        const body = await handle.readFile();
        res.writeHead(200, { "content-length": body.byteLength }).end(body);
        return;
      }
      const first = Number(match[1]);
      const last = Math.min(match[2] ? Number(match[2]) : size - 1, size - 1);
      if (first >= size) return void res.writeHead(416, { "content-range": `bytes */${size}` }).end();
      const body = Buffer.alloc(last - first + 1);
      await handle.read(body, 0, body.byteLength, first);
      res.writeHead(206, { "content-range": `bytes ${first}-${last}/${size}`, "content-length": body.byteLength }).end(body);
    } finally {
      await handle.close();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
