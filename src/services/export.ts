// An evaluation as JSONL: one header line (the full protocol and the versions a result depends on),
// then one line per sample with its verdict, in problem and index order. Streamed page by page, so
// an evaluation of any size is exported in bounded memory.
import { EXECUTOR_VERSION } from "@frontier/contracts";
import { getCheckpoint } from "../db/checkpoints.ts";
import type { EvaluationRow } from "../db/schema/index.ts";
import type { CompletionStore, Database } from "../ports.ts";
import { listSamples, sampleJson, type SampleCursor } from "./evaluations.ts";

/** The export's own format version: bumped when a line's shape changes. */
export const EXPORT_FORMAT = "frontier.evaluation-export/1";
const PAGE = 500;

export async function exportHeader(db: Database, evaluation: EvaluationRow) {
  const checkpoint = await getCheckpoint(db, evaluation.checkpointId);
  return {
    type: "header",
    format: EXPORT_FORMAT,
    evaluation: evaluation.id,
    status: evaluation.status,
    checkpoint: checkpoint
      ? { id: checkpoint.id, url: checkpoint.url, run: checkpoint.run, step: checkpoint.step, label: checkpoint.label, parents: checkpoint.parents }
      : { id: evaluation.checkpointId },
    protocol: {
      benchmark: evaluation.benchmark,
      benchmark_version: evaluation.benchmarkVersion,
      language: evaluation.language,
      setting: evaluation.setting,
      ...evaluation.params,
      problems: evaluation.problems,
      requested: evaluation.requested,
    },
    versions: { benchmark: evaluation.benchmarkVersion, executor: EXECUTOR_VERSION, export: EXPORT_FORMAT },
    created_at: evaluation.createdAt,
    completed_at: evaluation.completedAt,
  };
}

export function exportStream(db: Database, evaluation: EvaluationRow, store?: CompletionStore): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: SampleCursor | undefined;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`${JSON.stringify(await exportHeader(db, evaluation))}\n`));
        return;
      }
      if (done) {
        controller.close();
        return;
      }
      const { rows, more } = await listSamples(db, evaluation.id, { after, limit: PAGE }, store);
      if (rows.length > 0) {
        const text = rows.map((row) => `${JSON.stringify({ type: "sample", ...sampleJson(row) })}\n`).join("");
        controller.enqueue(encoder.encode(text));
        const last = rows[rows.length - 1];
        after = { problem: last.problemId, index: last.index };
      }
      if (!more) done = true;
    },
  });
}
