// Conversions between the float dtypes and fp32, bit-exact and round-to-nearest-even.
import type { DType } from "./dtype.ts";
import { SafetensorsError } from "./errors.ts";

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** fp32 → bf16 bits, round to nearest even; NaN stays NaN (quiet), ±Inf and ±0 keep their sign. */
export function float32ToBf16Bits(value: number): number {
  scratch[0] = value;
  const bits = scratchBits[0];
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) | 0x0040) & 0xffff;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

export function bf16BitsToFloat32(bits: number): number {
  scratchBits[0] = bits << 16;
  return scratch[0];
}

/** fp32 → IEEE binary16 bits, round to nearest even, with subnormals, overflow to ±Inf and NaN kept. */
export function float32ToF16Bits(value: number): number {
  scratch[0] = value;
  const bits = scratchBits[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x0200 | (mantissa >>> 13) : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal: rounds to zero
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mantissa & ((1 << shift) - 1);
    let result = mantissa >>> shift;
    if (rest > half || (rest === half && result & 1)) result += 1;
    return sign | result;
  }
  const rest = mantissa & 0x1fff;
  let result = (e << 10) | (mantissa >>> 13);
  if (rest > 0x1000 || (rest === 0x1000 && result & 1)) result += 1; // may carry into the exponent, which is right
  return sign | result;
}

export function f16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Decodes the little-endian bytes of a float tensor into fp32 (F64 is rounded to fp32). */
export function decodeToFloat32(bytes: Uint8Array, dtype: DType, source?: string): Float32Array {
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  switch (dtype) {
    case "F32":
      return new Float32Array(aligned.buffer.slice(aligned.byteOffset, aligned.byteOffset + aligned.byteLength));
    case "F64":
      return Float32Array.from(new Float64Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 8));
    case "BF16": {
      const halves = new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
      const out = new Float32Array(halves.length);
      const outBits = new Uint32Array(out.buffer);
      for (let i = 0; i < halves.length; i++) outBits[i] = halves[i] << 16;
      return out;
    }
    case "F16": {
      const halves = new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
      const out = new Float32Array(halves.length);
      for (let i = 0; i < halves.length; i++) out[i] = f16BitsToFloat32(halves[i]);
      return out;
    }
    default:
      throw new SafetensorsError("unsupported", `cannot decode ${dtype} as floats`, source);
  }
}

/** Encodes fp32 values as little-endian bytes of a float dtype (round to nearest even). */
export function encodeFromFloat32(values: Float32Array | readonly number[], dtype: DType): Uint8Array {
  switch (dtype) {
    case "F32":
      return new Uint8Array(Float32Array.from(values).buffer);
    case "F64":
      return new Uint8Array(Float64Array.from(values).buffer);
    case "BF16":
      return new Uint8Array(Uint16Array.from(values, float32ToBf16Bits).buffer);
    case "F16":
      return new Uint8Array(Uint16Array.from(values, float32ToF16Bits).buffer);
    default:
      throw new SafetensorsError("unsupported", `cannot encode floats as ${dtype}`);
  }
}
