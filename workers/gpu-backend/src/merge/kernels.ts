// The arithmetic of a merge chunk: decode each parent's elements to fp32, form θ = Σ cᵢ·θᵢ in fp64
// registers (each fp32×fp64 product is nearly exact there), round once to fp32, then to the output
// dtype with round-to-nearest-even. Accumulating with fp32 roundings after every product and sum
// loses several ulps where the terms cancel, which extrapolation (c = -0.5, 1.5) makes common;
// one rounding keeps every output within one ulp of the exact value.
import { f16BitsToFloat32, float32ToF16Bits } from "../safetensors/convert.ts";
import type { MergeableFloat } from "../safetensors/dtype.ts";

export interface Term {
  /** The parent's bytes for this chunk (8-byte aligned). */
  bytes: Uint8Array;
  coefficient: number;
}

let f16Table: Float32Array | undefined;
function f16ToF32Table(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) f16Table[bits] = f16BitsToFloat32(bits);
  }
  return f16Table;
}

/** Scratch buffers reused across chunks so a merge allocates once. */
export class MergeScratch {
  private decoded = new Float32Array(0);
  private accumulator = new Float32Array(0);
  private accumulator64 = new Float64Array(0);
  private output = new Uint8Array(0);
  private readonly io = new Map<string, Uint8Array>();

  decodeBuffer(count: number): Float32Array {
    if (this.decoded.length < count) this.decoded = new Float32Array(count);
    return this.decoded.subarray(0, count);
  }
  acc32(count: number): Float32Array {
    if (this.accumulator.length < count) this.accumulator = new Float32Array(count);
    return this.accumulator.subarray(0, count);
  }
  acc64(count: number): Float64Array {
    if (this.accumulator64.length < count) this.accumulator64 = new Float64Array(count);
    return this.accumulator64.subarray(0, count);
  }
  outputBuffer(bytes: number): Uint8Array {
    if (this.output.byteLength < bytes) this.output = new Uint8Array(bytes);
    return this.output.subarray(0, bytes);
  }
  /** A named I/O buffer of at least `bytes`, reused across tensors so garbage does not pile up. */
  ioBuffer(name: string, bytes: number): Uint8Array {
    let buffer = this.io.get(name);
    if (!buffer || buffer.byteLength < bytes) {
      buffer = new Uint8Array(bytes);
      this.io.set(name, buffer);
    }
    return buffer.subarray(0, bytes);
  }
}

const ELEMENT_BYTES: Record<MergeableFloat, number> = { BF16: 2, F16: 2, F32: 4, F64: 8 };

/**
 * Merges `count` elements of every term into `into` (count × output element size bytes).
 * Terms with coefficient 0 must already be left out by the caller.
 */
export function mergeChunk(terms: Term[], source: MergeableFloat, target: MergeableFloat, count: number, into: Uint8Array, scratch: MergeScratch): Uint8Array {
  if (terms.length === 2 && source === "BF16" && target === "BF16" && count % 2 === 0) {
    mergeTwoBf16(terms[0], terms[1], count, into);
    return into;
  }
  const acc = scratch.acc64(count);
  terms.forEach((term, t) => {
    const values = decode(term.bytes, source, count, scratch);
    const c = term.coefficient;
    if (t === 0) for (let i = 0; i < count; i++) acc[i] = c * values[i];
    else for (let i = 0; i < count; i++) acc[i] += c * values[i];
  });
  encode(acc, target, into, scratch);
  return into;
}

function decode(bytes: Uint8Array, dtype: MergeableFloat, count: number, scratch: MergeScratch): Float32Array | Float64Array {
  if (dtype === "F64") return new Float64Array(bytes.buffer, bytes.byteOffset, count);
  if (dtype === "F32") return new Float32Array(bytes.buffer, bytes.byteOffset, count);
  const out = scratch.decodeBuffer(count);
  const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
  if (dtype === "BF16") {
    const bits = new Uint32Array(out.buffer, out.byteOffset, count);
    for (let i = 0; i < count; i++) bits[i] = halves[i] << 16;
  } else {
    const table = f16ToF32Table();
    for (let i = 0; i < count; i++) out[i] = table[halves[i]];
  }
  return out;
}

function encode(acc: Float64Array, dtype: MergeableFloat, into: Uint8Array, scratch: MergeScratch): void {
  const count = acc.length;
  switch (dtype) {
    case "F64":
      new Float64Array(into.buffer, into.byteOffset, count).set(acc);
      return;
    case "F32":
      new Float32Array(into.buffer, into.byteOffset, count).set(acc);
      return;
    case "BF16": {
      const f32 = scratch.acc32(count);
      f32.set(acc);
      const bits = new Uint32Array(f32.buffer, f32.byteOffset, count);
      const out = new Uint16Array(into.buffer, into.byteOffset, count);
      for (let i = 0; i < count; i++) out[i] = bf16Round(bits[i]);
      return;
    }
    case "F16": {
      const out = new Uint16Array(into.buffer, into.byteOffset, count);
      for (let i = 0; i < count; i++) out[i] = float32ToF16Bits(acc[i]);
      return;
    }
  }
}

/** fp32 bits → bf16 bits, round to nearest even; NaN becomes a quiet NaN with its sign. */
function bf16Round(bits: number): number {
  return (bits & 0x7fffffff) > 0x7f800000 ? (bits >>> 16) | 0x0040 : (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16;
}

const lane = new Float32Array(1);
const laneBits = new Uint32Array(lane.buffer);

/**
 * The common case (two BF16 parents, BF16 out) in one pass: two bf16 per 32-bit word, decoded by
 * shifting into a one-element fp32 lane; the same arithmetic as the general path, 3–4× faster.
 */
function mergeTwoBf16(first: Term, second: Term, count: number, into: Uint8Array): void {
  const a = new Uint32Array(first.bytes.buffer, first.bytes.byteOffset, count / 2);
  const b = new Uint32Array(second.bytes.buffer, second.bytes.byteOffset, count / 2);
  const out = new Uint32Array(into.buffer, into.byteOffset, count / 2);
  const c0 = first.coefficient;
  const c1 = second.coefficient;
  for (let j = 0; j < out.length; j++) {
    const wa = a[j];
    const wb = b[j];
    laneBits[0] = wa << 16;
    const a0 = lane[0];
    laneBits[0] = wb << 16;
    const b0 = lane[0];
    laneBits[0] = wa & 0xffff0000;
    const a1 = lane[0];
    laneBits[0] = wb & 0xffff0000;
    const b1 = lane[0];
    lane[0] = c0 * a0 + c1 * b0;
    const r0 = bf16Round(laneBits[0]);
    lane[0] = c0 * a1 + c1 * b1;
    const r1 = bf16Round(laneBits[0]);
    out[j] = (r0 & 0xffff) | (r1 << 16);
  }
}

export function elementBytes(dtype: MergeableFloat): number {
  return ELEMENT_BYTES[dtype];
}
