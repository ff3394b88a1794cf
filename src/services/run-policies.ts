// Continuous evaluation: a training run's policy names tracks (and a step interval); every signed
// `checkpoint.saved` of the run at a multiple of that interval starts one evaluation per track,
// under the track's protocol. A checkpoint and track pair is claimed in run_policy_evaluations
// before its evaluation starts, so a replayed or retried event never starts a second.
import { and, asc, eq } from "drizzle-orm";
import { ProblemError, validationProblem } from "@frontier/http";
import type { CheckpointRow } from "../db/checkpoints.ts";
import { checkpoints, DEFAULT_TEAM, runPolicies, runPolicyEvaluations, type RunPolicyRow } from "../db/schema/index.ts";
import type { Database, Ports } from "../ports.ts";
import { startEvaluation } from "./evaluations.ts";
import { recordPublication } from "./publications.ts";
import { getTrack, teamTrack, trackEvaluationParams } from "./tracks.ts";

export interface RunPolicyInput {
  tracks: string[];
  every_steps?: number;
  publish?: boolean;
}

export async function runPolicyJson(db: Database, row: RunPolicyRow) {
  const started = await db
    .select()
    .from(runPolicyEvaluations)
    .innerJoin(checkpoints, eq(checkpoints.id, runPolicyEvaluations.checkpointId))
    .where(and(eq(runPolicyEvaluations.run, row.run), eq(checkpoints.teamId, row.teamId)))
    .orderBy(asc(runPolicyEvaluations.step), asc(runPolicyEvaluations.createdAt), asc(runPolicyEvaluations.track));
  return {
    run: row.run,
    tracks: row.tracks,
    every_steps: row.everySteps,
    publish: row.publish,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    evaluations: started
      .map((e) => e.run_policy_evaluations)
      .filter((e) => e.evaluationId !== "")
      .map((e) => ({ checkpoint: e.checkpointId, step: e.step, track: e.track, evaluation: e.evaluationId })),
  };
}

export async function getRunPolicy(db: Database, run: string, teamId: string = DEFAULT_TEAM): Promise<RunPolicyRow | null> {
  const [row] = await db
    .select()
    .from(runPolicies)
    .where(and(eq(runPolicies.teamId, teamId), eq(runPolicies.run, run)))
    .limit(1);
  return row ?? null;
}

export async function runPolicyOr404(db: Database, run: string, teamId: string = DEFAULT_TEAM): Promise<RunPolicyRow> {
  const row = await getRunPolicy(db, run, teamId);
  if (!row) throw new ProblemError({ status: 404, type: "not-found", title: "Run policy not found", detail: `run ${run} has no policy` });
  return row;
}

/** Sets (or replaces) a run's policy; every track must exist (422 otherwise). Answers whether it was new. */
export async function putRunPolicy(db: Database, run: string, input: RunPolicyInput, keyId: string, now: Date, teamId: string = DEFAULT_TEAM) {
  const unknown: { path: string; message: string }[] = [];
  const usable = async (id: string) => (await teamTrack(db, id, teamId)) !== null;
  for (const [i, id] of input.tracks.entries()) if (!(await usable(id))) unknown.push({ path: `tracks.${i}`, message: `no track ${id}` });
  if (unknown.length) throw new ProblemError(validationProblem(unknown));
  const tracks = [...new Set(input.tracks)];
  const existing = await getRunPolicy(db, run, teamId);
  const row: RunPolicyRow = {
    teamId,
    run,
    tracks,
    everySteps: input.every_steps ?? 1,
    publish: input.publish ?? false,
    keyId,
    createdAt: existing?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await db
    .insert(runPolicies)
    .values(row)
    .onConflictDoUpdate({
      target: [runPolicies.teamId, runPolicies.run],
      set: { tracks: row.tracks, everySteps: row.everySteps, publish: row.publish, keyId, updatedAt: row.updatedAt },
    });
  return { row, created: !existing };
}

/**
 * A run's checkpoint was saved: starts its evaluations on the policy's tracks (when the step is a
 * multiple of every_steps). Each checkpoint and track is claimed once; answers the evaluations started now.
 */
export async function evaluateUnderPolicy(ports: Ports, checkpoint: CheckpointRow): Promise<string[]> {
  if (checkpoint.run === null || checkpoint.step === null) return [];
  const policy = await getRunPolicy(ports.db, checkpoint.run, checkpoint.teamId);
  if (!policy || checkpoint.step % policy.everySteps !== 0) return [];
  const started: string[] = [];
  for (const trackId of policy.tracks) {
    const track = await getTrack(ports.db, trackId);
    if (!track) continue;
    const now = ports.clock.now();
    const claim = await ports.db
      .insert(runPolicyEvaluations)
      .values({ checkpointId: checkpoint.id, track: trackId, run: checkpoint.run, step: checkpoint.step, evaluationId: "", createdAt: now.toISOString() })
      .onConflictDoNothing()
      .returning({ track: runPolicyEvaluations.track });
    if (!claim.length) continue;
    const where = and(eq(runPolicyEvaluations.checkpointId, checkpoint.id), eq(runPolicyEvaluations.track, trackId));
    try {
      const evaluation = await startEvaluation(ports, { ...trackEvaluationParams(track), checkpoint: checkpoint.id });
      await ports.db.update(runPolicyEvaluations).set({ evaluationId: evaluation.id }).where(where);
      if (policy.publish) await recordPublication(ports.db, { track: trackId, evaluationId: evaluation.id, teamId: policy.teamId, via: "policy" }, now);
      started.push(evaluation.id);
    } catch (error) {
      await ports.db.delete(runPolicyEvaluations).where(where);
      throw error;
    }
  }
  return started;
}
