// Cloudflare Queues semantics on a Deno KV queue (enqueue/listenQueue): producers send JSON
// bodies, deliveries are gathered into batches per consumer (max batch size / batch timeout), and
// a consumer's verdict on each message — ack(), retry(), or throwing for the batch — decides
// redelivery after the retry delay, up to max retries, then the dead-letter queue.
import type { QueueMessage, Queues } from "../../ports.ts";
import type { ConsumerSettings, QueueTopology } from "../../queue/retry-policy.ts";

/** What travels through KV for one message. */
export interface QueueEnvelope {
  queue: string;
  id: string;
  /** The JSON body; null when it is too large for a KV message and kept in `bodyChunks` entries. */
  body: unknown;
  /** How many BODY_PREFIX entries hold the body's JSON text (absent when the body is inline). */
  bodyChunks?: number;
  /** Deliveries that ended in a retry so far (0 when first enqueued). */
  failedAttempts: number;
  /** When the message was first sent (ms since the epoch). */
  timestamp: number;
}

/** One batch for one deployed queue, as the dispatcher receives it. */
export interface KvQueueBatch {
  queue: string;
  messages: readonly QueueMessage[];
}

/** Where messages nobody consumes wait: dead letters when the dead-letter queue has no consumer. */
export const HELD_PREFIX = ["frontier-queue", "held"] as const;

/** Large bodies (Workers allow 128 KB, a KV message 64 KiB) are stored beside the message in chunks. */
export const BODY_PREFIX = ["frontier-queue", "body"] as const;
const INLINE_BODY_BYTES = 48 * 1024;
const BODY_CHUNK_BYTES = 60 * 1024;

/** Cloudflare caps a sendBatch at 100 messages and 256 KB, which fits one KV atomic operation (800 KiB). */
const SEND_BATCH_LIMIT = 100;
const ATOMIC_BYTES_BUDGET = 640 * 1024;

export function kvQueueProducer(kv: Deno.Kv, producers: QueueTopology["producers"]): Queues {
  return {
    async send(queue, body, options) {
      const operation = kv.atomic();
      addMessage(operation, producers[queue], body, options?.delaySeconds);
      await commit(operation, `queue ${producers[queue]}: send`);
    },
    async sendBatch(queue, bodies, options) {
      let operation = kv.atomic();
      let messages = 0;
      let bytes = 0;
      for (const body of bodies) {
        const size = addMessage(operation, producers[queue], body, options?.delaySeconds);
        messages++;
        bytes += size;
        if (messages >= SEND_BATCH_LIMIT || bytes >= ATOMIC_BYTES_BUDGET) {
          await commit(operation, `queue ${producers[queue]}: sendBatch`);
          [operation, messages, bytes] = [kv.atomic(), 0, 0];
        }
      }
      if (messages > 0) await commit(operation, `queue ${producers[queue]}: sendBatch`);
    },
  };
}

/** Adds one new message to an atomic operation; returns roughly how many bytes it adds. */
function addMessage(operation: Deno.AtomicOperation, queue: string, body: unknown, delaySeconds?: number): number {
  // Bodies travel as JSON, as with `contentType: "json"` on Workers: Dates become strings, and so on.
  const text = JSON.stringify(body);
  if (text === undefined) throw new TypeError("queue message body must be JSON-serialisable");
  const bytes = new TextEncoder().encode(text);
  const envelope: QueueEnvelope = { queue, id: messageId(), body: null, failedAttempts: 0, timestamp: Date.now() };
  if (bytes.length <= INLINE_BODY_BYTES) {
    envelope.body = JSON.parse(text);
  } else {
    envelope.bodyChunks = Math.ceil(bytes.length / BODY_CHUNK_BYTES);
    for (let i = 0; i < envelope.bodyChunks; i++) {
      operation.set([...BODY_PREFIX, envelope.id, i], bytes.subarray(i * BODY_CHUNK_BYTES, (i + 1) * BODY_CHUNK_BYTES));
    }
  }
  operation.enqueue(envelope, enqueueOptions(envelope, delaySeconds));
  return bytes.length + 256;
}

/** The message's body, read back from its chunks when it was too large to travel inline. */
async function bodyOf(kv: Deno.Kv, envelope: QueueEnvelope): Promise<unknown> {
  if (!envelope.bodyChunks) return envelope.body;
  const chunks: Uint8Array[] = [];
  for await (const entry of kv.list<Uint8Array>({ prefix: [...BODY_PREFIX, envelope.id] })) chunks.push(entry.value);
  if (chunks.length !== envelope.bodyChunks) throw new Error(`queue ${envelope.queue}: body of message ${envelope.id} is missing`);
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return JSON.parse(new TextDecoder().decode(bytes));
}

function forgetBody(operation: Deno.AtomicOperation, envelope: QueueEnvelope): void {
  for (let i = 0; i < (envelope.bodyChunks ?? 0); i++) operation.delete([...BODY_PREFIX, envelope.id, i]);
}

async function commit(operation: Deno.AtomicOperation, what: string): Promise<void> {
  if (!(await operation.commit()).ok) throw new Error(`${what} was not committed`);
}

export interface KvQueueListener {
  /** Stops batching; messages not yet handled are redelivered by KV on the next start. */
  close(): void;
}

export function listenKvQueues(
  kv: Deno.Kv,
  options: {
    consumers: QueueTopology["consumers"];
    dispatch: (batch: KvQueueBatch) => Promise<void>;
    log?: Pick<Console, "error" | "warn">;
  },
): KvQueueListener {
  const log = options.log ?? console;
  const batchers = new Map<string, Batcher>();
  const batcher = (queue: string, settings: ConsumerSettings) => {
    let found = batchers.get(queue);
    if (!found) {
      found = new Batcher(settings, (envelopes) => handleBatch(kv, queue, settings, envelopes, options.dispatch, log));
      batchers.set(queue, found);
    }
    return found;
  };
  kv.listenQueue(async (value: unknown) => {
    if (!isEnvelope(value)) {
      log.error("queue: dropping a KV message that is not a queue envelope");
      return;
    }
    const settings = options.consumers[value.queue];
    if (!settings) {
      await kv.set([...HELD_PREFIX, value.queue, value.id], value);
      return;
    }
    // Resolves once the batch holding this message is handled and its retries are enqueued.
    await batcher(value.queue, settings).add(value);
  });
  return {
    close() {
      for (const found of batchers.values()) found.close();
    },
  };
}

/** Messages held on a queue without a consumer (e.g. a dead-letter queue), oldest first, bodies included. */
export async function heldMessages(kv: Deno.Kv, queue: string): Promise<QueueEnvelope[]> {
  const held: QueueEnvelope[] = [];
  for await (const entry of kv.list<QueueEnvelope>({ prefix: [...HELD_PREFIX, queue] })) {
    held.push({ ...entry.value, body: await bodyOf(kv, entry.value) });
  }
  return held.sort((a, b) => a.timestamp - b.timestamp);
}

type Pending = { envelope: QueueEnvelope; resolve: () => void; reject: (error: unknown) => void };

/** Gathers deliveries for one queue until the batch is full or its timeout passes. */
class Batcher {
  #pending: Pending[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(
    private readonly settings: ConsumerSettings,
    private readonly handle: (envelopes: QueueEnvelope[]) => Promise<void>,
  ) {}

  add(envelope: QueueEnvelope): Promise<void> {
    if (this.#closed) return new Promise(() => {}); // never acknowledged: KV redelivers after a restart
    return new Promise((resolve, reject) => {
      this.#pending.push({ envelope, resolve, reject });
      if (this.#pending.length >= this.settings.maxBatchSize) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.settings.maxBatchTimeoutSeconds * 1000);
    });
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#closed) return;
    const batch = this.#pending.splice(0, this.settings.maxBatchSize);
    if (this.#pending.length > 0) this.#timer = setTimeout(() => this.#flush(), this.settings.maxBatchTimeoutSeconds * 1000);
    if (batch.length === 0) return;
    this.handle(batch.map((item) => item.envelope)).then(
      () => {
        for (const item of batch) item.resolve();
      },
      (error) => {
        for (const item of batch) item.reject(error);
      },
    );
  }
}

type Verdict = { kind: "ack" } | { kind: "retry"; delaySeconds?: number };

async function handleBatch(
  kv: Deno.Kv,
  queue: string,
  settings: ConsumerSettings,
  envelopes: QueueEnvelope[],
  dispatch: (batch: KvQueueBatch) => Promise<void>,
  log: Pick<Console, "error" | "warn">,
): Promise<void> {
  const verdicts = new Map<string, Verdict>();
  // As on Workers, the first call on a message decides it; later ack()/retry() calls are ignored.
  const decide = (id: string, verdict: Verdict) => void (verdicts.has(id) || verdicts.set(id, verdict));
  const bodies = await Promise.all(envelopes.map((envelope) => bodyOf(kv, envelope)));
  const messages: QueueMessage[] = envelopes.map((envelope, i) => ({
    id: envelope.id,
    body: bodies[i],
    attempts: envelope.failedAttempts + 1,
    timestamp: new Date(envelope.timestamp),
    ack: () => decide(envelope.id, { kind: "ack" }),
    retry: (options?: { delaySeconds?: number }) => decide(envelope.id, { kind: "retry", delaySeconds: options?.delaySeconds }),
  }));

  let failed = false;
  try {
    await dispatch({ queue, messages });
  } catch (error) {
    // A throwing consumer retries every message it did not explicitly acknowledge.
    failed = true;
    log.error(`queue ${queue}: consumer failed on a batch of ${envelopes.length}:`, error);
  }

  const followUps = kv.atomic();
  let count = 0;
  for (const envelope of envelopes) {
    const verdict = verdicts.get(envelope.id);
    const retry = verdict?.kind === "retry" || (failed && verdict?.kind !== "ack");
    if (!retry) {
      if (envelope.bodyChunks) {
        forgetBody(followUps, envelope);
        count++;
      }
      continue;
    }
    const failedAttempts = envelope.failedAttempts + 1;
    if (failedAttempts <= settings.maxRetries) {
      const delaySeconds = (verdict?.kind === "retry" ? verdict.delaySeconds : undefined) ?? settings.retryDelaySeconds;
      const next = { ...envelope, failedAttempts };
      followUps.enqueue(next, enqueueOptions(next, delaySeconds));
      count++;
    } else if (settings.deadLetterQueue) {
      log.warn(`queue ${queue}: moving message ${envelope.id} to ${settings.deadLetterQueue} after ${failedAttempts} failed attempts`);
      const dead = { ...envelope, queue: settings.deadLetterQueue, failedAttempts: 0 };
      followUps.enqueue(dead, enqueueOptions(dead));
      count++;
    } else {
      log.warn(`queue ${queue}: dropped message ${envelope.id} after ${failedAttempts} failed attempts`);
      if (envelope.bodyChunks) {
        forgetBody(followUps, envelope);
        count++;
      }
    }
  }
  if (count > 0) await commit(followUps, `queue ${queue}: follow-ups of a batch`);
}

function enqueueOptions(envelope: QueueEnvelope, delaySeconds?: number) {
  return {
    delay: Math.max(0, Math.round((delaySeconds ?? 0) * 1000)),
    // Should KV itself give up delivering (our handler failing repeatedly), keep the message.
    keysIfUndelivered: [[...HELD_PREFIX, envelope.queue, envelope.id]],
  };
}

function messageId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function isEnvelope(value: unknown): value is QueueEnvelope {
  const candidate = value as QueueEnvelope;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.queue === "string" &&
    typeof candidate.id === "string" &&
    typeof candidate.failedAttempts === "number"
  );
}
