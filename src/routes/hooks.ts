// POST /v1/hooks/training-runs: a training job reports checkpoints and the end of a run, signed
// per Standard Webhooks. The signature covers the exact body bytes, so the body is read raw here
// rather than through the JSON validator.
import { buildFinishedPairs } from "../services/run-pairs.ts";
import { createRoute, z } from "@hono/zod-openapi";
import { fieldErrors, ProblemError, problemResponses, validationProblem } from "@frontier/http";
import { checkpointJson, finishRunStatement, saveWebhookCheckpoint } from "../db/checkpoints.ts";
import { findDelivery, insertDeliveryStatement } from "../db/webhooks.ts";
import { verifyWebhook, webhookSigner } from "../domain/webhooks.ts";
import { acceptedCheckpointUrl, CheckpointFields, RunName } from "../http/checkpoint-input.ts";
import type { App } from "../http/env.ts";
import { Checkpoint } from "../http/schemas.ts";
import type { Ports } from "../ports.ts";
import { pinForRegistration } from "../services/revisions.ts";
import { DEFAULT_TEAM } from "../db/schema/index.ts";
import { recordWrite } from "../services/access.ts";
import { evaluateUnderPolicy } from "../services/run-policies.ts";
import { liveSigners } from "../services/webhook-secrets.ts";
import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";

export const TRAINING_RUN_EVENTS = ["checkpoint.saved", "run.finished"] as const;

// Senders may add fields over time: unknown keys are ignored rather than rejected.
const Envelope = z.object({
  type: z.string().min(1).max(100),
  timestamp: z.iso.datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
});
const CheckpointSaved = z.object(CheckpointFields).required({ step: true });
const RunFinished = z.object({ run: RunName });

const TrainingRunEvent = z
  .object({
    type: z.enum(TRAINING_RUN_EVENTS),
    timestamp: z.string().openapi({ example: "2026-05-01T12:00:00Z" }),
    data: z.union([CheckpointSaved, RunFinished]),
  })
  .openapi("TrainingRunEvent");

const Receipt = z
  .object({
    webhook_id: z.string(),
    type: z.string(),
    duplicate: z.boolean(),
    checkpoint: Checkpoint.optional(),
    run: z.string().optional(),
    evaluations: z.array(z.string()).optional().openapi({ description: "Evaluations the run's policy started for this event (none on a replay)" }),
    merges: z
      .array(z.string())
      .optional()
      .openapi({ description: "run.finished: merge grids of declared pairs built now that both runs finished (none on a replay)" }),
  })
  .openapi("WebhookReceipt");

const teamRoute = createRoute({
  method: "post",
  path: "/v1/hooks/{team}/training-runs",
  tags: ["hooks"],
  summary: "A team's training-run events (Standard Webhooks, the team's own secret)",
  description:
    "As POST /v1/hooks/training-runs, signed with one of the team's secrets (`POST /v1/webhook-secrets`; during a rotation " +
    "the previous secret verifies until it expires). A run name is unique within the team. Another team's signature, an " +
    "unknown team or a team without secrets is a 401.",
  request: {
    params: z.object({ team: z.string().min(1).max(64) }),
    headers: z.object({ "webhook-id": z.string(), "webhook-timestamp": z.string(), "webhook-signature": z.string() }).partial(),
    body: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/TrainingRunEvent" } } } },
  },
  responses: {
    200: { description: "Accepted (or a replay, acknowledged)", content: { "application/json": { schema: Receipt } } },
    ...problemResponses(400, 401, 413, 415, 422),
  },
});

const route = createRoute({
  method: "post",
  path: "/v1/hooks/training-runs",
  tags: ["hooks"],
  summary: "Training-run events (Standard Webhooks)",
  description:
    "The default team's endpoint (`/v1/hooks/{team}/training-runs` is every team's). Signed per Standard Webhooks with the `WEBHOOK_SECRET` (`whsec_…`) or one of the default team's secrets: `webhook-signature` may list several " +
    "space-separated `v1,<sig>` values during a key rotation; timestamps more than 5 minutes off are refused; " +
    "a repeated `webhook-id` is acknowledged (`duplicate: true`) without a second effect. Events: " +
    "`checkpoint.saved` `{run, step, url, label?, metadata?}` registers a checkpoint, once per run, step and url (a retry " +
    "under a new `webhook-id` gets that checkpoint back, `duplicate: true`); `run.finished` `{run}` marks the run and builds the grid of every pair (`POST /v1/runs/{run}/pairs`) whose two runs have now finished (listed in `merges`). With a run policy (`PUT /v1/runs/{run}/policy`) a `checkpoint.saved` starts " +
    "its evaluations on the policy's tracks (listed in `evaluations`; a replay or retry starts none).",
  request: {
    headers: z.object({ "webhook-id": z.string(), "webhook-timestamp": z.string(), "webhook-signature": z.string() }).partial(),
    // A plain reference (not a zod schema) so the validator leaves the raw body alone for the signature.
    body: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/TrainingRunEvent" } } } },
  },
  responses: {
    200: { description: "Accepted (or a replay, acknowledged)", content: { "application/json": { schema: Receipt } } },
    ...problemResponses(400, 401, 413, 415, 422, 503),
  },
});

export function mountTrainingRunHooks(app: App, ports: Ports) {
  app.openAPIRegistry.register("TrainingRunEvent", TrainingRunEvent);
  const envSigner = ports.config.WEBHOOK_SECRET ? safeSigner(ports.config.WEBHOOK_SECRET) : undefined;

  app.openapi(route, async (c) => {
    const signers = await liveSigners(ports.db, DEFAULT_TEAM, ports.clock.now(), ports.config.SECRETS_KEY);
    if (envSigner) signers.unshift({ id: "env", signer: envSigner });
    if (signers.length === 0) {
      throw new ProblemError({ status: 503, type: "unavailable", title: "Webhooks not configured", detail: "WEBHOOK_SECRET is not set to a whsec_ secret" });
    }
    return handleEvent(c, ports, DEFAULT_TEAM, signers);
  });

  app.openapi(teamRoute, async (c) => {
    const { team } = c.req.valid("param");
    const signers = await liveSigners(ports.db, team, ports.clock.now(), ports.config.SECRETS_KEY);
    if (team === DEFAULT_TEAM && envSigner) signers.unshift({ id: "env", signer: envSigner });
    return handleEvent(c, ports, team, signers);
  });
}

type Signer = { id: string; signer: ReturnType<typeof webhookSigner> };

async function handleEvent(c: Context<AppEnv>, ports: Ports, teamId: string, signers: Signer[]) {
  const body = await c.req.text();
  const headers = {
    "webhook-id": c.req.header("webhook-id"),
    "webhook-timestamp": c.req.header("webhook-timestamp"),
    "webhook-signature": c.req.header("webhook-signature"),
  };
  // Any live secret of the team verifies (a rotation overlaps two); no secret at all fails as a bad signature.
  let verdict: ReturnType<typeof verifyWebhook> = { ok: false, reason: "bad-signature" };
  let signedBy = "";
  for (const candidate of signers) {
    verdict = verifyWebhook(candidate.signer, headers, body, ports.clock.now());
    if (verdict.ok || verdict.reason !== "bad-signature") {
      signedBy = candidate.id;
      break;
    }
  }
  if (!verdict.ok) {
    const detail = {
      "missing-headers": "webhook-id, webhook-timestamp and webhook-signature are all required",
      "bad-timestamp": "webhook-timestamp must be integer seconds since the epoch",
      stale: "webhook-timestamp is more than 5 minutes from the server's clock",
      "bad-signature": "no v1 signature in webhook-signature matches this body",
    }[verdict.reason];
    throw new ProblemError({ status: 401, type: "invalid-signature", title: "Webhook did not verify", detail });
  }

  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    throw new ProblemError({ status: 400, type: "malformed-json", title: "Malformed JSON", detail: "the webhook body is not JSON" });
  }
  const previous = await findDelivery(ports.db, verdict.id, teamId);
  if (previous) return c.json(receiptFor(verdict.id, previous.type, true, previous.run ?? undefined), 200);

  const envelope = Envelope.safeParse(payload);
  if (!envelope.success) throw new ProblemError(validationProblem(fieldErrors(envelope.error.issues)));
  const { type, data } = envelope.data;
  const now = ports.clock.now();
  const receivedAt = now.toISOString();

  try {
    if (type === "checkpoint.saved") {
      const parsed = CheckpointSaved.safeParse(data);
      if (!parsed.success) throw new ProblemError(validationProblem(prefixed("data", fieldErrors(parsed.error.issues))));
      const url = acceptedCheckpointUrl(parsed.data.url, ports.config, "data.url");
      // A retry under a new webhook-id (same run, step and url) gets the first delivery's checkpoint.
      const pin = await pinForRegistration(ports, url, "data.url");
      const { row, duplicate } = await saveWebhookCheckpoint(ports.db, { id: verdict.id, type, receivedAt }, { ...parsed.data, url, pin, teamId }, now);
      if (!duplicate) await recordWrite(ports, { teamId, actor: `webhook:${signedBy}`, method: "POST", path: c.req.path, status: 200 });
      // Continuous evaluation: the run's policy (if any) evaluates the checkpoint on its tracks, once per track.
      const evaluations = await evaluateUnderPolicy(ports, row);
      return c.json({ ...receiptFor(verdict.id, type, duplicate, row.run), checkpoint: checkpointJson(row), evaluations }, 200);
    }
    if (type === "run.finished") {
      const parsed = RunFinished.safeParse(data);
      if (!parsed.success) throw new ProblemError(validationProblem(prefixed("data", fieldErrors(parsed.error.issues))));
      await ports.db.batch([
        insertDeliveryStatement(ports.db, { teamId, id: verdict.id, type, receivedAt, checkpointId: null, run: parsed.data.run }),
        finishRunStatement(ports.db, parsed.data.run, now, teamId),
      ]);
      await recordWrite(ports, { teamId, actor: `webhook:${signedBy}`, method: "POST", path: c.req.path, status: 200 });
      // Paired runs: the grid between the two final checkpoints, once both have finished (built once).
      const merges = await buildFinishedPairs(ports, parsed.data.run, teamId);
      return c.json({ ...receiptFor(verdict.id, type, false, parsed.data.run), merges }, 200);
    }
  } catch (error) {
    // Two deliveries of one id racing: the loser's batch fails on the delivery's primary key.
    if (!(error instanceof ProblemError)) {
      const raced = await findDelivery(ports.db, verdict.id, teamId);
      if (raced) return c.json(receiptFor(verdict.id, raced.type, true, raced.run ?? undefined), 200);
    }
    throw error;
  }
  throw new ProblemError({
    status: 422,
    type: "unknown-event",
    title: "Unknown event type",
    detail: `'${type}' is not one of ${TRAINING_RUN_EVENTS.join(", ")}`,
    errors: [{ path: "type", message: `expected one of ${TRAINING_RUN_EVENTS.join(", ")}` }],
  });
}

function receiptFor(id: string, type: string, duplicate: boolean, run?: string) {
  return { webhook_id: id, type, duplicate, ...(run !== undefined ? { run } : {}) };
}

function prefixed(prefix: string, errors: { path: string; message: string }[]) {
  return errors.map((e) => ({ ...e, path: `${prefix}.${e.path}` }));
}

function safeSigner(secret: string) {
  try {
    return webhookSigner(secret);
  } catch (error) {
    console.error("WEBHOOK_SECRET is not a whsec_<base64> secret; the training-run hook answers 503", error);
    return undefined;
  }
}
