// The operator's view (GET /v1/admin/status, POST /v1/admin/replay-dlq; `frontier admin`).
import { z } from "zod";

const Health = z.object({
  /** ok: answered 200; degraded: answered another status; unreachable: no answer (or not configured). */
  status: z.enum(["ok", "degraded", "unreachable"]),
  /** Milliseconds the health request took; null without an answer. */
  latency_ms: z.number().nonnegative().nullable(),
  /** The service's own health body, when it sent JSON. */
  detail: z.unknown().optional(),
  error: z.string().optional(),
});

export const AdminStatusSchema = z.object({
  time: z.string(),
  /**
   * Queue depths as the runtime exposes them. A Worker cannot read a Cloudflare queue's backlog
   * (that is the Cloudflare API's queue metrics), so `exposed` is false and the work pending is
   * counted from D1 instead: what each queue still has to do.
   */
  queues: z.object({
    exposed: z.boolean(),
    sampling: z.object({
      /** Evaluations queued or sampling. */
      evaluations: z.number().int().nonnegative(),
      /** Merge outputs still merging. */
      merges: z.number().int().nonnegative(),
    }),
    executions: z.object({
      /** Samples of unfinished evaluations with code and no verdict yet. */
      pending_samples: z.number().int().nonnegative(),
      /** Of them, sent to the executions queue. */
      dispatched: z.number().int().nonnegative(),
      oldest_pending_sample: z
        .object({
          evaluation: z.string(),
          problem: z.string(),
          index: z.number().int(),
          received_at: z.string(),
          age_seconds: z.number(),
        })
        .nullable(),
    }),
    dead_letters: z.object({
      /** Samples the executions dead-letter queue turned into SE. */
      samples: z.number().int().nonnegative(),
      /** complete_with_errors evaluations holding them: what POST /v1/admin/replay-dlq re-queues. */
      replayable_evaluations: z.number().int().nonnegative(),
      /** Evaluations failed by the sampling dead-letter queue (re-create them to retry). */
      failed_evaluations: z.number().int().nonnegative(),
    }),
  }),
  executor: Health,
  backend: Health,
});
export type AdminStatus = z.infer<typeof AdminStatusSchema>;

export const ReplayDlqSchema = z.object({
  /** Evaluations whose dead-lettered samples went back to the executions queue. */
  evaluations: z.array(z.object({ id: z.string(), requeued: z.number().int(), messages: z.number().int(), cached: z.number().int() })),
  requeued: z.number().int().nonnegative(),
});
export type ReplayDlq = z.infer<typeof ReplayDlqSchema>;
