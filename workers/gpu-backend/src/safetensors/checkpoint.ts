// A checkpoint: one .safetensors file, or shards listed by model.safetensors.index.json. Accepts a
// file, an index, or a folder (local or remote) holding either.
import { writeFile, rename } from "node:fs/promises";
import { SafetensorsError } from "./errors.ts";
import type { TensorInfo } from "./header.ts";
import { SafetensorsFile } from "./reader.ts";
import { fetchOptional, isLocalDirectory, joinLocation, listLocalDirectory, parentLocation, resolverConfigFromEnv, type ResolverConfig } from "./source.ts";

/** Files beside the weights that a merged checkpoint needs to be loadable; a merge copies them from the first parent that has each, the checkpoint cache downloads them. */
export const SIDE_FILES = [
  "config.json",
  "generation_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "tokenizer.model",
  "vocab.json",
  "merges.txt",
  "added_tokens.json",
  "chat_template.jinja",
];

export const INDEX_FILE = "model.safetensors.index.json";
export const SINGLE_FILE = "model.safetensors";

export interface ShardedIndex {
  metadata?: Record<string, unknown>;
  weight_map: Record<string, string>;
}

export interface CheckpointTensor extends TensorInfo {
  /** The shard file name (relative to the checkpoint folder). */
  file: string;
}

export class Checkpoint {
  private constructor(
    /** The location as given. */
    readonly location: string,
    /** The folder holding the shards and the side files (config.json, tokenizer…). */
    readonly folder: string,
    /** Shard file names in order; one entry for a single-file checkpoint. */
    readonly files: string[],
    /** Whether the checkpoint came with an index (and so is written back with one). */
    readonly indexed: boolean,
    private readonly shards: Map<string, SafetensorsFile>,
    /** Every tensor by name, in file order, shard by shard. */
    readonly tensors: Map<string, CheckpointTensor>,
  ) {}

  static async open(location: string, config: ResolverConfig = resolverConfigFromEnv()): Promise<Checkpoint> {
    if (location.endsWith(".safetensors"))
      return Checkpoint.fromFiles(location, parentLocation(location), [location.slice(parentLocation(location).length).replace(/^[/\\]+/, "")], false, config);
    if (location.endsWith(".json")) return Checkpoint.fromIndex(location, config);

    if (await isLocalDirectory(location, config)) {
      const names = await listLocalDirectory(location, config);
      if (names.includes(INDEX_FILE)) return Checkpoint.fromIndex(joinLocation(location, INDEX_FILE), config);
      if (names.includes(SINGLE_FILE)) return Checkpoint.fromFiles(joinLocation(location, SINGLE_FILE), location, [SINGLE_FILE], false, config);
      const candidates = names.filter((name) => name.endsWith(".safetensors"));
      if (candidates.length === 1) return Checkpoint.fromFiles(joinLocation(location, candidates[0]), location, candidates, false, config);
      throw new SafetensorsError(
        "not_found",
        `no ${INDEX_FILE} or ${SINGLE_FILE} in the folder${candidates.length ? ` (found ${candidates.length} .safetensors files without an index)` : ""}`,
        location,
      );
    }
    // A remote folder (hf://owner/repo, https://…/dir): the index if there is one, else the single file.
    const index = await fetchOptional(joinLocation(location, INDEX_FILE), config);
    if (index) return Checkpoint.fromIndexBytes(joinLocation(location, INDEX_FILE), location, index, config);
    return Checkpoint.fromFiles(joinLocation(location, SINGLE_FILE), location, [SINGLE_FILE], false, config);
  }

  private static async fromIndex(indexLocation: string, config: ResolverConfig): Promise<Checkpoint> {
    const bytes = await fetchOptional(indexLocation, config);
    if (!bytes) throw new SafetensorsError("not_found", "index file does not exist", indexLocation);
    return Checkpoint.fromIndexBytes(indexLocation, parentLocation(indexLocation), bytes, config);
  }

  private static async fromIndexBytes(indexLocation: string, folder: string, bytes: Uint8Array, config: ResolverConfig): Promise<Checkpoint> {
    const index = parseIndex(bytes, indexLocation);
    const files = [...new Set(Object.values(index.weight_map))].sort();
    const checkpoint = await Checkpoint.fromFiles(indexLocation, folder, files, true, config);
    try {
      for (const [name, file] of Object.entries(index.weight_map)) {
        const tensor = checkpoint.tensors.get(name);
        if (!tensor) throw new SafetensorsError("invalid_index", `index maps '${name}' to ${file}, which has no such tensor`, indexLocation);
        if (tensor.file !== file) throw new SafetensorsError("invalid_index", `index maps '${name}' to ${file} but it is in ${tensor.file}`, indexLocation);
      }
      for (const [name, tensor] of checkpoint.tensors) {
        if (!(name in index.weight_map))
          throw new SafetensorsError("invalid_index", `tensor '${name}' in ${tensor.file} is missing from the index`, indexLocation);
      }
    } catch (error) {
      await checkpoint.close();
      throw error;
    }
    return checkpoint;
  }

  private static async fromFiles(location: string, folder: string, files: string[], indexed: boolean, config: ResolverConfig): Promise<Checkpoint> {
    const shards = new Map<string, SafetensorsFile>();
    const tensors = new Map<string, CheckpointTensor>();
    try {
      for (const file of files) {
        const shard = await SafetensorsFile.open(joinLocation(folder, file), config);
        shards.set(file, shard);
        for (const info of shard.tensors) {
          const previous = tensors.get(info.name);
          if (previous) throw new SafetensorsError("invalid_index", `tensor '${info.name}' is in both ${previous.file} and ${file}`, location);
          tensors.set(info.name, { ...info, file });
        }
      }
    } catch (error) {
      await Promise.all([...shards.values()].map((shard) => shard.close()));
      throw error;
    }
    return new Checkpoint(location, folder, files, indexed, shards, tensors);
  }

  /** The `__metadata__` of the first shard. */
  get metadata(): Record<string, string> | null {
    return this.shards.get(this.files[0])?.metadata ?? null;
  }

  tensor(name: string): CheckpointTensor {
    const tensor = this.tensors.get(name);
    if (!tensor) throw new SafetensorsError("not_found", `no tensor named '${name}'`, this.location);
    return tensor;
  }

  shard(file: string): SafetensorsFile {
    const shard = this.shards.get(file);
    if (!shard) throw new SafetensorsError("not_found", `no shard ${file}`, this.location);
    return shard;
  }

  readTensor(name: string, into?: Uint8Array): Promise<Uint8Array> {
    return this.shard(this.tensor(name).file).readTensor(name, into);
  }

  readTensorRange(name: string, byteOffset: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    return this.shard(this.tensor(name).file).readTensorRange(name, byteOffset, length, into);
  }

  readFloat32(name: string): Promise<Float32Array> {
    return this.shard(this.tensor(name).file).readFloat32(name);
  }

  async close(): Promise<void> {
    await Promise.all([...this.shards.values()].map((shard) => shard.close()));
  }
}

function parseIndex(bytes: Uint8Array, location: string): ShardedIndex {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new SafetensorsError("invalid_index", `index is not valid JSON (${(error as Error).message})`, location);
  }
  const weightMap = (parsed as ShardedIndex | null)?.weight_map;
  if (typeof weightMap !== "object" || weightMap === null || Array.isArray(weightMap)) {
    throw new SafetensorsError("invalid_index", "index has no weight_map object", location);
  }
  for (const [name, file] of Object.entries(weightMap)) {
    // Shards live beside the index: a name that climbs out of the folder is refused.
    if (typeof file !== "string" || !file.endsWith(".safetensors") || file.includes("/") || file.includes("\\") || file.startsWith(".")) {
      throw new SafetensorsError("invalid_index", `weight_map['${name}'] must be a .safetensors file name beside the index`, location);
    }
  }
  if (Object.keys(weightMap).length === 0) throw new SafetensorsError("invalid_index", "weight_map is empty", location);
  return parsed as ShardedIndex;
}

/** Serialises an index deterministically (keys sorted), as model.safetensors.index.json. */
export function encodeIndex(weightMap: Record<string, string>, totalSize: number, metadata: Record<string, unknown> = {}): string {
  const sortedMap = Object.fromEntries(
    Object.keys(weightMap)
      .sort()
      .map((name) => [name, weightMap[name]]),
  );
  return `${JSON.stringify({ metadata: { ...metadata, total_size: totalSize }, weight_map: sortedMap }, null, 2)}\n`;
}

/** Writes `folder/model.safetensors.index.json`. */
export async function writeIndex(folder: string, weightMap: Record<string, string>, totalSize: number, metadata?: Record<string, unknown>): Promise<string> {
  const target = joinLocation(folder, INDEX_FILE);
  await writeFile(`${target}.partial`, encodeIndex(weightMap, totalSize, metadata));
  await rename(`${target}.partial`, target);
  return target;
}
