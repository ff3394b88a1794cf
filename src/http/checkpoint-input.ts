// What a client may send about a checkpoint, shared by POST /v1/checkpoints and the training-run
// webhook's `checkpoint.saved` event.
import { ProblemError, validationProblem } from "@frontier/http";
import { z } from "@hono/zod-openapi";
import { checkCheckpointUrl } from "@frontier/url-policy";
import type { Config } from "../ports.ts";

export const RunName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@+/-]*$/, "run names start with a letter or digit and use letters, digits and . _ : @ + / -")
  .openapi({ example: "lowcov-7b" });

const MAX_METADATA_BYTES = 16 * 1024;
export const Metadata = z
  .record(z.string(), z.unknown())
  .refine((value) => JSON.stringify(value).length <= MAX_METADATA_BYTES, `metadata is limited to ${MAX_METADATA_BYTES} bytes of JSON`)
  .openapi({ example: { coverage: "low", tests_per_problem: 3 } });

export const CheckpointFields = {
  url: z.string().max(2048).openapi({ example: "hf://acme/coder-7b-lowcov@step-2000" }),
  run: RunName,
  step: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  label: z.string().max(200).optional().openapi({ example: "low-coverage" }),
  metadata: Metadata.optional(),
};

/** Throws the 422 naming `path` when the URL is not one the service accepts. */
export function acceptedCheckpointUrl(url: string, config: Config, path: string): string {
  const check = checkCheckpointUrl(url, { allowFileUrls: config.ALLOW_FILE_URLS });
  if (!check.ok) throw new ProblemError(validationProblem([{ path, message: `checkpoint URL ${check.reason}` }]));
  return check.url;
}
