// Completions → sample rows (one atomic batch, with the callback receipt when there is one) →
// pending programs dispatched to the executions queue → completion check.
import { backendEvents, type EvaluationRow } from "../db/schema/index.ts";
import type { Ports } from "../ports.ts";
import type { BackendCompletion } from "./clients.ts";
import { newId } from "../domain/ids.ts";
import { completionKey, storeCompletionTexts } from "./completion-store.ts";
import { completeIfDone } from "./evaluation-store.ts";
import { buildSampleRows, dispatchPending, insertSampleStatements, loadContext } from "./samples.ts";
import { nonEmpty } from "./sql.ts";

export interface BackendReceipt {
  id: string;
  type: string;
  jobId: string | null;
}

export async function ingestCompletions(ports: Ports, evaluation: EvaluationRow, completions: readonly BackendCompletion[], receipt?: BackendReceipt) {
  // A cancelled evaluation takes no more samples (the backend job it started may still send some).
  if (evaluation.status === "cancelled") return { accepted: 0, ignored: completions.length, dispatched: 0, status: evaluation.status };
  const context = await loadContext(ports.db, evaluation);
  const now = ports.clock.now();
  const { rows, ignored } = await buildSampleRows(ports.db, context, completions, now);
  // Text goes to the completion store when one is bound (R2): D1 keeps what queries need.
  if (ports.completions) await storeCompletionTexts(ports.completions, completionKey(evaluation.id, newId("cmp", now)), rows);
  const statements = [
    ...(receipt ? [ports.db.insert(backendEvents).values({ id: receipt.id, type: receipt.type, jobId: receipt.jobId, receivedAt: now.toISOString() })] : []),
    ...insertSampleStatements(ports.db, rows),
  ];
  const batch = nonEmpty(statements);
  if (batch) await ports.db.batch(batch);
  const dispatched = await dispatchPending(ports, context);
  const status = await completeIfDone(ports, evaluation.id);
  return { accepted: rows.length, ignored, dispatched: dispatched.sent, status };
}

/** After a replayed callback: make sure nothing of that evaluation waits undispatched. */
export async function redispatch(ports: Ports, evaluation: EvaluationRow) {
  const context = await loadContext(ports.db, evaluation);
  await dispatchPending(ports, context);
  await completeIfDone(ports, evaluation.id);
}
