// The dtypes of the safetensors format and their element sizes in bytes.
export const DTYPE_BYTES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
} as const;

export type DType = keyof typeof DTYPE_BYTES;

/** Float dtypes the merge engine combines arithmetically. */
export const MERGEABLE_FLOAT_DTYPES = ["F16", "BF16", "F32", "F64"] as const;
export type MergeableFloat = (typeof MERGEABLE_FLOAT_DTYPES)[number];

export function isDType(value: unknown): value is DType {
  return typeof value === "string" && Object.hasOwn(DTYPE_BYTES, value);
}

export function isMergeableFloat(dtype: DType): dtype is MergeableFloat {
  return (MERGEABLE_FLOAT_DTYPES as readonly string[]).includes(dtype);
}

/** 8-bit floats are floats, but combining them needs per-tensor scales this engine does not model. */
export function isFloat8(dtype: DType): boolean {
  return dtype === "F8_E5M2" || dtype === "F8_E4M3";
}
