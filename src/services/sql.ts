// D1 caps a statement at 100 bound parameters: multi-row writes and IN lists are split to fit.
export const MAX_BOUND_PARAMETERS = 100;

/** Rows of `columns` values each, in groups that keep one INSERT within the parameter cap. */
export function chunkRows<T>(rows: readonly T[], columns: number, reserved = 0): T[][] {
  const size = Math.max(1, Math.floor((MAX_BOUND_PARAMETERS - reserved) / columns));
  return chunk(rows, size);
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A non-empty tuple, as db.batch() wants it; undefined for no statements. */
export function nonEmpty<T>(items: T[]): [T, ...T[]] | undefined {
  return items.length > 0 ? (items as [T, ...T[]]) : undefined;
}
