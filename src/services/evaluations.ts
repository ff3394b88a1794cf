// Starting evaluations and reading them back (status, progress, samples).
import { and, asc, eq, gt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getCheckpoint } from "../db/checkpoints.ts";
import { samples, type EvaluationRow } from "../db/schema/index.ts";
import { newId } from "../domain/ids.ts";
import { DEFAULT_MAX_TOOL_CALLS, DEFAULT_MAX_TURNS, LANGUAGES, SETTINGS, type SampledCheckpoint, VERDICTS, SeedSchema } from "@frontier/contracts";
import { ProblemError, validationProblem } from "@frontier/http";
import type { CompletionStore, Database, Ports } from "../ports.ts";
import { loadCompletionTexts } from "./completion-store.ts";
import type { SamplingMessage } from "../queue/messages.ts";
import { benchmarkProblemRows, resolveBenchmark } from "./benchmarks.ts";
import { getEvaluation, insertEvaluationStatement, type NewEvaluation } from "./evaluation-store.ts";
import { sampleCounts } from "./samples.ts";

/** Sampling parameters, shared by POST /v1/evaluations and a merge's `evaluate`. */
export const EvaluationParamsSchema = z.object({
  benchmark: z.string().min(1).max(300).describe("benchmark name (latest version) or name@sha256:…"),
  n: z.number().int().min(1).max(1024),
  temperature: z.number().min(0).max(2).default(0.8),
  top_p: z.number().gt(0).max(1).default(0.95),
  max_tokens: z.number().int().min(1).max(32_768).default(2048),
  seed: SeedSchema,
  language: z.enum(LANGUAGES).default("python"),
  setting: z.enum(SETTINGS).default("reasoning").describe("reasoning (one completion), tool (run_code while reasoning), agentic (public-test feedback)"),
  max_turns: z.number().int().min(1).max(32).default(DEFAULT_MAX_TURNS).describe("agentic: answers per episode"),
  max_tool_calls: z.number().int().min(0).max(64).default(DEFAULT_MAX_TOOL_CALLS).describe("tool: run_code calls per episode"),
  problems: z.array(z.string().min(1).max(200)).min(1).max(20_000).optional(),
});
export type EvaluationParams = z.infer<typeof EvaluationParamsSchema>;

/** Upper bound on samples per evaluation (problems × n). */
export const MAX_SAMPLES_PER_EVALUATION = 200_000;

/** Checks the parameters against the benchmark; throws a 422 naming the field. */
export async function planEvaluation(db: Database, params: EvaluationParams, path = "") {
  const field = (name: string) => (path ? `${path}.${name}` : name);
  const benchmark = await resolveBenchmark(db, params.benchmark);
  if (!benchmark) throw new ProblemError(validationProblem([{ path: field("benchmark"), message: `no benchmark '${params.benchmark}' is registered` }]));
  const all = (await benchmarkProblemRows(db, benchmark.name, benchmark.version)).map((p) => p.problemId);
  let problems = all;
  if (params.problems) {
    const known = new Set(all);
    const unknown = params.problems.filter((id) => !known.has(id));
    if (unknown.length)
      throw new ProblemError(validationProblem([{ path: field("problems"), message: `not in ${benchmark.name}: ${unknown.slice(0, 5).join(", ")}` }]));
    const wanted = new Set(params.problems);
    if (wanted.size !== params.problems.length) throw new ProblemError(validationProblem([{ path: field("problems"), message: "problem ids must be unique" }]));
    problems = all.filter((id) => wanted.has(id));
  }
  if (problems.length * params.n > MAX_SAMPLES_PER_EVALUATION) {
    throw new ProblemError(
      validationProblem([{ path: field("n"), message: `problems × n = ${problems.length * params.n} is over the limit of ${MAX_SAMPLES_PER_EVALUATION}` }]),
    );
  }
  return { benchmark, problems };
}

export function newEvaluation(id: string, checkpointId: string, params: EvaluationParams, plan: Awaited<ReturnType<typeof planEvaluation>>): NewEvaluation {
  return {
    id,
    checkpointId,
    benchmark: plan.benchmark.name,
    benchmarkVersion: plan.benchmark.version,
    language: params.language,
    params: {
      n: params.n,
      temperature: params.temperature,
      top_p: params.top_p,
      max_tokens: params.max_tokens,
      seed: params.seed,
      ...(params.setting === "agentic" ? { max_turns: params.max_turns } : {}),
      ...(params.setting === "tool" ? { max_tool_calls: params.max_tool_calls } : {}),
    },
    setting: params.setting,
    problems: plan.problems,
  };
}

/** `teamId`: the caller's team; another team's checkpoint is answered like a missing one. */
export async function startEvaluation(ports: Ports, input: EvaluationParams & { checkpoint: string }, teamId?: string): Promise<EvaluationRow> {
  const found = await getCheckpoint(ports.db, input.checkpoint);
  const checkpoint = found && (teamId === undefined || found.teamId === teamId) ? found : undefined;
  if (!checkpoint) throw new ProblemError(validationProblem([{ path: "checkpoint", message: `no checkpoint ${input.checkpoint}` }]));
  if (checkpoint.status !== "ready") {
    throw new ProblemError(
      validationProblem([
        {
          path: "checkpoint",
          message: `checkpoint is ${checkpoint.status}, not ready (a merge output: pass evaluate to POST /v1/merges to start when it is ready)`,
        },
      ]),
    );
  }
  const plan = await planEvaluation(ports.db, input);
  const now = ports.clock.now();
  const id = newId("eval", now);
  await insertEvaluationStatement(ports.db, { ...newEvaluation(id, checkpoint.id, input, plan), teamId: checkpoint.teamId }, now);
  await ports.queues.send("sampling", { type: "evaluation.start", evaluation_id: id } satisfies SamplingMessage);
  return (await getEvaluation(ports.db, id))!;
}

export async function evaluationJson(db: Database, row: EvaluationRow) {
  const counts = await sampleCounts(db, row.id);
  const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, counts.verdicts[v] ?? 0]));
  return {
    id: row.id,
    checkpoint: row.checkpointId,
    benchmark: { name: row.benchmark, version: row.benchmarkVersion },
    status: row.status,
    language: row.language,
    setting: row.setting,
    params: row.params,
    problems: row.problems.length,
    progress: {
      requested: row.requested,
      received: counts.received,
      cached: counts.cached,
      judged: counts.judged,
      extraction_errors: counts.extraction,
      dead_lettered: counts.dead_lettered,
      pending: counts.pending,
      verdicts,
    },
    sampling: { job: row.sampleJobId, mode: row.samplingMode },
    ...(await sampledModels(db, row.id)),
    ...(row.setting === "reasoning" ? {} : { episodes: await episodeAverages(db, row.id) }),
    errors: row.errors,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    completed_at: row.completedAt,
  };
}

/** Tool and agentic settings: tool calls and turns per sample, on average over the samples received. */
async function episodeAverages(db: Database, evaluationId: string) {
  const [row] = await db
    .select({
      samples: sql<number>`count(${samples.trajectory})`,
      toolCalls: sql<number | null>`avg(json_extract(${samples.trajectory}, '$.tool_calls'))`,
      turns: sql<number | null>`avg(json_extract(${samples.trajectory}, '$.turns'))`,
    })
    .from(samples)
    .where(eq(samples.evaluationId, evaluationId));
  const round = (value: number | null) => (value === null ? null : Math.round(Number(value) * 1000) / 1000);
  return { samples: Number(row?.samples ?? 0), avg_tool_calls: round(row?.toolCalls ?? null), avg_turns: round(row?.turns ?? null) };
}

/** Which weights the samples came from, and how many samples were truncated at max_tokens. */
async function sampledModels(db: Database, evaluationId: string) {
  const rows = await db
    .select({ model: samples.model, finishReason: samples.finishReason, count: sql<number>`count(*)` })
    .from(samples)
    .where(eq(samples.evaluationId, evaluationId))
    .groupBy(samples.model, samples.finishReason);
  const models = new Map<string, SampledCheckpoint & { samples: number }>();
  let truncated = 0;
  for (const row of rows) {
    if (row.finishReason === "length") truncated += Number(row.count);
    if (!row.model) continue;
    const key = JSON.stringify(row.model);
    const entry = models.get(key) ?? { ...row.model, samples: 0 };
    entry.samples += Number(row.count);
    models.set(key, entry);
  }
  return { models: [...models.values()], truncated };
}

export type SampleCursor = { problem: string; index: number };

export function encodeSampleCursor(cursor: SampleCursor): string {
  return `${cursor.index}:${cursor.problem}`;
}

export function decodeSampleCursor(text: string): SampleCursor | null {
  const match = /^(\d{1,7}):(.+)$/s.exec(text);
  return match ? { index: Number(match[1]), problem: match[2] } : null;
}

/** Samples ordered by (problem, index), after the cursor. */
/** `store`: where completion text kept outside D1 is read from (the rows' `text` is filled in). */
export async function listSamples(
  db: Database,
  evaluationId: string,
  options: { problem?: string; verdict?: string; after?: SampleCursor; limit: number },
  store?: CompletionStore,
) {
  const conditions = [eq(samples.evaluationId, evaluationId)];
  if (options.problem !== undefined) conditions.push(eq(samples.problemId, options.problem));
  if (options.verdict !== undefined) conditions.push(eq(samples.verdict, options.verdict as (typeof VERDICTS)[number]));
  if (options.after) {
    conditions.push(
      or(gt(samples.problemId, options.after.problem), and(eq(samples.problemId, options.after.problem), gt(samples.index, options.after.index)))!,
    );
  }
  const rows = await db
    .select()
    .from(samples)
    .where(and(...conditions))
    .orderBy(asc(samples.problemId), asc(samples.index))
    .limit(options.limit + 1);
  return { rows: await loadCompletionTexts(store, rows.slice(0, options.limit)), more: rows.length > options.limit };
}

export function sampleJson(row: typeof samples.$inferSelect) {
  return {
    problem: row.problemId,
    index: row.index,
    verdict: row.verdict,
    source: row.source,
    tiers_passed: row.tiersPassed,
    time_ms: row.timeMs,
    memory_kb: row.memoryKb,
    failure: row.failure,
    language: row.language,
    code: row.code,
    completion: row.text,
    finish_reason: row.finishReason,
    truncated: row.finishReason === "length",
    tokens: row.tokens,
    model: row.model ?? null,
    trajectory: row.trajectory ?? null,
    received_at: row.receivedAt,
    judged_at: row.judgedAt,
  };
}

/** The evaluation, or the 404 every route under /v1/evaluations/{id} answers. */
export async function evaluationOr404(ports: Pick<Ports, "db">, id: string): Promise<EvaluationRow> {
  const row = await getEvaluation(ports.db, id);
  if (!row) throw new ProblemError({ status: 404, type: "not-found", title: "Evaluation not found", detail: `no evaluation ${id}` });
  return row;
}
