// Delivers callback events signed per Standard Webhooks, retrying with exponential backoff. The
// webhook-id stays the same across retries so the receiver can deduplicate.
// What is sent is typed by the contract (@frontier/contracts BackendEventSchema), which the edge
// validates it with.
import type { BackendEventData, BackendEventType, CallbackStatus } from "@frontier/contracts";
import { Webhook } from "standardwebhooks";

export interface CallbackOptions {
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export class CallbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CallbackError";
  }
}

export class CallbackSender {
  private readonly webhook: Webhook;
  private readonly fetch: typeof fetch;

  constructor(
    secret: string,
    private readonly options: CallbackOptions,
  ) {
    if (!secret.startsWith("whsec_")) throw new CallbackError("BACKEND_WEBHOOK_SECRET must be a whsec_<base64> secret");
    this.webhook = new Webhook(secret);
    this.fetch = options.fetch ?? fetch;
  }

  /** POSTs `{type, timestamp, data}` to `url`; resolves on a 2xx, throws after the last failed attempt. */
  async deliver<T extends BackendEventType>(url: string, id: string, type: T, data: BackendEventData<T>): Promise<void> {
    const event: { type: T; timestamp: string; data: BackendEventData<T> } = { type, timestamp: new Date().toISOString(), data };
    // Only the status of the answer is read: the edge's receipt body carries nothing the backend needs.
    const body = JSON.stringify(event);
    let lastError = "";
    for (let attempt = 0; attempt < this.options.maxAttempts; attempt++) {
      if (attempt > 0) {
        const delay = this.options.retryBaseMs * 2 ** (attempt - 1);
        await new Promise((resolve) => setTimeout(resolve, delay * (0.8 + Math.random() * 0.4)));
      }
      const now = new Date();
      const headers = {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": this.webhook.sign(id, now, body),
      };
      try {
        const response = await this.fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(this.options.timeoutMs) });
        // Read the (small) receipt to its end rather than cancelling it: a cancelled body closes the
        // connection while the edge is still writing, which workerd logs as "Broken pipe".
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        lastError = `HTTP ${response.status}`;
      } catch (error) {
        lastError = (error as Error).message;
      }
    }
    throw new CallbackError(`callback ${type} (${id}) to ${url} failed after ${this.options.maxAttempts} attempts: ${lastError}`);
  }
}

/** Events of one job go out one at a time, in order; after one is given up on, the rest are dropped. */
export class CallbackQueue {
  private chain: Promise<void> = Promise.resolve();
  delivered = 0;
  pending = 0;
  error?: string;

  constructor(
    private readonly sender: CallbackSender,
    readonly url: string,
  ) {}

  /** `onDelivered` runs once the receiver accepted the event (the durable store marks it sent). */
  enqueue<T extends BackendEventType>(id: string, type: T, data: BackendEventData<T>, onDelivered?: () => void): void {
    this.pending++;
    this.chain = this.chain.then(async () => {
      this.pending--;
      if (this.error) return;
      try {
        await this.sender.deliver(this.url, id, type, data);
        this.delivered++;
        onDelivered?.();
      } catch (error) {
        this.error = (error as Error).message;
      }
    });
  }

  /** Resolves when every queued event has been delivered or given up on. */
  drained(): Promise<void> {
    return this.chain;
  }

  status(): CallbackStatus {
    return { url: this.url, delivered: this.delivered, pending: this.pending, error: this.error ?? null };
  }
}
