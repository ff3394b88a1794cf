// JSON Lines text → validated rows, with line numbers in every complaint. Pure: the caller reads the file.
import type { z } from "zod";
import { MetricsInputError } from "./errors.ts";

/** Blank lines are skipped. Up to `maxIssues` bad lines are reported at once, each with its 1-based line number. */
export function parseJsonLines<S extends z.ZodType>(text: string, schema: S, maxIssues = 10): z.output<S>[] {
  const rows: z.output<S>[] = [];
  const issues: string[] = [];
  let bad = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const complain = (why: string) => {
      if (++bad <= maxIssues) issues.push(`line ${i + 1}: ${why}`);
    };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      complain(`not valid JSON (${(e as Error).message})`);
      return;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      complain(parsed.error.issues.map((x) => (x.path.length ? `${x.path.join(".")}: ${x.message}` : x.message)).join("; "));
      return;
    }
    rows.push(parsed.data);
  });
  if (bad > maxIssues) issues.push(`… and ${bad - maxIssues} more bad line(s)`);
  if (issues.length) throw new MetricsInputError(issues);
  if (rows.length === 0) throw new MetricsInputError("no rows (the input is empty)");
  return rows;
}
