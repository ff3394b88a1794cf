// One error type for every way a checkpoint can be unreadable, with a stable code callers can branch on.
export type SafetensorsErrorCode =
  | "truncated"
  | "header_too_large"
  | "invalid_header"
  | "unknown_dtype"
  | "shape_mismatch"
  | "offset_overlap"
  | "offset_hole"
  | "invalid_index"
  | "not_found"
  | "source_error"
  | "unsupported";

export class SafetensorsError extends Error {
  constructor(
    readonly code: SafetensorsErrorCode,
    message: string,
    readonly source?: string,
  ) {
    super(source ? `${source}: ${message}` : message);
    this.name = "SafetensorsError";
  }
}
