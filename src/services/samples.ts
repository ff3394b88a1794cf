// Samples: completions in, verdicts from the cache or the executor out. Every write is keyed by
// (evaluation, problem, index) and guarded by `verdict IS NULL`, so replays and duplicate
// deliveries change nothing twice.
import { and, eq, getTableColumns, inArray, isNull, sql } from "drizzle-orm";
import { samples, verdictCache, type EvaluationRow, type SampleFailure } from "../db/schema/index.ts";
import { extractCode } from "../domain/extract.ts";
import { DEFAULT_RETIME_FACTOR, EXECUTOR_VERSION, type JudgeResult, type Verdict } from "@frontier/contracts";
import { verdictKey } from "../domain/verdict-key.ts";
import type { Database, Ports } from "../ports.ts";
import { MAX_MESSAGE_BYTES, type JudgeMessage } from "../queue/messages.ts";
import { benchmarkProblemRows, getBenchmark, type BenchmarkProblemRow, type BenchmarkRow } from "./benchmarks.ts";
import type { BackendCompletion } from "./clients.ts";
import { chunk, chunkRows, nonEmpty } from "./sql.ts";

export type SampleRow = typeof samples.$inferSelect;
export type CachedVerdict = typeof verdictCache.$inferSelect;

/** The parts of a verdict that the cache and a sample share. */
export interface VerdictFields {
  verdict: Verdict;
  tiersPassed: number;
  timeMs: number;
  memoryKb: number;
  failure: SampleFailure;
}

export function verdictFromResult(result: JudgeResult): VerdictFields {
  return {
    verdict: result.verdict,
    tiersPassed: result.tiers_passed ?? 0,
    timeMs: Math.round(result.time_ms ?? 0),
    memoryKb: Math.round(result.memory_kb ?? 0),
    failure: result.failure ?? null,
  };
}

/** Benchmark + problems of an evaluation, loaded once per batch. */
export interface EvaluationContext {
  evaluation: EvaluationRow;
  benchmark: BenchmarkRow;
  problems: Map<string, BenchmarkProblemRow>;
}

export async function loadContext(db: Database, evaluation: EvaluationRow): Promise<EvaluationContext> {
  const benchmark = await getBenchmark(db, evaluation.benchmark, evaluation.benchmarkVersion);
  if (!benchmark) throw new Error(`benchmark ${evaluation.benchmark}@${evaluation.benchmarkVersion} of ${evaluation.id} is gone`);
  const rows = await benchmarkProblemRows(db, evaluation.benchmark, evaluation.benchmarkVersion);
  return { evaluation, benchmark, problems: new Map(rows.map((row) => [row.problemId, row])) };
}

/** Cache rows for these keys. */
export async function cachedVerdicts(db: Database, keys: Iterable<string>): Promise<Map<string, CachedVerdict>> {
  const unique = [...new Set(keys)];
  const found = new Map<string, CachedVerdict>();
  for (const part of chunk(unique, 90)) {
    const rows = await db.select().from(verdictCache).where(inArray(verdictCache.key, part));
    for (const row of rows) found.set(row.key, row);
  }
  return found;
}

/**
 * Turns completions into sample rows: code extracted (or CE with the reason), the verdict key
 * computed, and a cached verdict filled in where there is one. Completions for problems or
 * indices outside the evaluation are dropped (and counted in `ignored`).
 */
export async function buildSampleRows(db: Database, context: EvaluationContext, completions: readonly BackendCompletion[], now: Date) {
  const { evaluation, benchmark } = context;
  const wanted = new Set(evaluation.problems);
  const at = now.toISOString();
  const rows: SampleRow[] = [];
  let ignored = 0;
  const seen = new Set<string>();
  for (const completion of completions) {
    const problem = context.problems.get(completion.problem_id);
    const id = `${completion.problem_id}\u0000${completion.index}`;
    if (
      !problem ||
      !wanted.has(completion.problem_id) ||
      !Number.isInteger(completion.index) ||
      completion.index < 0 ||
      completion.index >= evaluation.params.n ||
      seen.has(id)
    ) {
      ignored++;
      continue;
    }
    seen.add(id);
    const extraction = extractCode(completion.text, {
      target: evaluation.language,
      kind: problem.kind,
      starterCode: problem.starterCode,
      functionName: problem.functionName,
    });
    const base: SampleRow = {
      evaluationId: evaluation.id,
      problemId: completion.problem_id,
      index: completion.index,
      text: completion.text,
      textRef: null,
      finishReason: completion.finish_reason ?? null,
      tokens: typeof completion.tokens === "number" ? Math.round(completion.tokens) : null,
      model: completion.sampled_from ?? null,
      trajectory: completion.trajectory ?? null,
      language: null,
      code: null,
      verdictKey: null,
      verdict: null,
      tiersPassed: null,
      timeMs: null,
      memoryKb: null,
      failure: null,
      source: null,
      dispatchedAt: null,
      receivedAt: at,
      judgedAt: null,
    };
    if (!extraction.ok) {
      rows.push({
        ...base,
        // No code to run: its own verdict, outside the correctness and efficiency rates.
        verdict: "NC",
        tiersPassed: 0,
        timeMs: 0,
        memoryKb: 0,
        failure: { tier: 0, test: 0, verdict: "NC", time_ms: 0, message: `extraction: ${extraction.reason}` },
        source: "extraction",
        judgedAt: at,
      });
      continue;
    }
    const key = await verdictKey({
      language: extraction.language,
      code: extraction.code,
      benchmarkVersion: benchmark.version,
      problemId: problem.problemId,
      // The executor's verdict version and retime factor as this edge knows them (the contract's);
      // an executor with other runtimes reports them in /v1/health (`executor_version`).
      executorVersion: EXECUTOR_VERSION,
      limits: { time_ms: problem.timeMs, memory_mb: problem.memoryMb, retime_factor: DEFAULT_RETIME_FACTOR },
    });
    rows.push({ ...base, language: extraction.language, code: extraction.code, verdictKey: key });
  }
  const hits = await cachedVerdicts(
    db,
    rows.flatMap((row) => (row.verdictKey && !row.verdict ? [row.verdictKey] : [])),
  );
  for (const row of rows) {
    const hit = row.verdictKey && !row.verdict ? hits.get(row.verdictKey) : undefined;
    if (hit) Object.assign(row, { ...cacheFields(hit), source: "cache", judgedAt: at });
  }
  return { rows, ignored };
}

function cacheFields(hit: CachedVerdict): VerdictFields {
  return { verdict: hit.verdict, tiersPassed: hit.tiersPassed, timeMs: hit.timeMs, memoryKb: hit.memoryKb, failure: hit.failure ?? null };
}

/** INSERT … ON CONFLICT DO NOTHING statements for sample rows, within the parameter cap. */
/** Bound parameters per inserted row: every column of samples. */
const SAMPLE_COLUMNS = Object.keys(getTableColumns(samples)).length;

export function insertSampleStatements(db: Database, rows: readonly SampleRow[]) {
  return chunkRows(rows, SAMPLE_COLUMNS).map((part) => db.insert(samples).values(part).onConflictDoNothing());
}

/** Sets the verdict of pending samples (never overwrites one already set). */
export function applyVerdictStatements(
  db: Database,
  target: { evaluationId: string; problemId: string; indices: readonly number[] },
  fields: VerdictFields,
  source: SampleRow["source"],
  at: string,
) {
  return chunk(target.indices, 80).map((indices) =>
    db
      .update(samples)
      .set({ ...fields, source, judgedAt: at })
      .where(
        and(
          eq(samples.evaluationId, target.evaluationId),
          eq(samples.problemId, target.problemId),
          inArray(samples.index, indices as number[]),
          isNull(samples.verdict),
        ),
      ),
  );
}

export function cacheInsertStatements(
  db: Database,
  entries: { key: string; benchmarkVersion: string; problemId: string; fields: VerdictFields }[],
  at: string,
) {
  const rows: CachedVerdict[] = entries
    .filter((entry) => entry.fields.verdict !== "SE")
    .map((entry) => ({ key: entry.key, benchmarkVersion: entry.benchmarkVersion, problemId: entry.problemId, ...entry.fields, createdAt: at }));
  return chunkRows(rows, 9).map((part) => db.insert(verdictCache).values(part).onConflictDoNothing());
}

const DISPATCH_PAGE = 2000;

/**
 * Sends every pending, not yet dispatched sample of an evaluation to the `executions` queue,
 * grouped by problem, identical programs once, each message under the size cap; cache hits found
 * since ingestion are applied instead of sent. Marks what it sent. Safe to call again at any time.
 */
export async function dispatchPending(ports: Ports, context: EvaluationContext): Promise<{ sent: number; messages: number; cached: number }> {
  const { db } = ports;
  const { evaluation, benchmark } = context;
  let sent = 0,
    messages = 0,
    cached = 0;
  for (;;) {
    const pending = await db
      .select({ problemId: samples.problemId, index: samples.index, language: samples.language, code: samples.code, verdictKey: samples.verdictKey })
      .from(samples)
      .where(and(eq(samples.evaluationId, evaluation.id), isNull(samples.verdict), isNull(samples.dispatchedAt)))
      .limit(DISPATCH_PAGE);
    if (pending.length === 0) break;
    const at = ports.clock.now().toISOString();

    const hits = await cachedVerdicts(db, pending.map((row) => row.verdictKey!).filter(Boolean));
    const byProblem = new Map<string, Map<string, { language: "python" | "cpp"; code: string; samples: number[] }>>();
    const hitStatements = [];
    const hitGroups = new Map<string, { problemId: string; key: string; indices: number[] }>();
    for (const row of pending) {
      const hit = row.verdictKey ? hits.get(row.verdictKey) : undefined;
      if (hit) {
        const id = `${row.problemId}\u0000${row.verdictKey}`;
        const group = hitGroups.get(id) ?? { problemId: row.problemId, key: row.verdictKey!, indices: [] };
        group.indices.push(row.index);
        hitGroups.set(id, group);
        continue;
      }
      if (!row.verdictKey || !row.code || !row.language) continue; // extraction rows always carry a verdict
      const keys = byProblem.get(row.problemId) ?? new Map();
      byProblem.set(row.problemId, keys);
      const submission = keys.get(row.verdictKey) ?? { language: row.language, code: row.code, samples: [] };
      submission.samples.push(row.index);
      keys.set(row.verdictKey, submission);
    }
    for (const group of hitGroups.values()) {
      hitStatements.push(
        ...applyVerdictStatements(
          db,
          { evaluationId: evaluation.id, problemId: group.problemId, indices: group.indices },
          cacheFields(hits.get(group.key)!),
          "cache",
          at,
        ),
      );
      cached += group.indices.length;
    }
    const batchHits = nonEmpty(hitStatements);
    if (batchHits) await db.batch(batchHits);

    const bodies: JudgeMessage[] = [];
    for (const [problemId, keys] of byProblem) {
      const base = {
        type: "judge" as const,
        evaluation_id: evaluation.id,
        benchmark: benchmark.name,
        pack: benchmark.pack,
        version: benchmark.version,
        problem_id: problemId,
      };
      let current: JudgeMessage["submissions"] = [];
      let size = JSON.stringify(base).length + 32;
      for (const [key, submission] of keys) {
        const entry = { key, ...submission };
        const entrySize = new TextEncoder().encode(JSON.stringify(entry)).length + 1;
        if (current.length > 0 && size + entrySize > MAX_MESSAGE_BYTES) {
          bodies.push({ ...base, submissions: current });
          current = [];
          size = JSON.stringify(base).length + 32;
        }
        if (size + entrySize > MAX_MESSAGE_BYTES) {
          // One program alone is over the cap: it cannot travel, so it is a CE with the reason.
          const statements = applyVerdictStatements(
            db,
            { evaluationId: evaluation.id, problemId, indices: submission.samples },
            {
              verdict: "CE",
              tiersPassed: 0,
              timeMs: 0,
              memoryKb: 0,
              failure: {
                tier: 0,
                test: 0,
                verdict: "CE",
                time_ms: 0,
                message: `program is ${entrySize} bytes, over the ${MAX_MESSAGE_BYTES}-byte message limit`,
              },
            },
            "extraction",
            at,
          );
          await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
          continue;
        }
        current.push(entry);
        size += entrySize;
      }
      if (current.length > 0) bodies.push({ ...base, submissions: current });
    }
    if (bodies.length > 0) await ports.queues.sendBatch("executions", bodies);
    messages += bodies.length;

    // Mark as dispatched only after the send succeeded: a crash in between re-sends (judged twice, counted once).
    const marks = [];
    for (const body of bodies) {
      const indices = body.submissions.flatMap((s) => s.samples);
      sent += indices.length;
      for (const part of chunk(indices, 90)) {
        marks.push(
          db
            .update(samples)
            .set({ dispatchedAt: at })
            .where(and(eq(samples.evaluationId, evaluation.id), eq(samples.problemId, body.problem_id), inArray(samples.index, part))),
        );
      }
    }
    const batchMarks = nonEmpty(marks);
    if (batchMarks) await db.batch(batchMarks);
    if (pending.length < DISPATCH_PAGE) break;
  }
  return { sent, messages, cached };
}

/** Counts by source and verdict: the evaluation's progress, always recomputed from the rows. */
export async function sampleCounts(db: Database, evaluationId: string) {
  const rows = await db
    .select({ source: samples.source, verdict: samples.verdict, count: sql<number>`count(*)` })
    .from(samples)
    .where(eq(samples.evaluationId, evaluationId))
    .groupBy(samples.source, samples.verdict);
  const verdicts: Record<string, number> = {};
  let received = 0,
    cached = 0,
    judged = 0,
    extraction = 0,
    deadLettered = 0,
    pending = 0;
  for (const row of rows) {
    const count = Number(row.count);
    received += count;
    if (row.verdict === null) pending += count;
    else verdicts[row.verdict] = (verdicts[row.verdict] ?? 0) + count;
    if (row.source === "cache") cached += count;
    else if (row.source === "executor") judged += count;
    else if (row.source === "extraction") extraction += count;
    else if (row.source === "dead-letter") deadLettered += count;
  }
  return { received, cached, judged, extraction, dead_lettered: deadLettered, pending, verdicts };
}
