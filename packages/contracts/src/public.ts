// The public resources of the edge API: what the CLI and the leaderboard page read. The edge's
// routes answer with these schemas (its OpenAPI document is generated from them) and the CLI
// validates what it reads with them. Descriptions and examples go in `.meta()`, which the OpenAPI
// generator reads; component names are given by the edge (`.openapi("Checkpoint")`).
import { z } from "zod";
import { LANGUAGES, VERDICTS } from "./problem.ts";
import { SampledCheckpointSchema, SETTINGS, TrajectorySchema } from "./backend.ts";

export const CHECKPOINT_STATUSES = ["pending", "ready", "failed"] as const;
export const CHECKPOINT_SOURCES = ["api", "webhook", "merge"] as const;
export const EVALUATION_STATUSES = ["queued", "sampling", "judging", "complete", "complete_with_errors", "failed", "cancelled"] as const;
export const MERGE_STATUSES = ["merging", "ready", "failed", "partial", "cancelled"] as const;
export const MERGE_OUTPUT_STATUSES = ["merging", "ready", "failed", "cancelled"] as const;
export const LEADERBOARD_KINDS = ["checkpoint", "ensemble"] as const;
export type LeaderboardKind = (typeof LEADERBOARD_KINDS)[number];

export const ParentSchema = z.object({ checkpoint: z.string(), coefficient: z.number() });
export type Parent = z.infer<typeof ParentSchema>;

/** `{data, next_cursor}`: every paged list of the API. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), next_cursor: z.string().nullable() });

// ---- checkpoints ---------------------------------------------------------------------------

export const CheckpointSchema = z.object({
  id: z.string().meta({ example: "ckpt_01jz3k9m2q8v4x7n6p5r3t2w1y0z" }),
  run: z.string(),
  step: z.number().int().nullable(),
  url: z.string(),
  label: z.string().nullable(),
  status: z.enum(CHECKPOINT_STATUSES),
  source: z.enum(CHECKPOINT_SOURCES),
  parents: z.array(ParentSchema).nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  /** The immutable revision the URL was pinned to at registration (Hub commit sha, `etag:…`, `version:…`); null: none (file://, merges) or not pinned yet. */
  revision: z.string().nullable(),
  /** The URL evaluations use: `hf://owner/repo@<sha>` once pinned; otherwise the URL. */
  pinned_url: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export const CheckpointPageSchema = pageOf(CheckpointSchema);
export type CheckpointPage = z.infer<typeof CheckpointPageSchema>;

// ---- merges --------------------------------------------------------------------------------

/** A merge's derived checkpoint (the backend's own `MergeOutput` is the written file set). */
export const DerivedCheckpointSchema = z.object({
  id: z.string(),
  alpha: z.number().nullable(),
  parents: z.array(ParentSchema).nullable(),
  status: z.enum(MERGE_OUTPUT_STATUSES),
  url: z.string().nullable(),
  error: z.string().nullable(),
  evaluation: z.string().nullable(),
  backend_job: z.string().nullable(),
  label: z.string().nullable(),
  /** When retention deleted the stored output (POST /v1/gc); null while it is kept. */
  deleted_at: z.string().nullable(),
});
export type DerivedCheckpoint = z.infer<typeof DerivedCheckpointSchema>;

export const MergeSchema = z.object({
  id: z.string().meta({ example: "mrg_01jz3k9m2q8v4x7n6p5r3t2w1y0z" }),
  status: z.enum(MERGE_STATUSES),
  run: z.string(),
  request: z.record(z.string(), z.unknown()),
  evaluate: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
  checkpoints: z.array(DerivedCheckpointSchema),
});
export type Merge = z.infer<typeof MergeSchema>;

// ---- evaluations ---------------------------------------------------------------------------

const VerdictCountsSchema = z.object(Object.fromEntries(VERDICTS.map((v) => [v, z.number().int()])) as Record<(typeof VERDICTS)[number], z.ZodNumber>);

export const EvaluationSchema = z.object({
  id: z.string().meta({ example: "eval_01jz3k9m2q8v4x7n6p5r3t2w1y0z" }),
  checkpoint: z.string(),
  benchmark: z.object({ name: z.string(), version: z.string() }),
  status: z.enum(EVALUATION_STATUSES),
  language: z.enum(LANGUAGES),
  /** The inference setting (older servers: absent, which means reasoning). */
  setting: z.enum(SETTINGS).optional(),
  params: z.object({
    n: z.number().int(),
    temperature: z.number(),
    top_p: z.number(),
    max_tokens: z.number().int(),
    seed: z.number().int(),
    max_turns: z.number().int().optional(),
    max_tool_calls: z.number().int().optional(),
  }),
  problems: z.number().int(),
  progress: z.object({
    requested: z.number().int().meta({ description: "problems × n" }),
    received: z.number().int().meta({ description: "samples stored" }),
    cached: z.number().int().meta({ description: "verdicts taken from the verdict cache (no executor call)" }),
    judged: z.number().int().meta({ description: "verdicts from the executor" }),
    extraction_errors: z.number().int().meta({ description: "CE without an executor call: no code could be extracted" }),
    dead_lettered: z.number().int().meta({ description: "SE after every retry failed" }),
    pending: z.number().int(),
    verdicts: VerdictCountsSchema,
  }),
  sampling: z.object({ job: z.string().nullable(), mode: z.enum(["callback", "poll"]).nullable() }),
  /** The weights the samples came from (one entry per distinct model the backend loaded), with how many samples each. */
  models: z.array(SampledCheckpointSchema.extend({ samples: z.number().int() })),
  /** Samples that hit max_tokens. */
  truncated: z.number().int(),
  /** tool and agentic settings: tool calls and turns per sample on average (over samples received). */
  episodes: z.object({ samples: z.number().int(), avg_tool_calls: z.number().nullable(), avg_turns: z.number().nullable() }).optional(),
  errors: z.array(z.object({ at: z.string(), stage: z.string(), message: z.string() })),
  created_at: z.string(),
  updated_at: z.string(),
  completed_at: z.string().nullable(),
});
export type Evaluation = z.infer<typeof EvaluationSchema>;

/** One sample of an evaluation with its verdict (GET /v1/evaluations/{id}/samples). */
export const EvaluationSampleSchema = z.object({
  problem: z.string(),
  index: z.number().int(),
  verdict: z.enum(VERDICTS).nullable(),
  source: z.enum(["cache", "executor", "extraction", "dead-letter"]).nullable(),
  tiers_passed: z.number().int().nullable(),
  time_ms: z.number().int().nullable(),
  memory_kb: z.number().int().nullable(),
  failure: z.object({ tier: z.number(), test: z.number(), verdict: z.string(), time_ms: z.number(), message: z.string().optional() }).nullable(),
  language: z.enum(LANGUAGES).nullable(),
  code: z.string().nullable(),
  completion: z.string(),
  finish_reason: z.string().nullable(),
  /** The completion hit max_tokens (finish_reason "length"): its program may be cut off. */
  truncated: z.boolean(),
  tokens: z.number().int().nullable(),
  /** The weights this sample came from, as the backend loaded them. */
  model: SampledCheckpointSchema.nullable(),
  /** tool and agentic settings: the episode (steps after the prompt, turns, tool calls, tokens); null otherwise. */
  trajectory: TrajectorySchema.nullable().optional(),
  received_at: z.string(),
  judged_at: z.string().nullable(),
});
export type EvaluationSample = z.infer<typeof EvaluationSampleSchema>;

export const EvaluationSamplePageSchema = pageOf(EvaluationSampleSchema);
export type EvaluationSamplePage = z.infer<typeof EvaluationSamplePageSchema>;

export const TierRatesSchema = z.object({
  tier: z.number().int(),
  pass_rate: z.number(),
  correctness_failure_rate: z.number(),
  efficiency_failure_rate: z.number(),
  /** CE, OLE and NC: outside both rates. Absent on metrics stored before the split. */
  other_failure_rate: z.number().optional(),
});

/** Failure breakdown over judged samples (SE counted apart); further members may be added. */
export const FailureBreakdownSchema = z.looseObject({
  samples: z.number().int().optional(),
  judged: z.number().int().optional(),
  system_errors: z.number().int().optional(),
  system_error_rate: z.number().nullable().optional(),
  pass_rate: z.number().nullable().optional(),
  correctness_failure_rate: z.number().nullable().optional(),
  efficiency_failure_rate: z.number().nullable().optional(),
  other_failure_rate: z.number().nullable().optional(),
  by_verdict: z.record(z.string(), z.number()).optional(),
  tiers: z.array(TierRatesSchema).optional(),
});

export const EvaluationMetricsSchema = z.object({
  evaluation: z.string(),
  checkpoint: z.string(),
  benchmark: z.object({ name: z.string(), version: z.string() }),
  complete: z.boolean(),
  pass_at_k: z.record(z.string(), z.number()),
  se: z.record(z.string(), z.number().nullable()),
  skipped_k: z.array(z.number()),
  min_n: z.number().int(),
  problems: z.number().int(),
  problems_without_judged_samples: z.array(z.string()),
  /** SE samples (the sandbox could not judge them): left out of pass@k and the breakdown's rates. */
  se_left_out: z.number().int(),
  breakdown: FailureBreakdownSchema,
  per_problem: z.array(z.object({ problem: z.string(), n: z.number().int(), c: z.number().int(), verdicts: z.record(z.string(), z.number()) })),
});
export type EvaluationMetrics = z.infer<typeof EvaluationMetricsSchema>;

// ---- ensembles -----------------------------------------------------------------------------

/** What an ensemble computed; the named members are the ones clients read, the rest passes through. */
export const EnsembleResultSchema = z
  .looseObject({
    ensemble: z.number(),
    allocation: z.record(z.string(), z.number()),
    best_single: z.object({ member: z.string(), value: z.number() }).nullable(),
    gain: z.number().nullable(),
    /** Absent on results stored before selection existed (they were in sample). */
    selection: z.enum(["crossfit", "in_sample", "holdout"]).optional(),
    folds: z.number().int().optional(),
    seed: z.number().int().optional(),
    gain_ci: z.tuple([z.number(), z.number()]).nullable().optional(),
    se: z.object({ ensemble: z.number().nullable(), best_single: z.number().nullable(), gain: z.number().nullable() }).optional(),
    single_at_budget: z.record(z.string(), z.number().nullable()).optional(),
    pooled_mixture: z.number().nullable().optional(),
    warnings: z.array(z.string()),
    benchmark: z.string().optional(),
    checkpoints: z.record(z.string(), z.string()).optional(),
  })
  .meta({
    description:
      "ensemble, allocation {member: expected k}, best_single, gain, selection (crossfit | in_sample (biased) | holdout), folds, seed, gain_ci [lo, hi] (paired bootstrap 95%, selection repeated per resample), se, single_at_budget, pooled_mixture, warnings, benchmark, checkpoints",
  });
export type EnsembleResult = z.infer<typeof EnsembleResultSchema>;

export const EnsembleSchema = z.object({
  id: z.string().meta({ example: "ens_01jz3k9m2q8v4x7n6p5r3t2w1y0z" }),
  members: z.array(z.string()),
  budget: z.number().int(),
  allocation: z.string(),
  result: EnsembleResultSchema,
  created_at: z.string(),
});
export type Ensemble = z.infer<typeof EnsembleSchema>;

// ---- comparisons ---------------------------------------------------------------------------

/** A paired comparison of evaluation `b` against `a` on the same problems (POST /v1/comparisons). */
export const ComparisonSchema = z.object({
  a: z.string(),
  b: z.string(),
  benchmark: z.string(),
  problems: z.number().int(),
  differences: z.array(
    z.object({
      k: z.number().int(),
      a: z.number(),
      b: z.number(),
      difference: z.number().meta({ description: "pass@k of b − pass@k of a, mean over the shared problems" }),
      se: z.number().nullable(),
      ci: z.tuple([z.number(), z.number()]).meta({ description: "paired percentile bootstrap 95% interval over problems" }),
    }),
  ),
  skipped_k: z.array(z.number().int()),
  seed: z.number().int(),
  resamples: z.number().int(),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

// ---- frontier ------------------------------------------------------------------------------

export const FrontierPointSchema = z.object({
  checkpoint: z.string(),
  evaluation: z.string(),
  label: z.string().nullable(),
  alpha: z.number().nullable(),
  correctness_failure_rate: z.number().nullable().meta({ description: "WA + RE over judged samples" }),
  efficiency_failure_rate: z.number().nullable().meta({ description: "TLE + MLE over judged samples" }),
  other_failure_rate: z.number().nullable().optional().meta({ description: "CE + OLE + NC (no code), outside both rates" }),
  pass_at_k: z.record(z.string(), z.number().nullable()).meta({ description: "pass@k per requested k; null where k exceeds n on some problem" }),
  judged: z.number().int(),
  problems: z.number().int(),
  pareto: z.boolean(),
});
export type FrontierPoint = z.infer<typeof FrontierPointSchema>;

export const ComplementaritySchema = z.object({
  problems: z.number().int(),
  solved_by_any: z.number().int(),
  solved_by_none: z.number().int(),
  members: z.array(z.object({ member: z.string(), solved: z.number().int(), solved_alone: z.number().int() })),
  pairs: z.array(
    z.object({
      a: z.string(),
      b: z.string(),
      both: z.number().int(),
      either: z.number().int(),
      only_a: z.number().int(),
      only_b: z.number().int(),
      jaccard: z.number().nullable(),
    }),
  ),
});
export type Complementarity = z.infer<typeof ComplementaritySchema>;

export const FrontierSchema = z.object({
  run: z.string(),
  benchmark: z.string().nullable(),
  track: z.string().nullable().optional().meta({ description: "The track whose conforming evaluations the points come from" }),
  points: z.array(FrontierPointSchema),
  pareto: z.array(z.string()),
  complementarity: ComplementaritySchema.nullable(),
});
export type Frontier = z.infer<typeof FrontierSchema>;

/** An evaluation published on a track: what makes its row public there. */
export const PublicationSchema = z.object({
  track: z.string(),
  evaluation: z.string(),
  via: z.enum(["submission", "policy", "pair", "api"]).meta({ description: "What published it" }),
  published_at: z.string(),
});
export type Publication = z.infer<typeof PublicationSchema>;

/** A track's public frontier: its published conforming points, whatever their run. */
export const TrackFrontierSchema = FrontierSchema.omit({ run: true }).extend({
  track: z.string().meta({ description: "The track whose published conforming evaluations the points come from" }),
  benchmark: z.string(),
});
export type TrackFrontier = z.infer<typeof TrackFrontierSchema>;

/** A sampling or resampling seed (fits a 32-bit signed int, as model servers take it); default 0. */
export const SeedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)
  .default(0);

// ---- tracks --------------------------------------------------------------------------------

/** A track fixes one inference setting; its evaluations must use it. */
export const TRACK_SETTINGS = SETTINGS;

/** A benchmark version with a fixed protocol and problem set: the only thing the leaderboard ranks on. */
export const TrackSchema = z.object({
  id: z.string().meta({ example: "demo-reasoning" }),
  benchmark: z.object({ name: z.string(), version: z.string(), id: z.string() }),
  protocol: z.object({
    setting: z.enum(TRACK_SETTINGS),
    language: z.enum(LANGUAGES),
    n: z.number().int(),
    temperature: z.number(),
    top_p: z.number(),
    max_tokens: z.number().int(),
    seeding: z.object({ rule: z.literal("fixed"), seed: z.number().int() }).meta({ description: "Every evaluation on the track samples with this seed" }),
  }),
  split: z.string().nullable().meta({ description: "Name of the problem set when it is not the whole benchmark" }),
  problems: z.array(z.string()).meta({ description: "Problem ids an evaluation must cover exactly, in benchmark order" }),
  description: z.string().nullable(),
  created_at: z.string(),
});
export type Track = z.infer<typeof TrackSchema>;

export const NewTrackSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9][a-z0-9._-]*$/),
    benchmark: z.string().min(1).max(300).meta({ description: "name (latest version) or name@sha256:…" }),
    setting: z.enum(TRACK_SETTINGS).default("reasoning"),
    language: z.enum(LANGUAGES).default("python"),
    n: z.number().int().min(1).max(1024),
    temperature: z.number().min(0).max(2),
    top_p: z.number().gt(0).max(1).default(1),
    max_tokens: z.number().int().min(1).max(32_768),
    seed: SeedSchema,
    split: z.string().min(1).max(100).optional().meta({ description: "Name of the problem set given in `problems`" }),
    problems: z.array(z.string().min(1).max(200)).min(1).max(20_000).optional().meta({ description: "Default: every problem of the benchmark" }),
    description: z.string().max(2000).optional(),
  })
  .strict();
export type NewTrack = z.infer<typeof NewTrackSchema>;

// ---- submissions ---------------------------------------------------------------------------

export const SUBMISSION_STATUSES = ["queued", "running", "complete", "complete_with_errors", "failed", "cancelled"] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export const SubmissionSchema = z.object({
  id: z.string(),
  url: z.string(),
  track: z.string(),
  label: z.string().nullable(),
  checkpoint: z.string(),
  evaluation: z.string(),
  status: z.enum(SUBMISSION_STATUSES),
  position: z.number().int().nullable().meta({ description: "Place among queued submissions (1 is next); null unless queued" }),
  progress: z.object({ requested: z.number().int(), received: z.number().int(), judged: z.number().int() }),
  created_at: z.string(),
  cancelled_at: z.string().nullable(),
});
export type Submission = z.infer<typeof SubmissionSchema>;

// ---- leaderboard ---------------------------------------------------------------------------

export const LeaderboardRowSchema = z.object({
  kind: z.enum(LEADERBOARD_KINDS),
  id: z.string().meta({ description: "Checkpoint id, or ensemble id for ensemble rows" }),
  setting: z.enum(SETTINGS).nullable().optional().meta({ description: "The inference setting of the row's evaluation(s)" }),
  label: z.string().nullable(),
  run: z.string().nullable(),
  evaluation: z.string().nullable().meta({ description: "The evaluation the row's figures come from (checkpoint rows)" }),
  pass_at_k: z.number().nullable().meta({ description: "null when k exceeds the samples of some problem" }),
  se: z.number().nullable().meta({ description: "Standard error of pass@k over problems" }),
  correctness_failure_rate: z.number().nullable(),
  efficiency_failure_rate: z.number().nullable(),
  other_failure_rate: z.number().nullable().optional().meta({ description: "CE + OLE + NC (no code) over judged samples, outside both rates" }),
  pass_rate: z.number().nullable(),
  samples_per_problem: z.number().nullable().meta({ description: "n for a checkpoint, the budget for an ensemble" }),
  lineage: z.object({
    source: z.string().nullable(),
    step: z.number().nullable(),
    alpha: z.number().nullable(),
    parents: z.array(ParentSchema).nullable(),
    members: z.array(z.object({ evaluation: z.string(), checkpoint: z.string().nullable() })).nullable(),
  }),
  ensemble: z
    .object({
      budget: z.number(),
      allocation: z.string(),
      best_single: z.object({ member: z.string(), value: z.number() }).nullable(),
      gain: z.number().nullable(),
    })
    .nullable(),
  published: z
    .boolean()
    .optional()
    .meta({ description: "Whether the row is on the track's public board; false: the caller's team's own unpublished row (keyed reads only)" }),
  updated_at: z.string(),
});
export type LeaderboardRow = z.infer<typeof LeaderboardRowSchema>;

export const LeaderboardSchema = z.object({
  benchmark: z.object({ name: z.string(), version: z.string(), id: z.string() }).nullable(),
  track: z.string().nullable().meta({
    description:
      "The track ranked (only complete evaluations that follow its protocol and that their team published, plus the caller's team's own); null: no track on this benchmark, the ad-hoc view of the caller's team's own evaluations",
  }),
  k: z.number().int(),
  kind: z.enum(LEADERBOARD_KINDS).nullable(),
  data: z.array(LeaderboardRowSchema),
  next_cursor: z.string().nullable(),
});
export type Leaderboard = z.infer<typeof LeaderboardSchema>;

// ---- the leaderboard page's embedded data ---------------------------------------------------

/** One checkpoint on the page: pass@k over k, per-tier rates, verdicts and its ensembles. */
export const CheckpointDetailSchema = z.object({
  checkpoint: z.string(),
  evaluation: z.string(),
  /** pass@k for every stored k, ascending k. */
  curve: z.array(z.object({ k: z.number().int(), pass: z.number(), se: z.number().nullable() })),
  tiers: z.array(TierRatesSchema.extend({ name: z.string() })),
  verdicts: z.record(z.string(), z.number()),
  judged: z.number().int().nullable(),
  system_errors: z.number().int().nullable(),
  /** Ensembles this evaluation is a member of, against their best single member at the same budget. */
  ensembles: z.array(
    z.object({
      id: z.string(),
      budget: z.number().int(),
      allocation: z.string(),
      ensemble: z.number(),
      best_single: z.object({ member: z.string(), value: z.number() }).nullable(),
      gain: z.number().nullable(),
      this_member_alone: z.number().nullable(),
    }),
  ),
});
export type CheckpointDetail = z.infer<typeof CheckpointDetailSchema>;

/** The frontier as the page shows it: the same document as GET /v1/runs/{run}/frontier. */
/** The page's frontier: a run's (its team's keyed view), or a track's public one (run null). */
export const FrontierViewSchema = FrontierSchema.extend({ run: z.string().nullable() });
export type FrontierView = z.infer<typeof FrontierViewSchema>;

// ---- outbound webhooks ---------------------------------------------------------------------

export const OUTBOUND_EVENTS = ["evaluation.completed", "evaluation.failed", "merge.completed", "submission.completed", "frontier.updated"] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENTS)[number];

export const NewWebhookSchema = z
  .object({
    url: z.string().min(1).max(2048).meta({ description: "https:// URL under the checkpoint URL policy (no credentials, no private hosts)" }),
    events: z.array(z.enum(OUTBOUND_EVENTS)).min(1).max(OUTBOUND_EVENTS.length),
  })
  .strict();
export type NewWebhook = z.infer<typeof NewWebhookSchema>;

export const WebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(OUTBOUND_EVENTS)),
  created_at: z.string(),
  secret: z.string().optional().meta({ description: "whsec_<base64>: returned once, when the webhook is created" }),
});
export type WebhookEndpoint = z.infer<typeof WebhookSchema>;

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;

export const WebhookDeliverySchema = z.object({
  id: z.string(),
  webhook: z.string(),
  event_id: z.string().meta({ description: "Sent as webhook-id; the same on every attempt and redelivery" }),
  type: z.enum(OUTBOUND_EVENTS),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  attempt_log: z.array(z.object({ at: z.string(), status: z.number().int().nullable(), error: z.string().nullable() })),
  payload: z.unknown().meta({ description: "The body sent: {type, timestamp, data}" }),
  created_at: z.string(),
  updated_at: z.string(),
  delivered_at: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
