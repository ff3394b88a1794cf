/**
 * Bad input to a metrics function: the caller's data, not a bug. Carries every problem found
 * (one line each) so an API can answer 400 with all of them and a CLI can print them.
 */
export class MetricsInputError extends Error {
  readonly issues: string[];
  constructor(issues: string[] | string) {
    const list = Array.isArray(issues) ? issues : [issues];
    super(list.join("; "));
    this.name = "MetricsInputError";
    this.issues = list;
  }
}

/** At most `limit` items of a list, with "… and N more" so messages stay readable on big inputs. */
export function listSome(items: readonly string[], limit = 5): string {
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} … and ${items.length - limit} more` : shown;
}
