// Retention of merge outputs (issue 15): a merged checkpoint's stored output (an OUTPUT_STORE
// prefix or a MERGE_OUTPUT_DIR folder, many GB each) is deleted when nothing references it.
//
// A merge output is REFERENCED, and kept, while any of these holds:
//   - its derived checkpoint has an evaluation that did not fail (queued, sampling, judging,
//     complete, complete_with_errors): its samples, metrics, ensembles, comparisons and leaderboard
//     rows all hang off such an evaluation, and a running one still reads the weights;
//   - it is a parent of another merged checkpoint that is not failed (lineage a re-merge reads);
//   - it was created less than the grace period ago (default 24 h), so a grid whose evaluations
//     have not been requested yet is not swept from under its user.
// Everything else — a ready output with no evaluation, or only failed ones — is garbage.
import { and, eq, isNull, sql } from "drizzle-orm";
import { checkpoints, mergeOutputs } from "../db/schema/index.ts";
import type { Ports } from "../ports.ts";
import { backendClient, errorText } from "./clients.ts";

export const DEFAULT_GC_GRACE_SECONDS = 24 * 3600;

export interface Garbage {
  checkpoint: string;
  merge: string;
  position: number;
  url: string;
  backend_job: string;
}

export async function unreferencedOutputs(ports: Ports, graceSeconds = DEFAULT_GC_GRACE_SECONDS): Promise<Garbage[]> {
  const before = new Date(ports.clock.now().getTime() - graceSeconds * 1000).toISOString();
  return ports.db.all<Garbage>(sql`
    SELECT c.id AS checkpoint, mo.merge_id AS merge, mo.position AS position, mo.output_url AS url, mo.backend_job_id AS backend_job
    FROM merge_outputs mo JOIN checkpoints c ON c.id = mo.checkpoint_id
    WHERE mo.status = 'ready' AND mo.deleted_at IS NULL AND mo.output_url IS NOT NULL AND mo.backend_job_id IS NOT NULL
      AND c.created_at < ${before}
      AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.checkpoint_id = c.id AND e.status != 'failed')
      AND NOT EXISTS (
        SELECT 1 FROM checkpoints child, json_each(child.parents) p
        WHERE child.parents IS NOT NULL AND json_extract(p.value, '$.checkpoint') = c.id AND child.status != 'failed')
    ORDER BY c.id`);
}

export interface GcResult {
  dry_run: boolean;
  grace_seconds: number;
  outputs: Garbage[];
  deleted: number;
  errors: { checkpoint: string; error: string }[];
}

/** Lists the garbage; with `apply`, asks the backend to delete each output and records it. */
export async function collectGarbage(ports: Ports, options: { apply: boolean; graceSeconds?: number }): Promise<GcResult> {
  const graceSeconds = options.graceSeconds ?? DEFAULT_GC_GRACE_SECONDS;
  const outputs = await unreferencedOutputs(ports, graceSeconds);
  const result: GcResult = { dry_run: !options.apply, grace_seconds: graceSeconds, outputs, deleted: 0, errors: [] };
  if (!options.apply) return result;
  const backend = backendClient(ports.backend);
  for (const output of outputs) {
    try {
      await backend.deleteMergeOutput(output.backend_job);
      const at = ports.clock.now().toISOString();
      await ports.db
        .update(mergeOutputs)
        .set({ deletedAt: at, updatedAt: at })
        .where(and(eq(mergeOutputs.mergeId, output.merge), eq(mergeOutputs.position, output.position), isNull(mergeOutputs.deletedAt)));
      await ports.db.update(checkpoints).set({ updatedAt: at }).where(eq(checkpoints.id, output.checkpoint));
      result.deleted++;
    } catch (error) {
      result.errors.push({ checkpoint: output.checkpoint, error: errorText(error) });
    }
  }
  return result;
}

/** The periodic sweep (the Workers cron): applies retention when OUTPUT_RETENTION_SECONDS is set; null when it is not. */
export async function sweepOutputs(ports: Ports): Promise<GcResult | null> {
  const grace = ports.config.OUTPUT_RETENTION_SECONDS;
  if (grace === undefined) return null;
  const result = await collectGarbage(ports, { apply: true, graceSeconds: grace });
  if (result.outputs.length) console.log(`retention sweep: deleted ${result.deleted} of ${result.outputs.length} unreferenced merge outputs`);
  for (const failure of result.errors) console.error(`retention sweep: ${failure.checkpoint}: ${failure.error}`);
  return result;
}
