// Plain aligned text tables for people (scripts use --json). Hand-written: a header, a rule and
// padded columns are a dozen lines, and box-drawing libraries add borders that get in the way of
// copying figures into a paper or a spreadsheet.

export interface Column {
  header: string;
  /** Numbers read best right-aligned. */
  align?: "left" | "right";
}

const width = (text: string) => [...text].length;

export function renderTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const pad = " ".repeat(widths[i] - width(cell));
        return columns[i].align === "right" ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((_, i) => r[i] ?? "")))].join("\n");
}

/** A rate in [0, 1] as a percentage with one decimal; "—" when unknown. */
export function percent(value: number | null | undefined): string {
  return typeof value === "number" && Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : "—";
}

/** A signed difference of rates, in percentage points. */
export function points(value: number | null | undefined): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  const text = (value * 100).toFixed(1);
  return `${value >= 0 ? "+" : ""}${text} pp`;
}

export function alphaText(alpha: number | null | undefined): string {
  if (typeof alpha !== "number") return "—";
  return Number(alpha.toFixed(6)).toString();
}

export function orDash(value: unknown): string {
  return value === null || value === undefined || value === "" ? "—" : String(value);
}

/** pass@k from a `{"pass@k": value}` map (the API's keys); also accepts bare `{"k": value}`. */
export function passAt(map: Record<string, number | null> | undefined, k: number): number | null | undefined {
  return map?.[`pass@${k}`] ?? map?.[String(k)];
}
