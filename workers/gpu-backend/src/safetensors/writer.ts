// Writes .safetensors files. The streaming writer takes the layout up front (the header must come
// first) and then the tensors' bytes in order, hashing as it goes; nothing is held but the caller's chunk.
import { createHash, type Hash } from "node:crypto";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { DTYPE_BYTES, type DType } from "./dtype.ts";
import { elementCount, encodeHeader, type TensorLayout } from "./header.ts";
import { SafetensorsError } from "./errors.ts";
import { encodeFromFloat32 } from "./convert.ts";

export interface WrittenFile {
  path: string;
  bytes: number;
  sha256: string;
}

export class SafetensorsWriter {
  private tensorIndex = 0;
  private writtenInTensor = 0;
  private bytes = 0;

  private constructor(
    readonly path: string,
    private readonly partialPath: string,
    private readonly handle: FileHandle,
    private readonly hash: Hash,
    private readonly layout: readonly TensorLayout[],
    private readonly sizes: number[],
  ) {}

  /** Creates `path` (via `path.partial`, renamed on finish) and writes the header for `layout`, in that order. */
  static async create(path: string, layout: readonly TensorLayout[], metadata?: Record<string, string> | null): Promise<SafetensorsWriter> {
    const { bytes, offsets } = encodeHeader(layout, metadata);
    const partialPath = `${path}.partial`;
    const handle = await open(partialPath, "w");
    const writer = new SafetensorsWriter(
      path,
      partialPath,
      handle,
      createHash("sha256"),
      layout,
      offsets.map((o) => o.end - o.begin),
    );
    await writer.writeRaw(bytes);
    writer.skipEmptyTensors();
    return writer;
  }

  /** The tensor whose bytes come next, or undefined when all are written. */
  get current(): TensorLayout | undefined {
    return this.layout[this.tensorIndex];
  }

  /** Appends bytes of the current tensor; a chunk may not run past the tensor's end. */
  async write(chunk: Uint8Array): Promise<void> {
    const tensor = this.layout[this.tensorIndex];
    if (!tensor) throw new SafetensorsError("source_error", "all tensors already written", this.path);
    if (this.writtenInTensor + chunk.byteLength > this.sizes[this.tensorIndex]) {
      throw new SafetensorsError("shape_mismatch", `more bytes than tensor '${tensor.name}' holds`, this.path);
    }
    await this.writeRaw(chunk);
    this.writtenInTensor += chunk.byteLength;
    if (this.writtenInTensor === this.sizes[this.tensorIndex]) {
      this.tensorIndex++;
      this.writtenInTensor = 0;
      this.skipEmptyTensors();
    }
  }

  async finish(): Promise<WrittenFile> {
    if (this.tensorIndex < this.layout.length) {
      await this.abort();
      throw new SafetensorsError("truncated", `tensor '${this.layout[this.tensorIndex].name}' not fully written`, this.path);
    }
    await this.handle.close();
    await rename(this.partialPath, this.path);
    return { path: this.path, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => {});
    await rm(this.partialPath, { force: true });
  }

  private skipEmptyTensors(): void {
    while (this.tensorIndex < this.layout.length && this.sizes[this.tensorIndex] === 0) this.tensorIndex++;
  }

  private async writeRaw(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.byteLength) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.byteLength - done);
      done += bytesWritten;
    }
    this.hash.update(bytes);
    this.bytes += bytes.byteLength;
  }
}

/** One tensor for writeSafetensors: raw little-endian bytes, a typed array, or plain numbers (encoded to dtype). */
export interface TensorInput {
  dtype: DType;
  shape: number[];
  data: ArrayBufferView | readonly number[];
}

function tensorBytes(name: string, tensor: TensorInput): Uint8Array {
  const { data, dtype, shape } = tensor;
  let bytes: Uint8Array;
  if (ArrayBuffer.isView(data)) {
    bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } else if (dtype === "F32" || dtype === "F64" || dtype === "BF16" || dtype === "F16") {
    bytes = encodeFromFloat32(data, dtype);
  } else {
    throw new SafetensorsError("unsupported", `tensor '${name}': give ${dtype} data as a typed array`);
  }
  const expected = elementCount(shape) * DTYPE_BYTES[dtype];
  if (bytes.byteLength !== expected) {
    throw new SafetensorsError("shape_mismatch", `tensor '${name}' ${dtype}[${shape.join(", ")}] needs ${expected} bytes, got ${bytes.byteLength}`);
  }
  return bytes;
}

/**
 * Writes a whole .safetensors file from tensors in memory, laid out in name order so the same
 * tensors always give the same bytes. Typed arrays are written as they are (little-endian hosts).
 */
export async function writeSafetensors(
  path: string,
  tensors: Record<string, TensorInput> | Map<string, TensorInput>,
  metadata?: Record<string, string> | null,
): Promise<WrittenFile> {
  const entries = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const encoded = entries.map(([name, tensor]) => ({ name, dtype: tensor.dtype, shape: [...tensor.shape], bytes: tensorBytes(name, tensor) }));
  const writer = await SafetensorsWriter.create(path, encoded, metadata);
  try {
    for (const tensor of encoded) if (tensor.bytes.byteLength > 0) await writer.write(tensor.bytes);
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return writer.finish();
}
