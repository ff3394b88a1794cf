// The team a request acts for. Teams (issue 20) are not wired yet: every principal is in the
// "default" team until the principal carries one; the integrator replaces this with the real lookup.
import type { Context } from "hono";
import type { AppEnv } from "./env.ts";

export const DEFAULT_TEAM = "default";

export function teamOf(c: Context<AppEnv>): string {
  const principal = c.get("principal") as { teamId?: string } | undefined;
  return principal?.teamId ?? DEFAULT_TEAM;
}

/** The team of a stored resource: its team_id column once it has one, else "default". */
export function teamOfRow(row: unknown): string {
  const team = (row as { teamId?: unknown } | null | undefined)?.teamId;
  return typeof team === "string" && team !== "" ? team : DEFAULT_TEAM;
}
