// The executor's HTTP API (workers/executor): POST /v1/judge and GET /v1/health. The executor
// validates requests with these schemas; the edge validates the executor's answers with them.
import { z } from "zod";
import { LANGUAGES, ProblemSchema, VERDICTS } from "./problem.ts";

/** Largest program the executor accepts (characters). */
export const MAX_SUBMISSION_CODE = 1_000_000;
/**
 * The executor's verdict-relevant version: bump it when a change can alter a verdict (limits
 * policy, retiming, checkers). `/v1/health` reports it with the language runtimes
 * (`executor_version`); the edge's verdict cache key includes it.
 */
export const EXECUTOR_VERSION = "frontier-executor/2";
/** A TLE whose CPU time is under this × the limit is judged again (the kill ceiling is this × limit). */
export const DEFAULT_RETIME_FACTOR = 1.5;

/** Most submissions in one judge request. */
export const MAX_JUDGE_SUBMISSIONS = 1000;

export const JudgeSubmissionSchema = z.object({
  /** Copied through to the submission's result; the executor itself does not need it. */
  id: z.string().optional(),
  language: z.enum(LANGUAGES),
  code: z.string().max(MAX_SUBMISSION_CODE),
});
export type JudgeSubmission = z.infer<typeof JudgeSubmissionSchema>;

export const JudgeOptionsSchema = z.object({
  /** Run every test even after a failure (the verdict is still the first failure's). */
  all_tests: z.boolean().optional(),
});

/** Either an inline `problem`, or `pack` + `problem_id` (and optionally the `pack_version` expected). */
export const JudgeRequestSchema = z
  .object({
    problem: ProblemSchema.optional(),
    pack: z.string().min(1).optional(),
    /** "sha256:<hex>"; a pack of another version is a 409. */
    pack_version: z.string().optional(),
    problem_id: z.string().min(1).optional(),
    submissions: z.array(JudgeSubmissionSchema).min(1).max(MAX_JUDGE_SUBMISSIONS),
    options: JudgeOptionsSchema.optional(),
  })
  .refine((body) => !!body.problem !== !!(body.pack && body.problem_id), {
    message: "give either `problem`, or `pack` and `problem_id`",
  });
export type JudgeRequest = z.infer<typeof JudgeRequestSchema>;
export type JudgeRequestInput = z.input<typeof JudgeRequestSchema>;

const VerdictSchema = z.enum(VERDICTS);

export const JudgeFailureSchema = z.object({
  /** Index of the tier the first failing test belongs to. */
  tier: z.number().int().nonnegative(),
  /** 0-based index inside `tiers[tier].tests` (each tier lists only its own new tests). */
  test: z.number().int().nonnegative(),
  verdict: VerdictSchema,
  time_ms: z.number().nonnegative(),
  /** Short human-readable reason (checker diff, signal, compile error head). */
  message: z.string().optional(),
});

/** The result of judging one submission (executor → edge, and `frontier judge`). */
export const JudgeResultSchema = z.object({
  /** The submission's `id`, when it had one. */
  id: z.string().optional(),
  verdict: VerdictSchema,
  /** Number of tiers fully passed (0..tiers.length). */
  tiers_passed: z.number().int().nonnegative(),
  failure: JudgeFailureSchema.nullable(),
  /** Largest CPU time of one test (ms). */
  time_ms: z.number().nonnegative(),
  /** Largest peak resident memory of one test (KiB). */
  memory_kb: z.number().nonnegative(),
  // Details the executor adds; informational, nothing keys on them.
  tests_run: z.number().int().nonnegative().optional(),
  cpu_ms_total: z.number().nonnegative().optional(),
  wall_ms: z.number().nonnegative().optional(),
  compile_ms: z.number().nonnegative().optional(),
  /** A TLE just over the limit (under retime_factor × limit) was judged again; the better result is kept. */
  retimed: z.boolean().optional(),
  /** How many times the submission was judged (2 when retimed). */
  attempts: z.number().int().positive().optional(),
});
export type JudgeResult = z.infer<typeof JudgeResultSchema>;

export const JudgeResponseSchema = z.object({
  problem_id: z.string(),
  /** The pack's version for a pack problem; null for an inline problem. */
  pack_version: z.string().nullable(),
  /** One per submission, in submission order, each with the submission's `id` when it had one. */
  results: z.array(JudgeResultSchema),
});
export type JudgeResponse = z.infer<typeof JudgeResponseSchema>;

export const ExecutorHealthSchema = z.object({
  /** "degraded" when sandboxes cannot be started here (`sandbox.reason` says why). */
  status: z.enum(["ok", "degraded"]),
  sandbox: z.object({ available: z.boolean(), reason: z.string().optional() }),
  /**
   * How programs are isolated: "bwrap" (bubblewrap namespaces) or "uid" (where bwrap cannot create
   * its namespaces: a uid per slot, rlimits, Landlock, seccomp without sockets; see the executor README).
   */
  isolation: z.enum(["bwrap", "uid"]).optional(),
  /** Submissions judged at the same time. */
  capacity: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  queue_depth: z.number().int().nonnegative(),
  versions: z.object({
    python: z.string().nullable(),
    gxx: z.string().nullable(),
    bwrap: z.string().nullable(),
    node: z.string(),
  }),
  /** EXECUTOR_VERSION with the language runtimes and the retime factor: what a verdict depends on. */
  executor_version: z.string(),
  /**
   * Reference workload speed at start: reference time / measured time (1 = the reference machine,
   * above 1 faster). Reported only; limits are never scaled by it.
   */
  speed_factor: z.number().positive(),
  /** A TLE with CPU time under retime_factor × limit is judged again. */
  retime_factor: z.number().min(1),
});
export type ExecutorHealth = z.infer<typeof ExecutorHealthSchema>;

// ---- POST /v1/run: run one program on one stdin, in the same sandbox as judging (tool use) ----

/** Most bytes of stdout (and of stderr) /v1/run and /v1/examples give back; the rest is cut. */
export const RUN_OUTPUT_LIMIT = 16 * 1024;

export const RUN_VERDICTS = ["OK", "RE", "TLE", "MLE", "OLE", "CE"] as const;
export type RunVerdict = (typeof RUN_VERDICTS)[number];

export const RunLimitsSchema = z.object({
  time_ms: z.number().int().positive().max(10_000).default(2000),
  memory_mb: z.number().int().positive().max(1024).default(256),
});

export const RunRequestSchema = z.object({
  language: z.enum(LANGUAGES),
  code: z.string().max(MAX_SUBMISSION_CODE),
  stdin: z
    .string()
    .max(4 * 1024 * 1024)
    .default(""),
  limits: RunLimitsSchema.default({ time_ms: 2000, memory_mb: 256 }),
});
export type RunRequest = z.infer<typeof RunRequestSchema>;
export type RunRequestInput = z.input<typeof RunRequestSchema>;

export const RunResponseSchema = z.object({
  /** Truncated to RUN_OUTPUT_LIMIT bytes (`truncated` says so). */
  stdout: z.string(),
  stderr: z.string(),
  exit_code: z.number().int().nullable(),
  verdict: z.enum(RUN_VERDICTS),
  time_ms: z.number().nonnegative(),
  memory_kb: z.number().nonnegative(),
  truncated: z.boolean().optional(),
});
export type RunResponse = z.infer<typeof RunResponseSchema>;

// ---- POST /v1/examples: judge one program on a problem's public tests only (agentic feedback) ----

export const ExamplesRequestSchema = z
  .object({
    problem: ProblemSchema.optional(),
    pack: z.string().min(1).optional(),
    pack_version: z.string().optional(),
    problem_id: z.string().min(1).optional(),
    submission: JudgeSubmissionSchema,
  })
  .refine((body) => !!body.problem !== !!(body.pack && body.problem_id), {
    message: "give either `problem`, or `pack` and `problem_id`",
  });
export type ExamplesRequest = z.infer<typeof ExamplesRequestSchema>;
export type ExamplesRequestInput = z.input<typeof ExamplesRequestSchema>;

/** One public test as an agent sees it: input, expected and actual output (truncated). */
export const ExampleOutcomeSchema = z.object({
  index: z.number().int().nonnegative(),
  input: z.string(),
  expected: z.string(),
  actual: z.string(),
  verdict: VerdictSchema,
  message: z.string().optional(),
  time_ms: z.number().nonnegative(),
});
export type ExampleOutcome = z.infer<typeof ExampleOutcomeSchema>;

export const ExamplesResponseSchema = z.object({
  problem_id: z.string(),
  /** AC when every public test passed (also when the problem has none: nothing to say). */
  verdict: VerdictSchema,
  tests: z.array(ExampleOutcomeSchema),
});
export type ExamplesResponse = z.infer<typeof ExamplesResponseSchema>;
