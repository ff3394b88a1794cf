// Tracks: a benchmark version with a fixed protocol and problem set. Only complete evaluations that
// follow a track's protocol exactly and cover its problem set rank on it (services/tracks.ts).
import { TRACK_SETTINGS } from "@frontier/contracts";
import { DEFAULT_TEAM } from "./core.ts";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const tracks = sqliteTable(
  "tracks",
  {
    /** A slug chosen by the operator, e.g. "demo-reasoning". */
    id: text("id").primaryKey(),
    /** Null: public. A team id: private to that team. */
    teamId: text("team_id"),
    benchmark: text("benchmark").notNull(),
    benchmarkVersion: text("benchmark_version").notNull(),
    setting: text("setting", { enum: TRACK_SETTINGS }).notNull(),
    language: text("language", { enum: ["python", "cpp"] }).notNull(),
    n: integer("n").notNull(),
    temperature: real("temperature").notNull(),
    topP: real("top_p").notNull(),
    maxTokens: integer("max_tokens").notNull(),
    /** The seeding rule: "fixed" — every evaluation on the track samples with this seed. */
    seed: integer("seed").notNull(),
    /** The split the problem set was taken from (null: every problem of the benchmark). */
    split: text("split"),
    /** Problem ids in benchmark order; an evaluation must cover exactly these. */
    problems: text("problems", { mode: "json" }).$type<string[]>().notNull(),
    description: text("description"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("tracks_benchmark").on(t.benchmark, t.benchmarkVersion, t.createdAt)],
);
export type TrackRow = typeof tracks.$inferSelect;

/**
 * A public submission: a checkpoint URL evaluated under a track's protocol. Its status is read from
 * its evaluation (queued → queued, sampling/judging → running, complete → complete or
 * complete_with_errors, failed → failed) unless it was cancelled.
 */
export const submissions = sqliteTable(
  "submissions",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id").notNull().default(DEFAULT_TEAM),
    /** The API key that submitted it (quotas are per key and per team). */
    keyId: text("key_id").notNull(),
    url: text("url").notNull(),
    track: text("track").notNull(),
    label: text("label"),
    checkpointId: text("checkpoint_id").notNull(),
    evaluationId: text("evaluation_id").notNull(),
    /** Samples this submission started (problems × n; 0 when it reused an existing evaluation): the daily quota counts these. */
    samples: integer("samples").notNull(),
    cancelledAt: text("cancelled_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("submissions_key").on(t.keyId, t.createdAt), index("submissions_track_url").on(t.track, t.url), index("submissions_created").on(t.createdAt)],
);
export type SubmissionRow = typeof submissions.$inferSelect;

/**
 * Continuous evaluation: a training run's policy. Every `checkpoint.saved` of `run` whose step is a
 * multiple of `everySteps` is evaluated on each of `tracks` under the track's protocol.
 */
export const runPolicies = sqliteTable(
  "run_policies",
  {
    teamId: text("team_id").notNull().default(DEFAULT_TEAM),
    run: text("run").notNull(),
    /** Track ids, in the order given. */
    tracks: text("tracks", { mode: "json" }).$type<string[]>().notNull(),
    everySteps: integer("every_steps").notNull(),
    /** Whether the evaluations it starts are published on their tracks (public leaderboard rows); default private. */
    publish: integer("publish", { mode: "boolean" }).notNull().default(false),
    keyId: text("key_id").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.run] })],
);
export type RunPolicyRow = typeof runPolicies.$inferSelect;

/**
 * The evaluations a run policy started: one per checkpoint and track (the primary key), so a
 * replayed or retried `checkpoint.saved` never starts a second.
 */
export const runPolicyEvaluations = sqliteTable(
  "run_policy_evaluations",
  {
    checkpointId: text("checkpoint_id").notNull(),
    track: text("track").notNull(),
    run: text("run").notNull(),
    step: integer("step").notNull(),
    evaluationId: text("evaluation_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.checkpointId, t.track] }), index("run_policy_evaluations_run").on(t.run, t.step)],
);
export type RunPolicyEvaluationRow = typeof runPolicyEvaluations.$inferSelect;

/**
 * Two training runs declared as merge endpoints (POST /v1/runs/{run}/pairs): once both have sent
 * `run.finished` (or on …/build), the merge grid between their final checkpoints is built once —
 * `merge_id` is claimed before the merge is made — and every output is evaluated on `tracks`.
 */
export const runPairs = sqliteTable(
  "run_pairs",
  {
    /** Endpoint a (α = 0): θ(α) = (1−α)·θ_run + α·θ_with. */
    run: text("run").notNull(),
    withRun: text("with_run").notNull(),
    alphas: text("alphas", { mode: "json" }).$type<number[]>().notNull(),
    tracks: text("tracks", { mode: "json" }).$type<string[]>().notNull(),
    /** Whether the grid's evaluations are published on `tracks` (public leaderboard rows); default private. */
    publish: integer("publish", { mode: "boolean" }).notNull().default(false),
    teamId: text("team_id").notNull().default("default"),
    keyId: text("key_id").notNull(),
    /** The grid's merge; "" while a build holds the claim; null until built. */
    mergeId: text("merge_id"),
    builtAt: text("built_at"),
    /** Track → the ensemble over the grid's evaluations on it ("" while one is being computed). */
    ensembles: text("ensembles", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.run, t.withRun] }), index("run_pairs_with").on(t.teamId, t.withRun), index("run_pairs_merge").on(t.mergeId)],
);
export type RunPairRow = typeof runPairs.$inferSelect;

/**
 * What a team published on a track: only these evaluations (and ensembles whose members all are)
 * rank on its public leaderboard and frontier; a team's own key also sees its unpublished
 * conforming rows. A submission publishes its evaluation; a run policy or pair with `publish`
 * publishes the evaluations it starts; `POST /v1/evaluations/{id}/publications` publishes one.
 */
export const trackPublications = sqliteTable(
  "track_publications",
  {
    track: text("track").notNull(),
    evaluationId: text("evaluation_id").notNull(),
    teamId: text("team_id").notNull().default(DEFAULT_TEAM),
    /** What published it: a submission, a run policy, a run pair, or the API. */
    via: text("via", { enum: ["submission", "policy", "pair", "api"] }).notNull(),
    publishedAt: text("published_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.track, t.evaluationId] }), index("track_publications_evaluation").on(t.evaluationId)],
);
export type TrackPublicationRow = typeof trackPublications.$inferSelect;
