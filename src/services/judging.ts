// The `executions` consumer: judge pending programs through the executor, write verdicts to the
// samples and the cache, complete evaluations. Identical programs across the whole batch are
// judged once; cache hits (another evaluation may have judged the same program since) cost nothing.
import type { Ports, QueueMessage } from "../ports.ts";
import { JudgeMessageSchema, type JudgeMessage } from "../queue/messages.ts";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { benchmarkProblems, evaluations, samples } from "../db/schema/index.ts";
import { judgeTimeoutMs } from "../domain/judge-timeout.ts";
import { EXECUTOR_RETRY_HORIZON_SECONDS, executorResendDelaySeconds, judgingRetryDelaySeconds } from "../queue/retry-policy.ts";
import { executorClient, RejectedByServiceError, TransientServiceError, errorText, type JudgeSubmission } from "./clients.ts";
import { completeIfDone, getEvaluation, recordEvaluationError } from "./evaluation-store.ts";
import { applyVerdictStatements, cacheInsertStatements, cachedVerdicts, verdictFromResult, type VerdictFields } from "./samples.ts";
import { nonEmpty } from "./sql.ts";

/** Programs sent to the executor in one request. */
export const EXECUTOR_BATCH = 32;

type Parsed = { message: QueueMessage; body: JudgeMessage };

export async function consumeExecutions(messages: readonly QueueMessage[], ports: Ports): Promise<void> {
  const groups = new Map<string, Parsed[]>();
  const valid: Parsed[] = [];
  for (const message of messages) {
    const parsed = JudgeMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(`executions: dropping a malformed message ${message.id}: ${parsed.error.message.slice(0, 300)}`);
      message.ack();
      continue;
    }
    valid.push({ message, body: parsed.data });
  }
  // Programs of cancelled evaluations are not judged.
  const ids = [...new Set(valid.map((p) => p.body.evaluation_id))];
  const cancelled = new Set(
    ids.length
      ? (
          await ports.db
            .select({ id: evaluations.id })
            .from(evaluations)
            .where(and(inArray(evaluations.id, ids), eq(evaluations.status, "cancelled")))
        ).map((r) => r.id)
      : [],
  );
  for (const { message, body } of valid) {
    if (cancelled.has(body.evaluation_id)) {
      message.ack();
      continue;
    }
    const id = `${body.pack}\u0000${body.version}\u0000${body.problem_id}`;
    groups.set(id, [...(groups.get(id) ?? []), { message, body }]);
  }
  const touched = new Set<string>();
  for (const group of groups.values()) {
    await judgeGroup(ports, group, touched);
  }
  for (const evaluationId of touched) await completeIfDone(ports, evaluationId);
}

/** The time limit and tier count of a message's problem (the benchmarks table's primary key). */
async function problemLimits(ports: Ports, body: JudgeMessage): Promise<{ timeMs: number; tiers: number } | null> {
  const [row] = await ports.db
    .select({ timeMs: benchmarkProblems.timeMs, tiers: benchmarkProblems.tiers })
    .from(benchmarkProblems)
    .where(and(eq(benchmarkProblems.benchmark, body.benchmark), eq(benchmarkProblems.version, body.version), eq(benchmarkProblems.problemId, body.problem_id)))
    .limit(1);
  return row ? { timeMs: row.timeMs, tiers: row.tiers.length } : null;
}

/** One problem of one pack: every message for it in this batch. */
async function judgeGroup(ports: Ports, group: Parsed[], touched: Set<string>): Promise<void> {
  const { db } = ports;
  const first = group[0].body;
  const at = () => ports.clock.now().toISOString();

  // key → the program and every (evaluation, sample indices) waiting on it
  const programs = new Map<string, { submission: JudgeSubmission; targets: { evaluationId: string; indices: number[] }[] }>();
  for (const { body } of group) {
    touched.add(body.evaluation_id);
    for (const s of body.submissions) {
      const entry = programs.get(s.key) ?? { submission: { id: s.key, language: s.language, code: s.code }, targets: [] };
      entry.targets.push({ evaluationId: body.evaluation_id, indices: s.samples });
      programs.set(s.key, entry);
    }
  }

  const resolved = new Map<string, VerdictFields & { fromCache: boolean }>();
  for (const [key, hit] of await cachedVerdicts(db, programs.keys())) {
    resolved.set(key, {
      verdict: hit.verdict,
      tiersPassed: hit.tiersPassed,
      timeMs: hit.timeMs,
      memoryKb: hit.memoryKb,
      failure: hit.failure ?? null,
      fromCache: true,
    });
  }

  const toJudge = [...programs.entries()].filter(([key]) => !resolved.has(key)).map(([, p]) => p.submission);
  let failure: string | undefined;
  let rejected: string | undefined;
  const executor = executorClient(ports.executor);
  const limits = toJudge.length ? await problemLimits(ports, first) : null;
  for (let i = 0; i < toJudge.length && !failure && !rejected; i += EXECUTOR_BATCH) {
    const part = toJudge.slice(i, i + EXECUTOR_BATCH);
    // Sized to the work: a request lost on the way is given up on and re-sent (the outage path below).
    const sized = limits ? judgeTimeoutMs(part.length, limits) : undefined;
    const cap = ports.config.EXECUTOR_JUDGE_TIMEOUT_MS;
    const timeoutMs = cap !== undefined ? Math.min(cap, sized ?? cap) : sized;
    try {
      const results = await executor.judge({ pack: first.pack, packVersion: first.version, problemId: first.problem_id, submissions: part, timeoutMs });
      results.forEach((result, j) => {
        const fields = verdictFromResult(result);
        if (fields.verdict === "SE") failure ??= `executor SE: ${fields.failure?.message ?? "sandbox error"}`;
        else resolved.set(part[j].id, { ...fields, fromCache: false });
      });
    } catch (error) {
      if (error instanceof RejectedByServiceError) rejected = error.message;
      else failure = error instanceof TransientServiceError ? error.message : errorText(error);
    }
    // Write what is known after each executor call, so a crash later loses nothing already judged.
    await writeVerdicts(ports, first, programs, resolved, at());
  }
  if (toJudge.length === 0) await writeVerdicts(ports, first, programs, resolved, at());

  if (rejected) {
    // The executor refused the request itself (unknown pack or problem, version mismatch): no retry
    // can help, so every program left is an SE with the executor's reason.
    const message = `executor refused the batch: ${rejected}`;
    for (const key of programs.keys()) {
      if (resolved.has(key)) continue;
      resolved.set(key, {
        verdict: "SE",
        tiersPassed: 0,
        timeMs: 0,
        memoryKb: 0,
        failure: { tier: 0, test: 0, verdict: "SE", time_ms: 0, message },
        fromCache: false,
      });
    }
    await writeVerdicts(ports, first, programs, resolved, at(), "executor");
    for (const id of new Set(group.map((g) => g.body.evaluation_id))) await recordEvaluationError(ports, id, "judging", message);
    for (const { message: m } of group) m.ack();
    return;
  }

  if (!failure) {
    for (const { message, body } of group) {
      if (body.submissions.every((s) => resolved.has(s.key))) message.ack();
      else message.retry({ delaySeconds: judgingRetryDelaySeconds(message.attempts) });
    }
    return;
  }

  // The executor is down (or answered SE): re-send what is left with the time of the first failure,
  // until the outage has lasted the horizon; then what is left becomes SE with the reason.
  console.error(`executions: ${first.problem_id}: ${failure}; re-sending`);
  const now = ports.clock.now();
  const horizon = ports.config.EXECUTOR_RETRY_HORIZON_SECONDS ?? EXECUTOR_RETRY_HORIZON_SECONDS;
  const failed = new Set<string>();
  const expired: { body: JudgeMessage; left: JudgeMessage["submissions"]; seconds: number }[] = [];
  for (const { body } of group) {
    const left = body.submissions.filter((s) => !resolved.has(s.key));
    if (left.length === 0) continue;
    failed.add(body.evaluation_id);
    const firstFailureAt = body.first_failure_at ?? now.toISOString();
    const seconds = Math.max(0, (now.getTime() - Date.parse(firstFailureAt)) / 1000) || 0;
    if (seconds >= horizon) {
      expired.push({ body, left, seconds });
      continue;
    }
    const failures = body.failures ?? 0;
    const resent: JudgeMessage = { ...body, submissions: left, first_failure_at: firstFailureAt, failures: failures + 1 };
    await ports.queues.send("executions", resent, { delaySeconds: executorResendDelaySeconds(failures) });
    // Still in flight: keep the sampling sweep from taking these programs for lost ones.
    const statements = left.map((s) =>
      db
        .update(samples)
        .set({ dispatchedAt: now.toISOString() })
        .where(
          and(eq(samples.evaluationId, body.evaluation_id), eq(samples.problemId, body.problem_id), inArray(samples.index, s.samples), isNull(samples.verdict)),
        ),
    );
    const batch = nonEmpty(statements);
    if (batch) await db.batch(batch);
  }
  for (const id of failed) await recordEvaluationError(ports, id, "judging", failure);
  for (const { body, left, seconds } of expired) {
    const message = `executor unavailable for ${Math.round(seconds)} s (retry horizon ${horizon} s; last error: ${failure})`;
    const statements = left.flatMap((s) =>
      applyVerdictStatements(
        db,
        { evaluationId: body.evaluation_id, problemId: body.problem_id, indices: s.samples },
        { verdict: "SE", tiersPassed: 0, timeMs: 0, memoryKb: 0, failure: { tier: 0, test: 0, verdict: "SE", time_ms: 0, message } },
        "executor",
        at(),
      ),
    );
    const batch = nonEmpty(statements);
    if (batch) await db.batch(batch);
    await recordEvaluationError(
      ports,
      body.evaluation_id,
      "judging",
      `${body.problem_id}: ${left.reduce((a, s) => a + s.samples.length, 0)} sample(s) marked SE: ${message}`,
    );
  }
  for (const { message } of group) message.ack();
}

async function writeVerdicts(
  ports: Ports,
  first: JudgeMessage,
  programs: Map<string, { targets: { evaluationId: string; indices: number[] }[] }>,
  resolved: Map<string, VerdictFields & { fromCache: boolean }>,
  at: string,
  sourceOverride?: "executor",
) {
  const { db } = ports;
  const statements = [];
  const fresh = [...resolved.entries()]
    .filter(([, r]) => !r.fromCache)
    .map(([key, r]) => ({ key, benchmarkVersion: first.version, problemId: first.problem_id, fields: r }));
  statements.push(
    ...cacheInsertStatements(
      db,
      fresh.map((f) => ({ ...f, fields: stripFlag(f.fields) })),
      at,
    ),
  );
  for (const [key, result] of resolved) {
    const program = programs.get(key);
    if (!program) continue;
    for (const target of program.targets) {
      statements.push(
        ...applyVerdictStatements(
          db,
          { evaluationId: target.evaluationId, problemId: first.problem_id, indices: target.indices },
          stripFlag(result),
          sourceOverride ?? (result.fromCache ? "cache" : "executor"),
          at,
        ),
      );
    }
  }
  const batch = nonEmpty(statements);
  if (batch) await db.batch(batch);
}

function stripFlag(fields: VerdictFields & { fromCache?: boolean }): VerdictFields {
  const { fromCache: _, ...rest } = fields;
  return rest;
}

/**
 * `executions` dead letters: programs that could not be judged after every retry. What is still
 * pending becomes SE with the reason, the evaluation shows the error, and it can complete.
 */
export async function consumeExecutionDeadLetters(messages: readonly QueueMessage[], ports: Ports): Promise<void> {
  const touched = new Set<string>();
  for (const message of messages) {
    const parsed = JudgeMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      message.ack();
      continue;
    }
    const body = parsed.data;
    const evaluation = await getEvaluation(ports.db, body.evaluation_id);
    const lastError = evaluation?.errors.filter((e) => e.stage === "judging").at(-1)?.message ?? "no error recorded";
    const reason = `not judged after every retry (last error: ${lastError})`;
    const at = ports.clock.now().toISOString();
    const statements = body.submissions.flatMap((s) =>
      applyVerdictStatements(
        ports.db,
        { evaluationId: body.evaluation_id, problemId: body.problem_id, indices: s.samples },
        { verdict: "SE", tiersPassed: 0, timeMs: 0, memoryKb: 0, failure: { tier: 0, test: 0, verdict: "SE", time_ms: 0, message: reason } },
        "dead-letter",
        at,
      ),
    );
    const batch = nonEmpty(statements);
    if (batch) await ports.db.batch(batch);
    if (evaluation)
      await recordEvaluationError(
        ports,
        body.evaluation_id,
        "dead-letter",
        `${body.problem_id}: ${body.submissions.reduce((a, s) => a + s.samples.length, 0)} sample(s) marked SE: ${reason}`,
      );
    touched.add(body.evaluation_id);
    message.ack();
  }
  for (const id of touched) await completeIfDone(ports, id);
}
