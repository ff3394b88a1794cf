// Queue message bodies. Every consumer parses with these schemas: a body that does not parse is
// logged and acknowledged (retrying it could never succeed).
import { z } from "zod";
import { LANGUAGES } from "@frontier/contracts";

/**
 * Every `sampling` message may carry `failures`: the consecutive transient failures (backend down,
 * 5xx, timeouts) behind it. The consumer re-sends a failed message with the count raised and gives
 * up at MAX_TRANSIENT_FAILURES (src/queue/retry-policy.ts); a fresh message starts at 0 (absent).
 */
const Resent = { failures: z.number().int().min(0).optional() };

/** `sampling` queue: start or poll a backend sampling job, start or poll a merge job. */
export const SamplingMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("evaluation.start"), evaluation_id: z.string(), ...Resent }),
  /** `delay`: the seconds this poll waited, doubled while nothing new arrives. */
  z.object({ type: z.literal("evaluation.poll"), evaluation_id: z.string(), delay: z.number().min(0).default(1), ...Resent }),
  z.object({ type: z.literal("merge.start"), merge_id: z.string(), position: z.number().int().min(0), ...Resent }),
  z.object({ type: z.literal("merge.poll"), merge_id: z.string(), position: z.number().int().min(0), delay: z.number().min(0).default(1), ...Resent }),
  /** An evaluation of a paired runs' grid finished: compute the pair's ensembles once a track's evaluations are all complete. */
  z.object({ type: z.literal("pair.ensembles"), merge_id: z.string(), ...Resent }),
]);
export type SamplingMessage = z.infer<typeof SamplingMessageSchema>;

/**
 * `executions` queue: code of one problem of one evaluation to judge. Identical programs share one
 * submission (`samples` lists every sample index it stands for). Never carries tests.
 */
export const JudgeMessageSchema = z.object({
  type: z.literal("judge"),
  evaluation_id: z.string(),
  benchmark: z.string(),
  pack: z.string(),
  version: z.string(),
  problem_id: z.string(),
  /** When the executor first failed this message's programs (ISO 8601); absent on a fresh message. */
  first_failure_at: z.string().optional(),
  /** Consecutive executor failures behind this message (re-sends, not queue retries). */
  failures: z.number().int().min(0).optional(),
  submissions: z
    .array(
      z.object({
        key: z.string(),
        language: z.enum(LANGUAGES),
        code: z.string(),
        samples: z.array(z.number().int().min(0)).min(1),
      }),
    )
    .min(1),
});
export type JudgeMessage = z.infer<typeof JudgeMessageSchema>;

/** Cloudflare Queues accept messages up to 128 KB; leave room for the JSON envelope. */
export const MAX_MESSAGE_BYTES = 120 * 1024;

/**
 * `webhooks` queue: one outbound delivery (services/webhooks.ts). `generation` is the delivery's at
 * the time of sending: a manual redelivery bumps it, so a stale message is dropped.
 */
export const WebhookMessageSchema = z.object({
  type: z.literal("webhook.deliver"),
  delivery_id: z.string(),
  generation: z.number().int().min(0),
});
export type WebhookMessage = z.infer<typeof WebhookMessageSchema>;
