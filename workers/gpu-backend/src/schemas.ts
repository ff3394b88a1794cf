// Request and response schemas: the validators of the routes and the source of /openapi.json.
import { z } from "@hono/zod-openapi";
import { OUTPUT_DTYPES } from "./merge/engine.ts";

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const httpUrl = z.string().url().refine((value) => /^https?:\/\//.test(value), "must be an http(s) URL");

export const JobErrorSchema = z.object({ title: z.string(), detail: z.string(), code: z.string().optional() }).openapi("JobError");
export const CallbackStatusSchema = z
  .object({ url: z.string(), delivered: z.number().int(), pending: z.number().int(), error: z.string().nullable() })
  .openapi("CallbackStatus");
export const JobStatusSchema = z.enum(["queued", "running", "succeeded", "failed"]);

export const MergeRequestSchema = z
  .object({
    parents: z
      .array(
        z.object({
          url: z.string().min(1).openapi({ description: "file://, path, https://, hf://owner/repo[@rev][/path] or s3://bucket/key: a .safetensors file, an index, or a folder" }),
          coefficient: z.number().finite(),
        }),
      )
      .min(1)
      .max(64),
    out_dtype: z.enum(OUTPUT_DTYPES).optional().openapi({ description: "dtype of float tensors in the output; default the parents'" }),
    shard_size: z.number().int().positive().optional().openapi({ description: "re-shard to at most this many bytes per shard; default: shard like the first parent" }),
    allow_non_affine: z.boolean().optional().openapi({ description: "allow coefficients that do not sum to 1" }),
    callback: httpUrl.optional(),
  })
  .openapi("MergeRequest");

export const OutputFileSchema = z.object({ name: z.string(), bytes: z.number().int(), sha256: z.string() });

export const MergeJobSchema = z
  .object({
    id: z.string(),
    status: JobStatusSchema,
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    request: MergeRequestSchema,
    output: z.object({ url: z.string(), bytes: z.number().int(), tensors: z.number().int(), files: z.array(OutputFileSchema) }).nullable(),
    error: JobErrorSchema.nullable(),
    callback: CallbackStatusSchema.nullable(),
  })
  .openapi("MergeJob");

export const SamplesRequestSchema = z
  .object({
    checkpoint: z.string().min(1),
    problems: z.array(z.object({ id: z.string().min(1), prompt: z.string() })).min(1).max(10_000),
    n: z.number().int().min(1).max(1024),
    temperature: z.number().min(0).max(10),
    top_p: z.number().gt(0).max(1),
    max_tokens: z.number().int().min(1).max(1_000_000),
    seed: z.number().int().min(0).max(2 ** 53 - 1),
    stop: z.array(z.string()).max(16).optional(),
    callback: httpUrl.optional(),
  })
  .openapi("SamplesRequest");

export const CompletionSchema = z
  .object({
    problem_id: z.string(),
    index: z.number().int(),
    text: z.string(),
    finish_reason: z.enum(["stop", "length", "error"]),
    tokens: z.number().int().optional(),
  })
  .openapi("Completion");

export const SampleJobSchema = z
  .object({
    id: z.string(),
    status: JobStatusSchema,
    created_at: z.string(),
    finished_at: z.string().nullable(),
    checkpoint: z.string(),
    expected: z.number().int(),
    produced: z.number().int(),
    error: JobErrorSchema.nullable(),
    callback: CallbackStatusSchema.nullable(),
  })
  .openapi("SampleJob");

export const SamplePageSchema = SampleJobSchema.extend({
  completions: z.array(CompletionSchema),
  next_cursor: z.number().int().nullable().openapi({ description: "where to continue; null once the job has finished and every completion was returned" }),
}).openapi("SamplePage");

export const JobIdParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });

export const problemResponses = {
  401: { description: "missing or wrong bearer token", content: { "application/problem+json": { schema: ProblemSchema } } },
  404: { description: "no such job", content: { "application/problem+json": { schema: ProblemSchema } } },
  422: { description: "invalid request", content: { "application/problem+json": { schema: ProblemSchema } } },
} as const;
