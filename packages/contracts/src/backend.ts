// The GPU backend's HTTP API (merges, samples, health) and the callback events it posts to the
// edge. The backend validates requests with these and describes itself in /openapi.json from them;
// the edge validates the backend's answers and callbacks with the same schemas.
import { z } from "zod";

/** Names a schema for OpenAPI documents: `.meta({id})`, which @hono/zod-openapi turns into a $ref. */
function named<T extends z.ZodType>(schema: T, id: string): T {
  // zod refuses a second schema under one id; when this module is evaluated again over a zod that
  // stayed loaded (a test runner's fresh module graph), the new schema takes the id over.
  const previous = z.globalRegistry._idmap.get(id);
  if (previous) z.globalRegistry.remove(previous);
  return schema.meta({ id });
}

/** Float dtypes a merge can write. */
export const OUTPUT_DTYPES = ["BF16", "F16", "F32"] as const;
export type OutputDtype = (typeof OUTPUT_DTYPES)[number];

const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), "must be an http(s) URL");

export const JobStatusSchema = z.enum(["queued", "running", "succeeded", "failed"]);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const JobErrorSchema = named(z.object({ title: z.string(), detail: z.string(), code: z.string().optional() }), "JobError");
export type JobError = z.infer<typeof JobErrorSchema>;

/** Delivery state of a job's callbacks (null on the job when it names no callback). */
export const CallbackStatusSchema = named(
  z.object({
    url: z.string(),
    delivered: z.number().int(),
    pending: z.number().int(),
    error: z.string().nullable(),
  }),
  "CallbackStatus",
);
export type CallbackStatus = z.infer<typeof CallbackStatusSchema>;

/** The immutable revision a checkpoint was pinned to at registration: a job fails (code revision_changed) when its source now resolves to another. */
const PinnedRevisionSchema = z
  .string()
  .min(1)
  .max(512)
  .describe(
    "the immutable revision the checkpoint was pinned to at registration; the job fails (code revision_changed) when the source now resolves to another",
  );

// ---- merges ----

export const MergeParentSchema = z.object({
  url: z.string().min(1).describe("file://, path, https://, hf://owner/repo[@rev][/path] or s3://bucket/key: a .safetensors file, an index, or a folder"),
  coefficient: z.number().finite(),
  revision: PinnedRevisionSchema.optional(),
});
export type MergeParentRequest = z.infer<typeof MergeParentSchema>;

export const MergeRequestSchema = named(
  z.object({
    parents: z.array(MergeParentSchema).min(1).max(64),
    out_dtype: z.enum(OUTPUT_DTYPES).optional().describe("dtype of float tensors in the output; default the parents'"),
    shard_size: z.number().int().positive().optional().describe("re-shard to at most this many bytes per shard; default: shard like the first parent"),
    allow_non_affine: z.boolean().optional().describe("allow coefficients that do not sum to 1"),
    callback: httpUrl.optional(),
  }),
  "MergeRequest",
);
export type MergeRequest = z.infer<typeof MergeRequestSchema>;

export const OutputFileSchema = z.object({ name: z.string(), bytes: z.number().int(), sha256: z.string() });
export type OutputFile = z.infer<typeof OutputFileSchema>;

/** A finished merge: where it was published and every file written, with its sha256. */
export const MergeOutputSchema = named(
  z.object({
    url: z.string(),
    bytes: z.number().int(),
    tensors: z.number().int(),
    files: z.array(OutputFileSchema),
  }),
  "MergeOutput",
);
export type MergeOutput = z.infer<typeof MergeOutputSchema>;

export const MergeJobSchema = named(
  z.object({
    id: z.string(),
    status: JobStatusSchema,
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    request: MergeRequestSchema,
    output: MergeOutputSchema.nullable(),
    error: JobErrorSchema.nullable(),
    callback: CallbackStatusSchema.nullable(),
  }),
  "MergeJob",
);
export type MergeJob = z.infer<typeof MergeJobSchema>;

// ---- samples ----

export const SETTINGS = ["reasoning", "tool", "agentic"] as const;
export type Setting = (typeof SETTINGS)[number];
export const DEFAULT_MAX_TURNS = 4;
export const DEFAULT_MAX_TOOL_CALLS = 8;

/** A `run_code` call as the model issued it (OpenAI tools format, arguments as the model wrote them). */
export const ToolCallSchema = z.object({ id: z.string(), name: z.string(), arguments: z.string() });
export type ToolCall = z.infer<typeof ToolCallSchema>;

/**
 * One step of an episode after the prompt: an assistant answer (maybe with tool calls), a tool result,
 * or the user's feedback. Contents are cut to a few KiB each so a trajectory stays compact.
 */
export const TrajectoryStepSchema = z.object({
  role: z.enum(["assistant", "tool", "user"]),
  content: z.string(),
  tool_calls: z.array(ToolCallSchema).optional(),
  tool_call_id: z.string().optional(),
});
export type TrajectoryStep = z.infer<typeof TrajectoryStepSchema>;

export const TrajectorySchema = z.object({
  setting: z.enum(SETTINGS),
  /** Answers the model gave (agentic: submissions; 1 otherwise). */
  turns: z.number().int().min(0),
  tool_calls: z.number().int().min(0),
  /** Tokens generated over the whole episode, when the sampler knows. */
  tokens: z.number().int().min(0).optional(),
  /** The steps after the prompt (the prompt is the request's). */
  steps: z.array(TrajectoryStepSchema),
});
export type Trajectory = z.infer<typeof TrajectorySchema>;

/** One chat message sent to a model server (OpenAI chat format). */
export const ChatMessageSchema = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() });
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/**
 * One problem to sample: the chat messages the edge built from it (system + user), or a raw
 * `prompt` the model continues (sent to /v1/completions as is). At least one of the two.
 */
export const SampleProblemSchema = z
  .object({
    id: z.string().min(1),
    messages: z.array(ChatMessageSchema).min(1).max(64).optional(),
    prompt: z.string().optional(),
  })
  .refine((p) => p.messages !== undefined || p.prompt !== undefined, "a problem needs messages or a prompt");
export type SampleProblem = z.infer<typeof SampleProblemSchema>;

/** The weights a completion was actually sampled from, as the sampler loaded them. */
export const SampledCheckpointSchema = named(
  z.object({
    /** The checkpoint URL the request named. */
    checkpoint: z.string(),
    /** The `model` sent to the server (its served name); the sampler's own name for the demo. */
    served_name: z.string(),
    /** The local directory loaded into the server; null where the sampler loads nothing itself (openai). */
    dir: z.string().nullable(),
    /** sha256 of the checkpoint's index (model.safetensors.index.json) or single weights file. */
    sha256: z.string().nullable(),
    /** The source's revision (a Hub commit), when it has one. */
    revision: z.string().nullable().optional(),
    /** Which sampler: demo | vllm | sglang | openai. */
    sampler: z.string(),
  }),
  "SampledCheckpoint",
);
export type SampledCheckpoint = z.infer<typeof SampledCheckpointSchema>;

/** What a sampler is asked for (the backend's samplers take exactly this). */
export const SampleRequestSchema = z.object({
  checkpoint: z.string().min(1).describe("checkpoint location as the backend sees it (file://, https://, hf://, s3://, or a served model name)"),
  revision: PinnedRevisionSchema.optional(),
  problems: z.array(SampleProblemSchema).min(1).max(10_000),
  n: z.number().int().min(1).max(1024),
  temperature: z.number().min(0).max(10),
  top_p: z.number().gt(0).max(1),
  max_tokens: z.number().int().min(1).max(1_000_000),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 53 - 1),
  stop: z.array(z.string()).max(16).optional(),
  /** reasoning (one completion; the default), tool (`run_code` while it reasons), agentic (public-test feedback). */
  setting: z.enum(SETTINGS).optional(),
  /** agentic: answers per episode (default 4). */
  max_turns: z.number().int().min(1).max(32).optional(),
  /** tool: `run_code` calls per episode (default 8). */
  max_tool_calls: z.number().int().min(0).max(64).optional(),
  /** The pack the problems come from: the executor judges agentic answers on its public tests. */
  pack: z.object({ name: z.string().min(1), version: z.string().optional() }).optional(),
});
export type SampleRequest = z.infer<typeof SampleRequestSchema>;

/** `POST /v1/samples`: a sample request, optionally with a callback URL. */
export const SamplesRequestSchema = named(SampleRequestSchema.extend({ callback: httpUrl.optional() }), "SamplesRequest");
export type SamplesRequest = z.infer<typeof SamplesRequestSchema>;

export const CompletionSchema = named(
  z.object({
    problem_id: z.string().min(1),
    /** 0..n-1 within the problem. */
    index: z.number().int().min(0),
    text: z.string(),
    finish_reason: z.enum(["stop", "length", "error"]),
    /** Tokens generated, when the sampler knows. */
    tokens: z.number().int().min(0).optional(),
    /** The weights this completion came from (every sampler sets it). */
    sampled_from: SampledCheckpointSchema.optional(),
    /** tool and agentic settings: the episode that led to `text` (the final answer). */
    trajectory: TrajectorySchema.optional(),
  }),
  "Completion",
);
export type BackendCompletion = z.infer<typeof CompletionSchema>;

export const SampleJobSchema = named(
  z.object({
    id: z.string(),
    status: JobStatusSchema,
    created_at: z.string(),
    finished_at: z.string().nullable(),
    checkpoint: z.string(),
    expected: z.number().int(),
    produced: z.number().int(),
    error: JobErrorSchema.nullable(),
    callback: CallbackStatusSchema.nullable(),
  }),
  "SampleJob",
);
export type SampleJob = z.infer<typeof SampleJobSchema>;

export const SamplePageSchema = named(
  SampleJobSchema.extend({
    completions: z.array(CompletionSchema),
    next_cursor: z.number().int().nullable().describe("where to continue; null once the job has finished and every completion was returned"),
  }),
  "SamplePage",
);
export type SamplePage = z.infer<typeof SamplePageSchema>;

// ---- checkpoint revisions ----

/** POST /v1/checkpoints/resolve: pin a checkpoint URL to an immutable revision (nothing downloaded). */
export const ResolveCheckpointRequestSchema = named(z.object({ url: z.string().min(1).max(2048) }), "ResolveCheckpointRequest");
export type ResolveCheckpointRequest = z.infer<typeof ResolveCheckpointRequestSchema>;

export const ResolvedCheckpointSchema = named(
  z.object({
    url: z.string(),
    /** The URL without its revision: with `revision`, the key the backend caches the checkpoint under. */
    source: z.string(),
    /** The Hub commit sha for hf://; `version:<id>` or `etag:<etag>` for s3:// and https://; null for file://. */
    revision: z.string().nullable(),
  }),
  "ResolvedCheckpoint",
);
export type ResolvedCheckpoint = z.infer<typeof ResolvedCheckpointSchema>;

// ---- health ----

export const BackendHealthSchema = named(
  z.object({
    status: z.literal("ok"),
    sampler: z.string(),
    merges_running: z.number().int(),
    samples_running: z.number().int(),
  }),
  "BackendHealth",
);
export type BackendHealth = z.infer<typeof BackendHealthSchema>;

// ---- callback events (Standard Webhooks; the body is {type, timestamp, data}) ----

export const SamplesChunkDataSchema = z.object({
  job_id: z.string().min(1),
  checkpoint: z.string(),
  /** Counts from 0. */
  seq: z.number().int().min(0),
  completions: z.array(CompletionSchema),
  /** True on the last chunk, which may be empty. */
  final: z.boolean(),
});

export const SamplesCompletedDataSchema = z.object({
  job_id: z.string().min(1),
  checkpoint: z.string(),
  /** Completions in all. */
  completions: z.number().int().min(0),
  chunks: z.number().int().min(0),
});

export const SamplesFailedDataSchema = z.object({
  job_id: z.string().min(1),
  checkpoint: z.string(),
  error: JobErrorSchema,
  /** Completions delivered before the failure. */
  completions: z.number().int().min(0),
});

export const MergeCompletedDataSchema = z.object({ job_id: z.string().min(1), output: MergeOutputSchema });
export const MergeFailedDataSchema = z.object({ job_id: z.string().min(1), error: JobErrorSchema });

const event = <T extends string, D extends z.ZodType>(type: T, data: D) => z.object({ type: z.literal(type), timestamp: z.string(), data });

export const BackendEventSchema = z.discriminatedUnion("type", [
  event("samples.chunk", SamplesChunkDataSchema),
  event("samples.completed", SamplesCompletedDataSchema),
  event("samples.failed", SamplesFailedDataSchema),
  event("merge.completed", MergeCompletedDataSchema),
  event("merge.failed", MergeFailedDataSchema),
]);
export type BackendEvent = z.infer<typeof BackendEventSchema>;
export type BackendEventType = BackendEvent["type"];
/** The `data` of one event type. */
export type BackendEventData<T extends BackendEventType> = Extract<BackendEvent, { type: T }>["data"];
