// The merge engine, shared by the service and `frontier merge`: θ = Σ cᵢ·θᵢ over checkpoints with
// identical tensor names, shapes and dtypes, streamed chunk by chunk so memory stays flat.
import { mkdir, readdir, rm, writeFile, rename } from "node:fs/promises";
import { createHash } from "node:crypto";
import path from "node:path";
import { Checkpoint, encodeIndex, INDEX_FILE, SIDE_FILES, SINGLE_FILE, type CheckpointTensor } from "../safetensors/checkpoint.ts";

export { SIDE_FILES };
import { DTYPE_BYTES, isFloat8, isMergeableFloat, type DType, type MergeableFloat } from "../safetensors/dtype.ts";
import type { TensorLayout } from "../safetensors/header.ts";
import { fetchOptional, joinLocation, resolverConfigFromEnv, toFileUrl, type ResolverConfig } from "../safetensors/source.ts";
import { SafetensorsWriter } from "../safetensors/writer.ts";
import { elementBytes, mergeChunk, MergeScratch, type Term } from "./kernels.ts";
import { OUTPUT_DTYPES, type OutputDtype, type OutputFile } from "@frontier/contracts";

// The dtypes and file entries are part of the backend's API (@frontier/contracts); re-exported for `frontier merge`.
export { OUTPUT_DTYPES, type OutputDtype, type OutputFile };

export const AFFINE_TOLERANCE = 1e-6;
export const DEFAULT_CHUNK_BYTES = 8 << 20;

export interface MergeParent {
  url: string;
  coefficient: number;
}

export interface MergeOptions {
  parents: MergeParent[];
  /** Output folder; created if missing, refused if it holds anything. */
  outDir: string;
  outDtype?: OutputDtype;
  /** Re-shard the output to at most this many bytes per shard (a tensor larger than it gets a shard of its own). */
  shardSize?: number;
  /** Allow coefficients that do not sum to 1. */
  allowNonAffine?: boolean;
  resolver?: ResolverConfig;
  /**
   * Gives a local folder for a parent URL (the checkpoint cache: acquireCheckpoint), leased until
   * the merge ends; without it parents are read where they are.
   */
  materialise?: (url: string) => Promise<{ dir: string; release(): void }>;
  /** Output bytes per streamed chunk. */
  chunkBytes?: number;
  signal?: AbortSignal;
  onProgress?: (done: { tensors: number; bytes: number }) => void;
}

export interface MergeResult {
  files: OutputFile[];
  bytes: number;
  tensors: number;
}

export type MergeErrorCode = "invalid_request" | "incompatible_parents" | "non_float_mismatch" | "unsupported" | "output_not_empty" | "aborted";

export class MergeError extends Error {
  constructor(
    readonly code: MergeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MergeError";
  }
}

export function validateCoefficients(parents: MergeParent[], allowNonAffine = false): void {
  if (parents.length === 0) throw new MergeError("invalid_request", "a merge needs at least one parent");
  for (const [i, parent] of parents.entries()) {
    if (typeof parent.coefficient !== "number" || !Number.isFinite(parent.coefficient)) {
      throw new MergeError("invalid_request", `parent ${i} (${parent.url}) has a coefficient that is not a finite number`);
    }
  }
  const sum = parents.reduce((total, parent) => total + parent.coefficient, 0);
  if (!allowNonAffine && Math.abs(sum - 1) > AFFINE_TOLERANCE) {
    throw new MergeError(
      "invalid_request",
      `coefficients sum to ${sum}, not 1; an affine combination is required unless non-affine merges are allowed explicitly`,
    );
  }
}

interface PlannedTensor {
  name: string;
  source: CheckpointTensor;
  outDtype: DType;
}

interface PlannedShard {
  file: string;
  tensors: PlannedTensor[];
}

export async function mergeCheckpoints(options: MergeOptions): Promise<MergeResult> {
  const { parents, outDir } = options;
  validateCoefficients(parents, options.allowNonAffine);
  if (options.shardSize !== undefined && (!Number.isSafeInteger(options.shardSize) || options.shardSize <= 0)) {
    throw new MergeError("invalid_request", "shard_size must be a positive integer number of bytes");
  }
  const resolver = options.resolver ?? resolverConfigFromEnv();
  const chunkBytes = Math.max(64, Math.floor((options.chunkBytes ?? DEFAULT_CHUNK_BYTES) / 8) * 8);

  await prepareOutputDir(outDir);
  const checkpoints: Checkpoint[] = [];
  const written: string[] = [];
  const leases: { release(): void }[] = [];
  try {
    for (const parent of parents) {
      let location = parent.url;
      if (options.materialise && /^(hf|https?|s3):\/\//i.test(parent.url)) {
        const lease = await options.materialise(parent.url);
        leases.push(lease);
        // A URL naming one file keeps naming it inside the cached folder.
        const file = /\.(safetensors|json)$/.test(parent.url) ? parent.url.replace(/^.*\//, "") : undefined;
        location = toFileUrl(file ? path.join(lease.dir, file) : lease.dir);
      }
      checkpoints.push(await Checkpoint.open(location, resolver));
    }
    checkCompatible(checkpoints, parents);
    const shards = planShards(checkpoints[0], options.outDtype, options.shardSize);
    const metadata = outputMetadata(checkpoints[0], parents);

    const files: OutputFile[] = [];
    const weightMap: Record<string, string> = {};
    const scratch = new MergeScratch();
    const progress = { tensors: 0, bytes: 0 };
    for (const shard of shards) {
      const target = path.join(outDir, shard.file);
      const layout: TensorLayout[] = shard.tensors.map((t) => ({ name: t.name, dtype: t.outDtype, shape: t.source.shape }));
      const writer = await SafetensorsWriter.create(target, layout, metadata);
      try {
        for (const tensor of shard.tensors) {
          if (options.signal?.aborted) throw new MergeError("aborted", "merge cancelled");
          await writeTensor(tensor, checkpoints, parents, writer, chunkBytes, scratch);
          weightMap[tensor.name] = shard.file;
          progress.tensors++;
          options.onProgress?.(progress);
        }
      } catch (error) {
        await writer.abort();
        throw error;
      }
      const file = await writer.finish();
      written.push(target);
      files.push({ name: shard.file, bytes: file.bytes, sha256: file.sha256 });
      progress.bytes += file.bytes;
    }

    if (checkpoints[0].indexed || options.shardSize !== undefined) {
      const dataBytes = shards.flatMap((s) => s.tensors).reduce((total, t) => total + tensorBytes(t.source.shape, t.outDtype), 0);
      files.push(await writeSmallFile(outDir, INDEX_FILE, new TextEncoder().encode(encodeIndex(weightMap, dataBytes)), written));
    }
    for (const name of SIDE_FILES) {
      for (const checkpoint of checkpoints) {
        const bytes = await fetchOptional(joinLocation(checkpoint.folder, name), resolver);
        if (bytes) {
          files.push(await writeSmallFile(outDir, name, bytes, written));
          break;
        }
      }
    }
    files.sort((a, b) => (a.name < b.name ? -1 : 1));
    return { files, bytes: files.reduce((total, file) => total + file.bytes, 0), tensors: Object.keys(weightMap).length };
  } catch (error) {
    await Promise.all(written.map((file) => rm(file, { force: true })));
    throw error;
  } finally {
    await Promise.all(checkpoints.map((checkpoint) => checkpoint.close()));
    for (const lease of leases) lease.release();
  }
}

async function prepareOutputDir(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const existing = await readdir(outDir);
  if (existing.length > 0) {
    throw new MergeError("output_not_empty", `output folder ${outDir} is not empty (${existing.slice(0, 3).join(", ")}${existing.length > 3 ? ", …" : ""})`);
  }
}

async function writeSmallFile(outDir: string, name: string, bytes: Uint8Array, written: string[]): Promise<OutputFile> {
  const target = path.join(outDir, name);
  await writeFile(`${target}.partial`, bytes);
  await rename(`${target}.partial`, target);
  written.push(target);
  return { name, bytes: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
}

const MAX_REPORTED = 5;

/** All parents must hold the same tensors with the same shapes and dtypes; reports the first differences by name. */
export function checkCompatible(checkpoints: Checkpoint[], parents: MergeParent[]): void {
  const reference = checkpoints[0];
  const problems: string[] = [];
  for (let p = 1; p < checkpoints.length; p++) {
    const other = checkpoints[p];
    const label = `parent ${p} (${parents[p].url})`;
    const missing = [...reference.tensors.keys()].filter((name) => !other.tensors.has(name));
    const extra = [...other.tensors.keys()].filter((name) => !reference.tensors.has(name));
    if (missing.length) problems.push(`${label} lacks ${missing.length} tensor(s): ${quoteFirst(missing)}`);
    if (extra.length) problems.push(`${label} has ${extra.length} extra tensor(s): ${quoteFirst(extra)}`);
    const shapeDiffs: string[] = [];
    for (const [name, tensor] of reference.tensors) {
      const theirs = other.tensors.get(name);
      if (!theirs) continue;
      if (theirs.dtype !== tensor.dtype || theirs.shape.join(",") !== tensor.shape.join(",")) {
        shapeDiffs.push(`'${name}' is ${theirs.dtype}[${theirs.shape.join(", ")}] vs ${tensor.dtype}[${tensor.shape.join(", ")}] in parent 0`);
      }
    }
    if (shapeDiffs.length)
      problems.push(
        `${label}: ${shapeDiffs.slice(0, MAX_REPORTED).join("; ")}${shapeDiffs.length > MAX_REPORTED ? `; and ${shapeDiffs.length - MAX_REPORTED} more` : ""}`,
      );
  }
  if (problems.length) throw new MergeError("incompatible_parents", `parents do not match: ${problems.join(" | ")}`);
}

function quoteFirst(names: string[]): string {
  return (
    names
      .slice(0, MAX_REPORTED)
      .map((name) => `'${name}'`)
      .join(", ") + (names.length > MAX_REPORTED ? `, and ${names.length - MAX_REPORTED} more` : "")
  );
}

function tensorBytes(shape: number[], dtype: DType): number {
  return shape.reduce((product, dim) => product * dim, 1) * DTYPE_BYTES[dtype];
}

function planShards(reference: Checkpoint, outDtype: OutputDtype | undefined, shardSize: number | undefined): PlannedShard[] {
  const planned = (tensor: CheckpointTensor): PlannedTensor => {
    if (isFloat8(tensor.dtype))
      throw new MergeError("unsupported", `tensor '${tensor.name}' is ${tensor.dtype}; 8-bit float checkpoints need their scales and are not merged`);
    return { name: tensor.name, source: tensor, outDtype: outDtype && isMergeableFloat(tensor.dtype) ? outDtype : tensor.dtype };
  };
  // Checkpoint.tensors is in file order, shard by shard: the output keeps that order.
  const all = [...reference.tensors.values()].map(planned);
  if (shardSize === undefined) {
    if (!reference.indexed) return [{ file: SINGLE_FILE, tensors: all }];
    return reference.files.map((file) => ({ file, tensors: all.filter((t) => t.source.file === file) })).filter((s) => s.tensors.length > 0);
  }
  const groups: PlannedTensor[][] = [];
  let current: PlannedTensor[] = [];
  let currentBytes = 0;
  for (const tensor of all) {
    const bytes = tensorBytes(tensor.source.shape, tensor.outDtype);
    if (current.length > 0 && currentBytes + bytes > shardSize) {
      groups.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(tensor);
    currentBytes += bytes;
  }
  if (current.length) groups.push(current);
  const width = 5;
  return groups.map((tensors, i) => ({
    file: `model-${String(i + 1).padStart(width, "0")}-of-${String(groups.length).padStart(width, "0")}.safetensors`,
    tensors,
  }));
}

function outputMetadata(reference: Checkpoint, parents: MergeParent[]): Record<string, string> {
  const metadata: Record<string, string> = {
    "frontier.merge": JSON.stringify({ parents: parents.map((p) => ({ url: p.url, coefficient: p.coefficient })), accumulate: "F64" }),
  };
  const format = reference.metadata?.format;
  if (format) metadata.format = format;
  return metadata;
}

async function writeTensor(
  tensor: PlannedTensor,
  checkpoints: Checkpoint[],
  parents: MergeParent[],
  writer: SafetensorsWriter,
  chunkBytes: number,
  scratch: MergeScratch,
): Promise<void> {
  const { name, source, outDtype } = tensor;
  const totalBytes = source.end - source.begin;
  if (totalBytes === 0) return;

  if (!isMergeableFloat(source.dtype)) {
    await copyIdentical(name, source.dtype, totalBytes, checkpoints, parents, writer, chunkBytes, scratch);
    return;
  }

  const live = parents.map((parent, index) => ({ index, coefficient: parent.coefficient })).filter((term) => term.coefficient !== 0);
  // θ = 1·θ_k is θ_k: copy the bytes so NaN payloads and -0 survive exactly.
  if (live.length === 1 && live[0].coefficient === 1 && outDtype === source.dtype) {
    await streamCopy(checkpoints[live[0].index], name, totalBytes, writer, chunkBytes, scratch);
    return;
  }
  if (live.length === 0) {
    throw new MergeError("invalid_request", "every coefficient is 0: the merge would be all zeros");
  }

  const sourceDtype = source.dtype as MergeableFloat;
  const targetDtype = outDtype as MergeableFloat;
  const sourceSize = elementBytes(sourceDtype);
  const targetSize = elementBytes(targetDtype);
  const elements = totalBytes / sourceSize;
  // Chunk size in elements: even (two bf16 per word) and bounded by chunkBytes on either side.
  const perChunk = Math.max(2, Math.floor(chunkBytes / Math.max(sourceSize, targetSize) / 2) * 2);

  // Two sets of read buffers: the next chunk is read while this one is computed, and the previous one written.
  const chunkElements = Math.min(perChunk, elements);
  const readSets = [0, 1].map((set) => live.map((_, t) => scratch.ioBuffer(`read-${set}-${t}`, chunkElements * sourceSize)));
  const outputs = [0, 1].map((set) => scratch.ioBuffer(`write-${set}`, chunkElements * targetSize));
  const readChunk = (start: number, set: number) => {
    const count = Math.min(perChunk, elements - start);
    return Promise.all(live.map((term, t) => checkpoints[term.index].readTensorRange(name, start * sourceSize, count * sourceSize, readSets[set][t])));
  };

  let pendingRead = readChunk(0, 0);
  let pendingWrite: Promise<void> = Promise.resolve();
  for (let start = 0, k = 0; start < elements; start += perChunk, k++) {
    const count = Math.min(perChunk, elements - start);
    const chunks = await pendingRead;
    const next = start + perChunk;
    if (next < elements) pendingRead = readChunk(next, (k + 1) % 2);
    const terms: Term[] = chunks.map((bytes, t) => ({ bytes, coefficient: live[t].coefficient }));
    const out = mergeChunk(terms, sourceDtype, targetDtype, count, outputs[k % 2].subarray(0, count * targetSize), scratch);
    await pendingWrite;
    pendingWrite = writer.write(out);
  }
  await pendingWrite;
}

async function streamCopy(
  checkpoint: Checkpoint,
  name: string,
  totalBytes: number,
  writer: SafetensorsWriter,
  chunkBytes: number,
  scratch: MergeScratch,
): Promise<void> {
  const buffers = [0, 1].map((set) => scratch.ioBuffer(`read-${set}-0`, Math.min(chunkBytes, totalBytes)));
  let pendingWrite: Promise<void> = Promise.resolve();
  for (let offset = 0, k = 0; offset < totalBytes; offset += chunkBytes, k++) {
    const length = Math.min(chunkBytes, totalBytes - offset);
    const chunk = await checkpoint.readTensorRange(name, offset, length, buffers[k % 2]);
    await pendingWrite;
    pendingWrite = writer.write(chunk);
  }
  await pendingWrite;
}

/** Integer and bool tensors cannot be averaged: every parent must hold the same bytes, which are copied. */
async function copyIdentical(
  name: string,
  dtype: DType,
  totalBytes: number,
  checkpoints: Checkpoint[],
  parents: MergeParent[],
  writer: SafetensorsWriter,
  chunkBytes: number,
  scratch: MergeScratch,
): Promise<void> {
  const reference = scratch.ioBuffer("read-0-0", Math.min(chunkBytes, totalBytes));
  const other = scratch.ioBuffer("read-1-0", Math.min(chunkBytes, totalBytes));
  for (let offset = 0; offset < totalBytes; offset += chunkBytes) {
    const length = Math.min(chunkBytes, totalBytes - offset);
    const mine = await checkpoints[0].readTensorRange(name, offset, length, reference);
    for (let p = 1; p < checkpoints.length; p++) {
      const theirs = await checkpoints[p].readTensorRange(name, offset, length, other);
      if (Buffer.compare(mine, theirs) !== 0) {
        throw new MergeError(
          "non_float_mismatch",
          `${dtype} tensor '${name}' differs between parent 0 and parent ${p} (${parents[p].url}); non-float tensors must be identical to be merged`,
        );
      }
    }
    await writer.write(mine);
  }
}
