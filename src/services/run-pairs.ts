// Paired runs: two training runs declared as merge endpoints. When both have sent `run.finished`
// (or on a manual build), the merge grid between their final checkpoints (the latest ready step
// each run registered itself) is built, once: the pair row is claimed before the merge is made, so
// a replayed `run.finished`, a second build or two racing builds make nothing more. Every output
// of the grid is evaluated on the pair's tracks (services/merges.ts).
import { ProblemError, validationProblem } from "@frontier/http";
import { and, desc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { checkpoints, evaluations, mergeOutputs, runPairs, runs, type RunPairRow } from "../db/schema/index.ts";
import type { Ports } from "../ports.ts";
import { createEnsemble } from "./analysis.ts";
import { createMerge } from "./merges.ts";
import { getTrack, teamTrack } from "./tracks.ts";

export interface RunPairInput {
  with: string;
  alphas: number[];
  tracks: string[];
  publish?: boolean;
}

export function pairJson(row: RunPairRow) {
  return {
    run: row.run,
    with: row.withRun,
    alphas: row.alphas,
    tracks: row.tracks,
    publish: row.publish,
    merge: row.mergeId ? row.mergeId : null,
    built_at: row.builtAt,
    ensembles: Object.fromEntries(Object.entries(row.ensembles).filter(([, id]) => id !== "")),
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

async function getPair(ports: Ports, team: string, run: string, withRun: string) {
  const [row] = await ports.db
    .select()
    .from(runPairs)
    .where(and(eq(runPairs.teamId, team), eq(runPairs.run, run), eq(runPairs.withRun, withRun)))
    .limit(1);
  return row;
}

/** The team's pairs `run` belongs to (run names are unique within a team). */
export async function listPairs(ports: Ports, team: string, run: string) {
  return ports.db
    .select()
    .from(runPairs)
    .where(and(eq(runPairs.teamId, team), or(eq(runPairs.run, run), eq(runPairs.withRun, run))))
    .orderBy(runPairs.createdAt);
}

/** Declares (or, until it is built, redeclares) a pair; builds it at once when both runs already finished. */
export async function declarePair(ports: Ports, run: string, input: RunPairInput, keyId: string, team: string) {
  const errors: { path: string; message: string }[] = [];
  if (input.with === run) errors.push({ path: "with", message: "a run cannot be paired with itself" });
  if (new Set(input.alphas).size !== input.alphas.length) errors.push({ path: "alphas", message: "alphas must be distinct" });
  for (const [i, id] of input.tracks.entries()) if (!(await teamTrack(ports.db, id, team))) errors.push({ path: `tracks.${i}`, message: `no track ${id}` });
  if (errors.length) throw new ProblemError(validationProblem(errors));
  const existing = await getPair(ports, team, run, input.with);
  if (existing?.mergeId) {
    throw new ProblemError({
      status: 409,
      type: "conflict",
      title: "Pair already built",
      detail: `the pair ${run} × ${input.with} was built as ${existing.mergeId || "(building)"}`,
    });
  }
  const at = ports.clock.now().toISOString();
  const tracks = [...new Set(input.tracks)];
  await ports.db
    .insert(runPairs)
    .values({
      run,
      withRun: input.with,
      alphas: input.alphas,
      tracks,
      publish: input.publish ?? false,
      teamId: team,
      keyId,
      mergeId: null,
      builtAt: null,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoUpdate({
      target: [runPairs.teamId, runPairs.run, runPairs.withRun],
      set: { alphas: input.alphas, tracks, publish: input.publish ?? false, keyId, updatedAt: at },
      where: isNull(runPairs.mergeId),
    });
  await buildFinishedPairs(ports, run, team);
  return { row: (await getPair(ports, team, run, input.with))!, created: !existing };
}

async function finished(ports: Ports, team: string, run: string): Promise<boolean> {
  const [row] = await ports.db
    .select({ status: runs.status })
    .from(runs)
    .where(and(eq(runs.teamId, team), eq(runs.name, run)))
    .limit(1);
  return row?.status === "finished";
}

/** A run's final checkpoint: the latest ready step it registered itself (not a merge output). */
export async function finalCheckpoint(ports: Ports, team: string, run: string) {
  const [row] = await ports.db
    .select()
    .from(checkpoints)
    .where(and(eq(checkpoints.teamId, team), eq(checkpoints.run, run), eq(checkpoints.status, "ready"), ne(checkpoints.source, "merge")))
    .orderBy(sql`${checkpoints.step} IS NULL`, desc(checkpoints.step), desc(checkpoints.createdAt))
    .limit(1);
  return row;
}

/** After `run.finished` of `run`: builds every unbuilt pair it belongs to whose other run finished too. */
export async function buildFinishedPairs(ports: Ports, run: string, team: string): Promise<string[]> {
  const pending = (await listPairs(ports, team, run)).filter((p) => p.mergeId === null);
  const built: string[] = [];
  for (const pair of pending) {
    if (!(await finished(ports, team, pair.run)) || !(await finished(ports, team, pair.withRun))) continue;
    const result = await buildPair(ports, team, pair.run, pair.withRun, false);
    if (result?.built) built.push(result.mergeId);
  }
  return built;
}

/**
 * Builds the pair's grid unless it was built: answers the merge and whether this call built it.
 * `strict` (a manual build): missing final checkpoints are 422 rather than a silent wait.
 */
export async function buildPair(
  ports: Ports,
  team: string,
  run: string,
  withRun: string,
  strict: boolean,
): Promise<{ mergeId: string; built: boolean } | undefined> {
  const pair = await getPair(ports, team, run, withRun);
  if (!pair) throw new ProblemError({ status: 404, type: "not-found", title: "Pair not found", detail: `${run} is not paired with ${withRun}` });
  if (pair.mergeId) return { mergeId: pair.mergeId, built: false };
  const [a, b] = [await finalCheckpoint(ports, team, run), await finalCheckpoint(ports, team, withRun)];
  if (!a || !b) {
    if (!strict) return undefined;
    const missing = [
      !a ? { path: "run", message: `run ${run} has no ready checkpoint` } : null,
      !b ? { path: "with", message: `run ${withRun} has no ready checkpoint` } : null,
    ];
    throw new ProblemError(validationProblem(missing.filter((e) => e !== null)));
  }
  const where = and(eq(runPairs.teamId, team), eq(runPairs.run, run), eq(runPairs.withRun, withRun), isNull(runPairs.mergeId));
  const claimed = await ports.db.update(runPairs).set({ mergeId: "", updatedAt: ports.clock.now().toISOString() }).where(where).returning();
  if (claimed.length === 0) {
    const now = await getPair(ports, team, run, withRun);
    return { mergeId: now?.mergeId ?? "", built: false };
  }
  const claim = and(eq(runPairs.teamId, team), eq(runPairs.run, run), eq(runPairs.withRun, withRun), eq(runPairs.mergeId, ""));
  try {
    const merge = await createMerge(ports, { a: a.id, b: b.id, alphas: pair.alphas, run: `pair:${run}:${withRun}`.slice(0, 128) }, team, {
      evaluateTracks: pair.tracks,
      publish: pair.publish,
    });
    const at = ports.clock.now().toISOString();
    await ports.db.update(runPairs).set({ mergeId: merge.merge.id, builtAt: at, updatedAt: at }).where(claim);
    return { mergeId: merge.merge.id, built: true };
  } catch (error) {
    await ports.db.update(runPairs).set({ mergeId: null }).where(claim);
    throw error;
  }
}

/**
 * The pair's ensembles: per track, once every grid point's evaluation on it is complete, one
 * ensemble over them at the track's n (equal split, crossfit best single). Claimed per track, so
 * each is computed once.
 */
export async function buildPairEnsembles(ports: Ports, mergeId: string): Promise<string[]> {
  const [pair] = await ports.db.select().from(runPairs).where(eq(runPairs.mergeId, mergeId)).limit(1);
  if (!pair) return [];
  const outputs = await ports.db.select({ checkpointId: mergeOutputs.checkpointId }).from(mergeOutputs).where(eq(mergeOutputs.mergeId, mergeId));
  const made: string[] = [];
  for (const [i, trackId] of pair.tracks.entries()) {
    if (pair.ensembles[trackId] !== undefined) continue;
    const track = await getTrack(ports.db, trackId);
    if (!track) continue;
    const ids = outputs.map((o) => `eval_${o.checkpointId.slice("ckpt_".length)}_t${i}`);
    const rows = await ports.db.select({ id: evaluations.id, status: evaluations.status }).from(evaluations).where(inArray(evaluations.id, ids));
    if (rows.length !== ids.length || rows.some((r) => r.status !== "complete")) continue;
    // Claim the track: only the call that sets "" computes it.
    const claimed = await ports.db
      .update(runPairs)
      .set({ ensembles: sql`json_set(${runPairs.ensembles}, ${`$."${trackId}"`}, '')` })
      .where(
        and(
          eq(runPairs.teamId, pair.teamId),
          eq(runPairs.run, pair.run),
          eq(runPairs.withRun, pair.withRun),
          sql`json_extract(${runPairs.ensembles}, ${`$."${trackId}"`}) IS NULL`,
        ),
      )
      .returning();
    if (claimed.length === 0) continue;
    // Crossfit needs two problems at least; a one-problem track is scored in sample (and labelled so).
    const problems = track.problems.length;
    let ensemble: Awaited<ReturnType<typeof createEnsemble>>;
    try {
      ensemble = await createEnsemble(
        ports,
        {
          members: ids,
          budget: track.n,
          allocation: "equal",
          selection: problems >= 2 ? "crossfit" : "in_sample",
          folds: Math.max(2, Math.min(5, problems)),
          seed: 0,
        },
        pair.teamId,
      );
    } catch (error) {
      console.error(`pairs: ensemble of ${pair.run} × ${pair.withRun} on ${trackId} failed: ${error instanceof Error ? error.message : String(error)}`);
      await ports.db
        .update(runPairs)
        .set({ ensembles: sql`json_remove(${runPairs.ensembles}, ${`$."${trackId}"`})` })
        .where(and(eq(runPairs.teamId, pair.teamId), eq(runPairs.run, pair.run), eq(runPairs.withRun, pair.withRun)));
      continue;
    }
    await ports.db
      .update(runPairs)
      .set({ ensembles: sql`json_set(${runPairs.ensembles}, ${`$."${trackId}"`}, ${ensemble.id})`, updatedAt: ports.clock.now().toISOString() })
      .where(and(eq(runPairs.teamId, pair.teamId), eq(runPairs.run, pair.run), eq(runPairs.withRun, pair.withRun)));
    made.push(ensemble.id);
  }
  return made;
}
