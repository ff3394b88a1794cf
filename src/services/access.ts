// Access: teams, private by default (issue 20). Every route follows one pattern:
//
//   - `identify(ports)` runs before every route (src/routes/index.ts): it turns an optional
//     `Authorization: Bearer <key>` into c.var.principal {keyId, teamId, scopes, operator}, marks
//     keyed responses `Cache-Control: private, no-store` + `Vary: Authorization`, and writes the
//     audit log (one row per accepted write; an Idempotent-Replayed answer is not a second write).
//   - writes: `requireScope(ports, "submit" | "admin" | "operator")` as route middleware, then
//     stamp new rows with `teamOf(c)`.
//   - reads of a team's row: `ownedOr404(c, row, "Merge", id)` — one call; another team's row and
//     a missing row answer the same 404 (ids and names do not leak).
//   - checkpoints: `visibleCheckpoint(c, db, row)` — the owner sees it whole; anyone else only a
//     checkpoint published on a public track, with its storage URL cut to scheme and host (`redactUrl`)
//     unless the team set `url_public`.
//   - tracks: `trackVisible(c, track)`; public tracks have `team_id` null.
// Operators manage the deployment (teams, tracks, benchmarks, dead letters) but read no team's
// private rows except their own team's.
import { ProblemError } from "@frontier/http";
import { and, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { checkpointJson, type CheckpointRow } from "../db/checkpoints.ts";
import { auditLog, checkpoints, DEFAULT_TEAM, evaluations, trackPublications, tracks } from "../db/schema/index.ts";
import { newId } from "../domain/ids.ts";
import { hasScope, resolvePrincipal } from "../http/auth.ts";
import type { AppEnv, Principal } from "../http/env.ts";
import type { Database, Ports } from "../ports.ts";
import { trackUsableBy } from "./tracks.ts";

export const PRIVATE_CACHE_CONTROL = "private, no-store";
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

type Ctx = Context<AppEnv>;

/** The caller's principal, if a key was sent. */
export function principalOf(c: Ctx): Principal | undefined {
  return c.get("principal");
}

/** The team new rows belong to: the caller's (every write route requires a key first). */
export function teamOf(c: Ctx): string {
  return c.get("principal")?.teamId ?? DEFAULT_TEAM;
}

export function identify(ports: Pick<Ports, "db" | "clock">) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await resolvePrincipal(ports, c);
    await next();
    c.res.headers.append("vary", "Authorization");
    const principal = c.get("principal");
    if (!principal) return;
    c.res.headers.set("cache-control", PRIVATE_CACHE_CONTROL);
    if (WRITES.has(c.req.method) && c.res.status < 400 && c.res.headers.get("idempotent-replayed") !== "true") {
      await recordWrite(ports, { teamId: principal.teamId, actor: principal.keyId, method: c.req.method, path: c.req.path, status: c.res.status });
    }
  });
}

/** One audit row: who, what (method, path, status), when. */
export async function recordWrite(ports: Pick<Ports, "db" | "clock">, entry: { teamId: string; actor: string; method: string; path: string; status: number }) {
  const now = ports.clock.now();
  await ports.db.insert(auditLog).values({ id: newId("aud", now), ...entry, at: now.toISOString() });
}

/** The 404 a missing row and another team's row both answer. */
export function notFound(what: string, id: string): ProblemError {
  return new ProblemError({ status: 404, type: "not-found", title: `${what} not found`, detail: `no ${what.toLowerCase()} ${id}` });
}

/** The row when it belongs to the caller's team; otherwise (missing, anonymous, another team) a 404. */
export function ownedOr404<T extends { teamId: string }>(c: Ctx, row: T | undefined | null, what: string, id: string): T {
  const principal = c.get("principal");
  if (!row || !hasScope(principal, "read") || row.teamId !== principal?.teamId) throw notFound(what, id);
  return row;
}

/** For reads keyed by a name within a team (a run): the caller's team, or the 404 an anonymous caller gets. */
export function readerTeamOr404(c: Ctx, what: string, id: string): string {
  const principal = c.get("principal");
  if (!principal || !hasScope(principal, "read")) throw notFound(what, id);
  return principal.teamId;
}

/** Whether the caller's team owns the row. */
export function owns(c: Ctx, row: { teamId: string }): boolean {
  return c.get("principal")?.teamId === row.teamId;
}

/** Scheme and host only: `s3://bucket/secret/step-5/` → `s3://bucket/`. */
export function redactUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*@)?([^/?#]*)/i.exec(url);
  if (!match) return "redacted:";
  return `${match[1]}${match[3]}/`;
}

/** Checkpoints with an evaluation published on a public track (a submission publishes its own). */
export function publicCheckpointCondition(): SQL {
  return inArray(
    checkpoints.id,
    sql`(select ${evaluations.checkpointId} from ${trackPublications} join ${evaluations} on ${evaluations.id} = ${trackPublications.evaluationId} join ${tracks} on ${tracks.id} = ${trackPublications.track} where ${tracks.teamId} is null)`,
  );
}

/** What the caller may list: its team's checkpoints and the public ones. */
export function visibleCheckpointsCondition(c: Ctx): SQL {
  const principal = c.get("principal");
  return principal ? or(eq(checkpoints.teamId, principal.teamId), publicCheckpointCondition())! : publicCheckpointCondition();
}

export async function isPublicCheckpoint(db: Database, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: checkpoints.id })
    .from(checkpoints)
    .where(and(eq(checkpoints.id, id), publicCheckpointCondition()))
    .limit(1);
  return row !== undefined;
}

/** The checkpoint as this caller may see it: whole for its team, redacted for a public one. */
export function checkpointFor(c: Ctx, row: CheckpointRow) {
  const json = checkpointJson(row);
  if (owns(c, row)) return json;
  if (row.urlPublic) return { ...json, metadata: null };
  // The pinned URL carries the whole path too (`hf://owner/repo@sha`): redacted with the URL.
  return { ...json, url: redactUrl(row.url), pinned_url: redactUrl(json.pinned_url), metadata: null };
}

/** GET one checkpoint: its team sees it whole; anyone sees a public track's checkpoint, redacted; else 404. */
export async function visibleCheckpoint(c: Ctx, db: Database, row: CheckpointRow | undefined, id: string) {
  if (row && (owns(c, row) || (await isPublicCheckpoint(db, row.id)))) return checkpointFor(c, row);
  throw notFound("Checkpoint", id);
}

/** Tracks: public ones (team_id null) to anyone, a private one to its team only. */
export function trackVisible(c: Ctx, track: { teamId: string | null }): boolean {
  return trackUsableBy(track, c.get("principal")?.teamId);
}

/** SQL: the tracks this caller may see. */
export function visibleTracksCondition(c: Ctx): SQL {
  const principal = c.get("principal");
  return principal ? or(isNull(tracks.teamId), eq(tracks.teamId, principal.teamId))! : isNull(tracks.teamId);
}

/** Team of a principal for a service call that has no context (e.g. the CLI): the default team. */
export const defaultTeam = DEFAULT_TEAM;
