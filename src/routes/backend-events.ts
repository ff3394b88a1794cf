// POST /v1/backend/events: the GPU backend's signed callbacks (sample chunks, job ends, merge
// results). Verified per Standard Webhooks over the raw body before anything is parsed or written.
import { createRoute, z } from "@hono/zod-openapi";
import { BackendEventSchema } from "@frontier/contracts";
import { fieldErrors, ProblemError, problemResponses, validationProblem } from "@frontier/http";
import { verifyWebhook, webhookSigner } from "../domain/webhooks.ts";
import type { App } from "../http/env.ts";
import type { Ports } from "../ports.ts";
import { handleBackendEvent } from "../services/backend-events.ts";

const Receipt = z
  .object({ webhook_id: z.string(), type: z.string(), duplicate: z.boolean(), accepted: z.number().int().optional(), ignored: z.number().int().optional() })
  .openapi("BackendEventReceipt");

const route = createRoute({
  method: "post",
  path: "/v1/backend/events",
  tags: ["backend"],
  summary: "Callbacks from the GPU backend (Standard Webhooks)",
  description:
    "Signed with `BACKEND_WEBHOOK_SECRET`. Events: `samples.chunk`, `samples.completed`, `samples.failed`, `merge.completed`, " +
    "`merge.failed` (see workers/gpu-backend/README.md). A bad or missing signature is a 401 and nothing is written; a " +
    "repeated `webhook-id` is acknowledged with `duplicate: true` and changes nothing; an unknown job is a 404 (the " +
    "backend retries, which covers a callback that overtakes the job's registration).",
  request: {
    headers: z.object({ "webhook-id": z.string(), "webhook-timestamp": z.string(), "webhook-signature": z.string() }).partial(),
    body: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/BackendEvent" } } } },
  },
  responses: {
    200: { description: "Applied, or a replay acknowledged", content: { "application/json": { schema: Receipt } } },
    ...problemResponses(400, 401, 404, 413, 415, 422, 503),
  },
});

export function mountBackendEvents(app: App, ports: Ports) {
  app.openAPIRegistry.register("BackendEvent", BackendEventSchema.clone().openapi("BackendEvent"));
  let signer: ReturnType<typeof webhookSigner> | undefined;
  try {
    signer = ports.config.BACKEND_WEBHOOK_SECRET ? webhookSigner(ports.config.BACKEND_WEBHOOK_SECRET) : undefined;
  } catch (error) {
    console.error("BACKEND_WEBHOOK_SECRET is not a whsec_<base64> secret; backend callbacks answer 503", error);
  }

  app.openapi(route, async (c) => {
    if (!signer) {
      throw new ProblemError({
        status: 503,
        type: "unavailable",
        title: "Backend callbacks not configured",
        detail: "BACKEND_WEBHOOK_SECRET is not set to a whsec_ secret",
      });
    }
    const body = await c.req.text();
    const verdict = verifyWebhook(
      signer,
      {
        "webhook-id": c.req.header("webhook-id"),
        "webhook-timestamp": c.req.header("webhook-timestamp"),
        "webhook-signature": c.req.header("webhook-signature"),
      },
      body,
      ports.clock.now(),
    );
    if (!verdict.ok) {
      throw new ProblemError({ status: 401, type: "invalid-signature", title: "Callback did not verify", detail: `signature check failed: ${verdict.reason}` });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      throw new ProblemError({ status: 400, type: "malformed-json", title: "Malformed JSON", detail: "the callback body is not JSON" });
    }
    const event = BackendEventSchema.safeParse(payload);
    if (!event.success) throw new ProblemError(validationProblem(fieldErrors(event.error.issues)));
    return c.json(await handleBackendEvent(ports, verdict.id, event.data), 200);
  });
}
