// The operator's view: the work each queue still has (counted from D1: a Worker cannot read a
// Cloudflare queue's backlog), the oldest pending sample, dead letters, the executor's and the
// backend's health; and a replay of the executions dead letters.
import type { AdminStatus, ReplayDlq } from "@frontier/contracts";
import { sql } from "drizzle-orm";
import type { Ports, ServiceClient } from "../ports.ts";
import { retryErrors } from "./retry-errors.ts";

/** How long a health probe of the executor or the backend may take. */
export const HEALTH_TIMEOUT_MS = 5_000;
/** Evaluations one replay re-queues at most (a second call continues). */
export const REPLAY_EVALUATIONS = 50;

const UNFINISHED = sql`('queued', 'sampling', 'judging')`;

async function probe(client: ServiceClient, clock: Ports["clock"]): Promise<AdminStatus["executor"]> {
  const start = clock.now().getTime();
  try {
    const response = await client.fetch("/v1/health", { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    const latency = Math.max(0, clock.now().getTime() - start);
    const text = await response.text();
    let detail: unknown;
    try {
      detail = JSON.parse(text);
    } catch {
      detail = undefined;
    }
    return { status: response.ok ? "ok" : "degraded", latency_ms: latency, ...(detail !== undefined ? { detail } : {}) };
  } catch (error) {
    return { status: "unreachable", latency_ms: null, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function adminStatus(ports: Ports): Promise<AdminStatus> {
  const { db } = ports;
  const now = ports.clock.now();
  const [counts] = await db.all<{
    evaluations: number;
    merges: number;
    pending: number;
    dispatched: number;
    dead: number;
    replayable: number;
    failed: number;
  }>(sql`SELECT
      (SELECT count(*) FROM evaluations WHERE status IN ('queued', 'sampling')) AS evaluations,
      (SELECT count(*) FROM merge_outputs WHERE status = 'merging') AS merges,
      (SELECT count(*) FROM samples s JOIN evaluations e ON e.id = s.evaluation_id
         WHERE e.status IN ${UNFINISHED} AND s.verdict IS NULL AND s.code IS NOT NULL) AS pending,
      (SELECT count(*) FROM samples s JOIN evaluations e ON e.id = s.evaluation_id
         WHERE e.status IN ${UNFINISHED} AND s.verdict IS NULL AND s.code IS NOT NULL AND s.dispatched_at IS NOT NULL) AS dispatched,
      (SELECT count(*) FROM samples WHERE source = 'dead-letter' AND verdict = 'SE') AS dead,
      (SELECT count(DISTINCT s.evaluation_id) FROM samples s JOIN evaluations e ON e.id = s.evaluation_id
         WHERE e.status = 'complete_with_errors' AND s.source = 'dead-letter' AND s.verdict = 'SE') AS replayable,
      (SELECT count(*) FROM evaluations WHERE status = 'failed' AND errors LIKE '%dead-lettered%') AS failed`);
  const [oldest] = await db.all<{ evaluation: string; problem: string; idx: number; received_at: string }>(
    sql`SELECT s.evaluation_id AS evaluation, s.problem_id AS problem, s.idx AS idx, s.received_at AS received_at
        FROM samples s JOIN evaluations e ON e.id = s.evaluation_id
        WHERE e.status IN ${UNFINISHED} AND s.verdict IS NULL AND s.code IS NOT NULL
        ORDER BY s.received_at, s.evaluation_id, s.problem_id, s.idx LIMIT 1`,
  );
  const [executor, backend] = await Promise.all([probe(ports.executor, ports.clock), probe(ports.backend, ports.clock)]);
  const n = (value: number | null | undefined) => Number(value ?? 0);
  return {
    time: now.toISOString(),
    queues: {
      exposed: false,
      sampling: { evaluations: n(counts?.evaluations), merges: n(counts?.merges) },
      executions: {
        pending_samples: n(counts?.pending),
        dispatched: n(counts?.dispatched),
        oldest_pending_sample: oldest
          ? {
              evaluation: oldest.evaluation,
              problem: oldest.problem,
              index: Number(oldest.idx),
              received_at: oldest.received_at,
              age_seconds: Math.max(0, Math.round((now.getTime() - Date.parse(oldest.received_at)) / 1000)),
            }
          : null,
      },
      dead_letters: { samples: n(counts?.dead), replayable_evaluations: n(counts?.replayable), failed_evaluations: n(counts?.failed) },
    },
    executor,
    backend,
  };
}

/**
 * Re-queues the samples the executions dead-letter queue turned into SE: each complete_with_errors
 * evaluation holding some has its SE samples re-judged (as POST /v1/evaluations/:id/retry-errors
 * does), at most REPLAY_EVALUATIONS per call, oldest first. An evaluation another caller claimed
 * meanwhile is skipped.
 */
export async function replayDeadLetters(ports: Ports): Promise<ReplayDlq> {
  const ids = await ports.db.all<{ id: string }>(
    sql`SELECT e.id AS id FROM evaluations e
        WHERE e.status = 'complete_with_errors'
          AND EXISTS (SELECT 1 FROM samples s WHERE s.evaluation_id = e.id AND s.source = 'dead-letter' AND s.verdict = 'SE')
        ORDER BY e.created_at, e.id LIMIT ${REPLAY_EVALUATIONS}`,
  );
  const evaluations: ReplayDlq["evaluations"] = [];
  for (const { id } of ids) {
    try {
      const result = await retryErrors(ports, id);
      evaluations.push({ id, requeued: result.requeued, messages: result.messages, cached: result.cached });
    } catch (error) {
      if ((error as { status?: number }).status === 409) continue;
      throw error;
    }
  }
  return { evaluations, requeued: evaluations.reduce((sum, e) => sum + e.requeued, 0) };
}
