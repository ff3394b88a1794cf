// Pipeline tables: benchmarks registered from packs, merges, evaluations and their samples, the
// verdict cache, stored metrics (read by the leaderboard), ensembles and backend callback receipts.
// Progress counters are never stored: they are counted from `samples`, so a replayed callback or a
// message delivered twice can never double-count.
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { DEFAULT_TEAM } from "./core.ts";
import { SETTINGS, type SampledCheckpoint, type Trajectory, type Verdict } from "@frontier/contracts";

/** A benchmark version: one pack (name) at one content hash. Tests stay with the executor. */
export const benchmarks = sqliteTable(
  "benchmarks",
  {
    name: text("name").notNull(),
    /** The pack's content hash, "sha256:<hex>". */
    version: text("version").notNull(),
    /** The name the executor knows the pack by (its PACKS_DIR folder); defaults to the manifest name. */
    pack: text("pack").notNull(),
    description: text("description"),
    problemCount: integer("problem_count").notNull(),
    /** Tier names in order (the longest list among the problems). */
    tiers: text("tiers", { mode: "json" }).$type<string[]>().notNull(),
    registeredAt: text("registered_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.version] }), index("benchmarks_name_registered").on(t.name, t.registeredAt)],
);

/** What sampling needs of a problem: its prompt material and limits, never its tests. */
export const benchmarkProblems = sqliteTable(
  "benchmark_problems",
  {
    benchmark: text("benchmark").notNull(),
    version: text("version").notNull(),
    problemId: text("problem_id").notNull(),
    position: integer("position").notNull(),
    kind: text("kind", { enum: ["stdin", "functional", "assert"] }).notNull(),
    title: text("title").notNull(),
    statement: text("statement").notNull(),
    starterCode: text("starter_code"),
    functionName: text("function_name"),
    timeMs: integer("time_ms").notNull(),
    memoryMb: integer("memory_mb").notNull(),
    tiers: text("tiers", { mode: "json" }).$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.benchmark, t.version, t.problemId] })],
);

export const MERGE_STATUSES = ["merging", "ready", "failed", "cancelled"] as const;
export type MergeStatus = (typeof MERGE_STATUSES)[number];

/** One merge request: a grid over α between two checkpoints, or one explicit affine combination. */
export const merges = sqliteTable("merges", {
  id: text("id").primaryKey(),
  teamId: text("team_id").notNull().default(DEFAULT_TEAM),
  /** The request as given (a/b/alphas or parents), for the record. */
  request: text("request", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  run: text("run").notNull(),
  /** Evaluation parameters to start on every output once it is ready (null: none). */
  evaluate: text("evaluate", { mode: "json" }).$type<Record<string, unknown>>(),
  createdAt: text("created_at").notNull(),
});

/** One derived checkpoint of a merge. The checkpoint row (core) holds lineage and its own status. */
export const mergeOutputs = sqliteTable(
  "merge_outputs",
  {
    mergeId: text("merge_id").notNull(),
    position: integer("position").notNull(),
    checkpointId: text("checkpoint_id").notNull().unique(),
    /** θ(α) = (1−α)·θ_a + α·θ_b for grids; null for an explicit parents list. */
    alpha: real("alpha"),
    status: text("status", { enum: MERGE_STATUSES }).notNull(),
    backendJobId: text("backend_job_id"),
    outputUrl: text("output_url"),
    error: text("error"),
    evaluationId: text("evaluation_id"),
    updatedAt: text("updated_at").notNull(),
    /** When retention (POST /v1/gc, `frontier gc`) deleted the stored output; the URL stays for the record. */
    deletedAt: text("deleted_at"),
  },
  (t) => [primaryKey({ columns: [t.mergeId, t.position] }), index("merge_outputs_job").on(t.backendJobId)],
);

/** `complete_with_errors`: every sample has a verdict but some are SE (it never ranks; POST …/retry-errors re-judges them). */
export const EVALUATION_STATUSES = ["queued", "sampling", "judging", "complete", "complete_with_errors", "failed", "cancelled"] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];

export type SamplingParams = {
  n: number;
  temperature: number;
  top_p: number;
  max_tokens: number;
  seed: number;
  /** tool and agentic settings only. */
  max_turns?: number;
  max_tool_calls?: number;
};

export const evaluations = sqliteTable(
  "evaluations",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id").notNull().default(DEFAULT_TEAM),
    checkpointId: text("checkpoint_id").notNull(),
    benchmark: text("benchmark").notNull(),
    benchmarkVersion: text("benchmark_version").notNull(),
    language: text("language", { enum: ["python", "cpp"] }).notNull(),
    params: text("params", { mode: "json" }).$type<SamplingParams>().notNull(),
    /** The inference setting: reasoning | tool | agentic (metrics, frontiers and the leaderboard are per setting). */
    setting: text("setting", { enum: SETTINGS }).notNull().default("reasoning"),
    /** Problem ids sampled, in benchmark order. */
    problems: text("problems", { mode: "json" }).$type<string[]>().notNull(),
    /** problems × n. */
    requested: integer("requested").notNull(),
    status: text("status", { enum: EVALUATION_STATUSES }).notNull(),
    /** The backend's sampling job, once started. */
    sampleJobId: text("sample_job_id"),
    /** "callback" when the backend can reach the edge, else "poll". */
    samplingMode: text("sampling_mode", { enum: ["callback", "poll"] }),
    /** Where polling continues (the backend's next_cursor). */
    sampleCursor: integer("sample_cursor").notNull().default(0),
    /** Errors worth showing (backend failures, dead-lettered judging), newest last. */
    errors: text("errors", { mode: "json" }).$type<{ at: string; stage: string; message: string }[]>().notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    completedAt: text("completed_at"),
  },
  (t) => [index("evaluations_checkpoint").on(t.checkpointId, t.id), index("evaluations_job").on(t.sampleJobId)],
);
/** An evaluation as stored; a leaf type the services share (the store, metrics and samples). */
export type EvaluationRow = typeof evaluations.$inferSelect;

export const SAMPLE_SOURCES = ["cache", "executor", "extraction", "dead-letter"] as const;
export type SampleSource = (typeof SAMPLE_SOURCES)[number];

export type SampleFailure = { tier: number; test: number; verdict: Verdict; time_ms: number; message?: string } | null;

/** One completion of one problem in one evaluation; the primary key makes every write idempotent. */
export const samples = sqliteTable(
  "samples",
  {
    evaluationId: text("evaluation_id").notNull(),
    problemId: text("problem_id").notNull(),
    index: integer("idx").notNull(),
    /** The completion; "" when it is kept in the completion store under `text_ref` (R2 on Workers). */
    text: text("text").notNull(),
    /** The completion-store object holding this sample's text (services/completion-store.ts); null: `text` holds it. */
    textRef: text("text_ref"),
    finishReason: text("finish_reason"),
    tokens: integer("tokens"),
    /** The weights the backend actually sampled (served name, local directory, sha256); null for older rows. */
    model: text("model", { mode: "json" }).$type<SampledCheckpoint>(),
    /** tool and agentic settings: the episode (steps after the prompt, turns, tool calls, tokens). */
    trajectory: text("trajectory", { mode: "json" }).$type<Trajectory>(),
    language: text("language", { enum: ["python", "cpp"] }),
    code: text("code"),
    /** Verdict-cache key; null when no code could be extracted. */
    verdictKey: text("verdict_key"),
    verdict: text("verdict").$type<Verdict>(),
    tiersPassed: integer("tiers_passed"),
    timeMs: integer("time_ms"),
    memoryKb: integer("memory_kb"),
    failure: text("failure", { mode: "json" }).$type<SampleFailure>(),
    /** Where the verdict came from; null while pending. */
    source: text("source", { enum: SAMPLE_SOURCES }),
    /** Set once an executions message for this sample was sent. */
    dispatchedAt: text("dispatched_at"),
    receivedAt: text("received_at").notNull(),
    judgedAt: text("judged_at"),
  },
  (t) => [
    primaryKey({ columns: [t.evaluationId, t.problemId, t.index] }),
    index("samples_pending").on(t.evaluationId, t.verdict),
    index("samples_key").on(t.verdictKey),
  ],
);

/** Verdicts by key = sha256(language, normalised code, benchmark version, problem id, limits). SE is never cached. */
export const verdictCache = sqliteTable("verdict_cache", {
  key: text("key").primaryKey(),
  benchmarkVersion: text("benchmark_version").notNull(),
  problemId: text("problem_id").notNull(),
  verdict: text("verdict").$type<Verdict>().notNull(),
  tiersPassed: integer("tiers_passed").notNull(),
  timeMs: integer("time_ms").notNull(),
  memoryKb: integer("memory_kb").notNull(),
  failure: text("failure", { mode: "json" }).$type<SampleFailure>(),
  createdAt: text("created_at").notNull(),
});

/**
 * Metrics of a complete evaluation, written once it completes (the leaderboard reads this).
 * `pass_at_k`/`se` hold every k of the standard set that fits the smallest n; `per_problem` holds
 * `{problem, n, c, verdicts}` with n counting judged samples (SE left out).
 */
export const evaluationMetrics = sqliteTable(
  "evaluation_metrics",
  {
    evaluationId: text("evaluation_id").primaryKey(),
    teamId: text("team_id").notNull().default(DEFAULT_TEAM),
    checkpointId: text("checkpoint_id").notNull(),
    run: text("run").notNull(),
    benchmark: text("benchmark").notNull(),
    benchmarkVersion: text("benchmark_version").notNull(),
    /** pass@1 as a column, for ordering a leaderboard. */
    passAt1: real("pass_at_1"),
    passAtK: text("pass_at_k", { mode: "json" }).$type<Record<string, number>>().notNull(),
    se: text("se", { mode: "json" }).$type<Record<string, number | null>>().notNull(),
    breakdown: text("breakdown", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    perProblem: text("per_problem", { mode: "json" }).$type<{ problem: string; n: number; c: number; verdicts: Record<string, number> }[]>().notNull(),
    samples: integer("samples").notNull(),
    computedAt: text("computed_at").notNull(),
  },
  (t) => [index("evaluation_metrics_benchmark").on(t.benchmark, t.benchmarkVersion), index("evaluation_metrics_run").on(t.run)],
);

export const ensembles = sqliteTable("ensembles", {
  id: text("id").primaryKey(),
  teamId: text("team_id").notNull().default(DEFAULT_TEAM),
  members: text("members", { mode: "json" }).$type<string[]>().notNull(),
  budget: integer("budget").notNull(),
  allocation: text("allocation").notNull(),
  result: text("result", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  createdAt: text("created_at").notNull(),
});

/** Accepted backend callbacks by `webhook-id`, written in the same batch as their effect. */
export const backendEvents = sqliteTable("backend_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  jobId: text("job_id"),
  receivedAt: text("received_at").notNull(),
});
