// The safetensors header: 8-byte little-endian length N, N bytes of UTF-8 JSON, then the data buffer.
// Validation follows the format's reference implementation: every byte of the data buffer belongs to
// exactly one tensor, each tensor's byte length matches its dtype and shape, and N is at most 100 MB.
import { DTYPE_BYTES, isDType, type DType } from "./dtype.ts";
import { SafetensorsError } from "./errors.ts";

export const MAX_HEADER_BYTES = 100_000_000;
export const METADATA_KEY = "__metadata__";

export interface TensorInfo {
  name: string;
  dtype: DType;
  shape: number[];
  /** Byte offsets relative to the start of the data buffer, [begin, end). */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  metadata: Record<string, string> | null;
  /** Sorted by data offset, which is the order of the bytes in the file. */
  tensors: TensorInfo[];
  /** Absolute file offset where the data buffer starts (8 + N). */
  dataStart: number;
  dataLength: number;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/** Reads N from the first 8 bytes and checks it against the limits and the file size. */
export function readHeaderLength(prefix: Uint8Array, fileSize: number, source?: string): number {
  if (fileSize < 8 || prefix.byteLength < 8) {
    throw new SafetensorsError("truncated", `file is ${fileSize} bytes, shorter than the 8-byte header length`, source);
  }
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError("header_too_large", `header length ${length} exceeds the ${MAX_HEADER_BYTES}-byte limit`, source);
  }
  const n = Number(length);
  if (8 + n > fileSize) {
    throw new SafetensorsError("truncated", `header claims ${n} bytes but the file has only ${fileSize - 8} after the length`, source);
  }
  return n;
}

export function parseHeader(json: Uint8Array, fileSize: number, source?: string): SafetensorsHeader {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(json);
  } catch {
    throw new SafetensorsError("invalid_header", "header is not valid UTF-8", source);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError("invalid_header", `header is not valid JSON (${(error as Error).message})`, source);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SafetensorsError("invalid_header", "header is not a JSON object", source);
  }

  const dataStart = 8 + json.byteLength;
  const dataLength = fileSize - dataStart;
  let metadata: Record<string, string> | null = null;
  const tensors: TensorInfo[] = [];
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      metadata = parseMetadata(value, source);
      continue;
    }
    tensors.push(parseTensorEntry(name, value, source));
  }

  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous: TensorInfo | undefined;
  for (const tensor of tensors) {
    if (tensor.begin < expected) {
      throw new SafetensorsError(
        "offset_overlap",
        `tensor '${tensor.name}' [${tensor.begin}, ${tensor.end}) overlaps '${previous?.name}' ending at ${expected}`,
        source,
      );
    }
    if (tensor.begin > expected) {
      throw new SafetensorsError("offset_hole", `bytes [${expected}, ${tensor.begin}) before tensor '${tensor.name}' belong to no tensor`, source);
    }
    expected = tensor.end;
    previous = tensor;
  }
  if (expected > dataLength) {
    throw new SafetensorsError("truncated", `tensors need ${expected} data bytes but the file holds ${dataLength}`, source);
  }
  if (expected < dataLength) {
    throw new SafetensorsError("offset_hole", `bytes [${expected}, ${dataLength}) at the end of the data belong to no tensor`, source);
  }
  return { metadata, tensors, dataStart, dataLength };
}

function parseMetadata(value: unknown, source?: string): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SafetensorsError("invalid_header", `${METADATA_KEY} must be an object of strings`, source);
  }
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") {
      throw new SafetensorsError("invalid_header", `${METADATA_KEY}.${key} must be a string`, source);
    }
  }
  return value as Record<string, string>;
}

function parseTensorEntry(name: string, value: unknown, source?: string): TensorInfo {
  const fail = (why: string): never => {
    throw new SafetensorsError("invalid_header", `tensor '${name}': ${why}`, source);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("entry is not an object");
  const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof entry.dtype !== "string") fail("dtype missing");
  if (!isDType(entry.dtype)) {
    throw new SafetensorsError("unknown_dtype", `tensor '${name}' has unknown dtype '${entry.dtype}'`, source);
  }
  const dtype = entry.dtype as DType;
  const isCount = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(entry.shape) || !entry.shape.every(isCount)) fail("shape must be an array of non-negative integers");
  const offsets = entry.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) fail("data_offsets must be [begin, end]");
  const shape = entry.shape as number[];
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`data_offsets [${begin}, ${end}) end before they begin`);
  const expectedBytes = elementCount(shape) * DTYPE_BYTES[dtype];
  if (!Number.isSafeInteger(expectedBytes) || expectedBytes !== end - begin) {
    throw new SafetensorsError(
      "shape_mismatch",
      `tensor '${name}' ${dtype}[${shape.join(", ")}] needs ${expectedBytes} bytes but data_offsets span ${end - begin}`,
      source,
    );
  }
  return { name, dtype, shape: [...shape], begin, end };
}

export interface TensorLayout {
  name: string;
  dtype: DType;
  shape: number[];
}

/**
 * Lays tensors out back to back in the given order and encodes the header, padded with spaces to a
 * multiple of 8 bytes so the data buffer starts aligned (as the reference writer does).
 */
export function encodeHeader(
  tensors: readonly TensorLayout[],
  metadata?: Record<string, string> | null,
): { bytes: Uint8Array; offsets: { begin: number; end: number }[]; dataLength: number } {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    header[METADATA_KEY] = Object.fromEntries(
      Object.keys(metadata)
        .sort()
        .map((key) => [key, metadata[key]]),
    );
  }
  const offsets: { begin: number; end: number }[] = [];
  let cursor = 0;
  const seen = new Set<string>();
  for (const tensor of tensors) {
    if (tensor.name === METADATA_KEY || seen.has(tensor.name)) {
      throw new SafetensorsError("invalid_header", `tensor name '${tensor.name}' is reserved or repeated`);
    }
    seen.add(tensor.name);
    const bytes = elementCount(tensor.shape) * DTYPE_BYTES[tensor.dtype];
    offsets.push({ begin: cursor, end: cursor + bytes });
    header[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [cursor, cursor + bytes] };
    cursor += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const bytes = new Uint8Array(8 + padded).fill(0x20, 8 + json.byteLength);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(padded), true);
  bytes.set(json, 8);
  return { bytes, offsets, dataLength: cursor };
}
