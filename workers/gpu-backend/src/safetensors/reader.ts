// Reads one .safetensors file: the header once, then any tensor (or byte range of one) on demand,
// so a caller never holds more than the bytes it asked for.
import { parseHeader, readHeaderLength, type SafetensorsHeader, type TensorInfo } from "./header.ts";
import { SafetensorsError } from "./errors.ts";
import { openSource, resolverConfigFromEnv, type ByteSource, type ResolverConfig } from "./source.ts";
import { decodeToFloat32 } from "./convert.ts";

export class SafetensorsFile {
  private readonly byName: Map<string, TensorInfo>;

  private constructor(
    readonly location: string,
    private readonly source: ByteSource,
    readonly header: SafetensorsHeader,
    readonly fileSize: number,
  ) {
    this.byName = new Map(header.tensors.map((tensor) => [tensor.name, tensor]));
  }

  /** Opens and validates a file: a path, file://, https://, hf:// or s3:// location. */
  static async open(location: string, config: ResolverConfig = resolverConfigFromEnv()): Promise<SafetensorsFile> {
    const source = openSource(location, config);
    try {
      const fileSize = await source.size();
      if (fileSize < 8) throw new SafetensorsError("truncated", `file is ${fileSize} bytes, shorter than the 8-byte header length`, location);
      const headerLength = readHeaderLength(await source.read(0, 8), fileSize, location);
      const header = parseHeader(await source.read(8, headerLength), fileSize, location);
      return new SafetensorsFile(location, source, header, fileSize);
    } catch (error) {
      await source.close();
      throw error;
    }
  }

  get metadata(): Record<string, string> | null {
    return this.header.metadata;
  }

  /** Tensors in file order. */
  get tensors(): readonly TensorInfo[] {
    return this.header.tensors;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  tensor(name: string): TensorInfo {
    const info = this.byName.get(name);
    if (!info) throw new SafetensorsError("not_found", `no tensor named '${name}'`, this.location);
    return info;
  }

  /** The raw little-endian bytes of one tensor. */
  readTensor(name: string, into?: Uint8Array): Promise<Uint8Array> {
    const info = this.tensor(name);
    return this.readTensorRange(name, 0, info.end - info.begin, into);
  }

  /** `length` bytes of a tensor starting `byteOffset` bytes into it: the unit of streaming reads. */
  readTensorRange(name: string, byteOffset: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    const info = this.tensor(name);
    if (byteOffset < 0 || length < 0 || byteOffset + length > info.end - info.begin) {
      throw new SafetensorsError("source_error", `range [${byteOffset}, ${byteOffset + length}) is outside tensor '${name}'`, this.location);
    }
    return this.source.read(this.header.dataStart + info.begin + byteOffset, length, into);
  }

  /** A float tensor (F16, BF16, F32, F64) decoded to Float32Array. */
  async readFloat32(name: string): Promise<Float32Array> {
    const info = this.tensor(name);
    return decodeToFloat32(await this.readTensor(name), info.dtype, this.location);
  }

  close(): Promise<void> {
    return this.source.close();
  }
}
