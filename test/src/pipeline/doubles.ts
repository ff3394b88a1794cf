// Test doubles for what cannot run inside workerd — the executor (bubblewrap sandboxes) and the
// GPU backend — each answering exactly the HTTP contract in workers/*/README.md, plus a queue
// runtime double that redelivers retried messages and dead-letters them after max_retries, as
// Cloudflare Queues do. The real processes are exercised end to end in test/e2e.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import * as schema from "../../../src/db/schema/index.ts";
import { newApiKey, apiKeyInsertSql } from "../../../src/db/api-keys.ts";
import { buildManifest } from "@frontier/contracts";
import type { Problem } from "@frontier/contracts";
import type { Database, Ports, QueueName, Queues, ServiceClient } from "../../../src/ports.ts";
import { configFromVars } from "../../../src/ports.ts";
import { pipelineConsumers } from "../../../src/queue/consumers.ts";
import { dispatchQueueBatch } from "../../../src/queue/dispatch.ts";
import { QUEUE_TOPOLOGY } from "../../../src/queue/retry-policy.ts";
import { registrationFromPack } from "../../../src/services/benchmarks.ts";
import { r2CompletionStore } from "../../../src/runtime/workers.ts";

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const problemJson = (status: number, title: string) =>
  new Response(JSON.stringify({ type: "about:blank", title, status }), { status, headers: { "content-type": "application/problem+json" } });

/** Verdict a program gets from the fake executor: the marker `# verdict: XX` in its code, else WA. */
export function markedVerdict(code: string): string {
  return /#\s*verdict:\s*([A-Z]{2,3})/.exec(code)?.[1] ?? "WA";
}

export class FakeExecutor {
  calls: { problem_id: string; pack: string; pack_version: string; ids: string[] }[] = [];
  /** Programs judged, counted once per submission in each call. */
  submissions = 0;
  private failures: ("500" | "throw" | "SE" | "drop")[] = [];
  /** Requests that were lost (kind "drop"): never answered; the caller gave up on them. */
  dropped = 0;
  /** While this says so, every call fails with a transport error (an executor outage). */
  down: () => boolean = () => false;
  /**
   * Make the next calls fail: HTTP 500, a transport error, SE results, or "drop": the request is
   * lost on the way (the connection dropped) and no answer ever comes; only the caller's own
   * timeout (its abort signal) ends the wait.
   */
  failNext(...kinds: ("500" | "throw" | "SE" | "drop")[]) {
    this.failures.push(...kinds);
  }
  readonly client: ServiceClient = {
    fetch: async (path, init) => {
      if (path !== "/v1/judge" || init?.method !== "POST") return problemJson(404, "no route");
      if (this.down()) throw new TypeError("fetch failed: connection refused (executor down)");
      const failure = this.failures.shift();
      if (failure === "throw") throw new TypeError("fetch failed: connection refused");
      if (failure === "500") return problemJson(500, "executor crashed");
      if (failure === "drop") {
        this.dropped++;
        const signal = init.signal;
        return new Promise<Response>((_, reject) => {
          if (!signal) return; // a caller without a timeout waits forever: that is the bug this double shows
          const fail = () => reject(new DOMException("The operation was aborted", "AbortError"));
          if (signal.aborted) fail();
          else signal.addEventListener("abort", fail, { once: true });
        });
      }
      const body = JSON.parse(String(init.body));
      if (!body.pack || !body.problem_id || !Array.isArray(body.submissions)) return problemJson(400, "invalid body");
      this.calls.push({
        problem_id: body.problem_id,
        pack: body.pack,
        pack_version: body.pack_version,
        ids: body.submissions.map((s: { id: string }) => s.id),
      });
      this.submissions += body.submissions.length;
      const results = body.submissions.map((s: { id: string; code: string }) => {
        const verdict = failure === "SE" ? "SE" : markedVerdict(s.code);
        const passed = verdict === "AC" ? 3 : verdict === "TLE" ? 1 : 0;
        return {
          id: s.id,
          verdict,
          tiers_passed: passed,
          failure: verdict === "AC" ? null : { tier: passed, test: 0, verdict, time_ms: 5, message: verdict === "SE" ? "sandbox unavailable" : "mismatch" },
          time_ms: 5,
          memory_kb: 1024,
        };
      });
      return json(200, { problem_id: body.problem_id, pack_version: body.pack_version, results });
    },
  };
}

type Job = { id: string; request: any; completions: any[]; error?: { title: string; detail: string; code: string } };
type MergeJobState = { id: string; request: any; polls: number; fail?: string };

/** The GPU backend: sampling jobs finish at once with deterministic completions; merges after one poll. */
export class FakeBackend {
  jobs = new Map<string, Job>();
  merges = new Map<string, MergeJobState>();
  private failures: ("500" | "throw")[] = [];
  private sequence = 0;
  // Job ids are unique across instances: every test shares one D1 database.
  private readonly prefix = Math.random().toString(36).slice(2, 8);
  failMergesWith?: string;
  /** POST /v1/checkpoints/resolve: the revision each URL pins to (others: null, as for file://). */
  revisions = new Map<string, string>();
  /** While true, POST /v1/checkpoints/resolve fails with a transport error (the backend unreachable). */
  resolveDown = false;
  /** URLs the backend was asked to resolve, in order. */
  resolved: string[] = [];
  /** Merge jobs whose output was deleted (DELETE /v1/merges/:id/output), in order. */
  deletedOutputs: string[] = [];
  /** URLs the backend's URL policy refuses (422 from resolve). */
  refused = new Set<string>();
  constructor(readonly completionText: (checkpoint: string, problemId: string, index: number) => string) {}
  failNext(...kinds: ("500" | "throw")[]) {
    this.failures.push(...kinds);
  }
  readonly client: ServiceClient = {
    fetch: async (path, init) => {
      // Pins have their own switch: failNext() is about sampling and merge jobs.
      if (path === "/v1/checkpoints/resolve" && init?.method === "POST") {
        if (this.resolveDown) throw new TypeError("fetch failed: backend unreachable");
        const { url } = JSON.parse(String(init.body));
        this.resolved.push(url);
        if (this.refused.has(url)) return problemJson(422, "Checkpoint URL refused");
        const revision = this.revisions.get(url) ?? null;
        return json(200, { url, source: url.replace(/@[^/]+/, ""), revision });
      }
      const failure = this.failures.shift();
      if (failure === "throw") throw new TypeError("fetch failed: backend unreachable");
      if (failure === "500") return problemJson(500, "backend error");
      const url = new URL(path, "http://backend.test");
      const method = init?.method ?? "GET";
      if (url.pathname === "/v1/samples" && method === "POST") {
        const request = JSON.parse(String(init!.body));
        const id = `smp_${this.prefix}${++this.sequence}`;
        const completions = request.problems.flatMap((p: { id: string }) =>
          Array.from({ length: request.n }, (_, index) => ({
            problem_id: p.id,
            index,
            text: this.completionText(request.checkpoint, p.id, index),
            finish_reason: "stop",
            tokens: 10,
            sampled_from: { checkpoint: request.checkpoint, served_name: "double", dir: "/models/double", sha256: "ab".repeat(32), sampler: "double" },
            // tool and agentic settings: an episode of index + 1 turns (agentic) or index tool calls (tool).
            ...(request.setting && request.setting !== "reasoning"
              ? {
                  trajectory: {
                    setting: request.setting,
                    turns: request.setting === "agentic" ? index + 1 : 1,
                    tool_calls: request.setting === "tool" ? index : 0,
                    tokens: 10,
                    steps: [{ role: "assistant", content: this.completionText(request.checkpoint, p.id, index) }],
                  },
                }
              : {}),
          })),
        );
        // As the real backend: a source that moved off its pinned revision fails the job, nothing sampled.
        const current = this.revisions.get(request.checkpoint);
        const changed = request.revision !== undefined && current !== undefined && current !== request.revision;
        const error = changed
          ? {
              title: "Checkpoint changed since it was registered",
              detail: `the checkpoint changed since it was registered: pinned to ${request.revision}, the source is now at ${current}`,
              code: "revision_changed",
            }
          : undefined;
        this.jobs.set(id, { id, request, completions: changed ? [] : completions, error });
        return json(202, { id, status: "queued", checkpoint: request.checkpoint, expected: completions.length, produced: 0 });
      }
      let match = /^\/v1\/samples\/([^/]+)$/.exec(url.pathname);
      if (match && method === "GET") {
        const job = this.jobs.get(match[1]);
        if (!job) return problemJson(404, "no job");
        const cursor = Number(url.searchParams.get("cursor") ?? 0);
        const limit = Number(url.searchParams.get("limit") ?? 100);
        const page = job.completions.slice(cursor, cursor + limit);
        const next = cursor + page.length;
        return json(200, {
          id: job.id,
          status: job.error ? "failed" : "succeeded",
          checkpoint: job.request.checkpoint,
          expected: job.completions.length,
          produced: job.completions.length,
          completions: page,
          next_cursor: next >= job.completions.length ? null : next,
          error: job.error ?? null,
        });
      }
      if (url.pathname === "/v1/merges" && method === "POST") {
        const request = JSON.parse(String(init!.body));
        const id = `mrg_${this.prefix}${++this.sequence}`;
        this.merges.set(id, { id, request, polls: 0, fail: this.failMergesWith });
        return json(202, { id, status: "queued" });
      }
      match = /^\/v1\/merges\/([^/]+)\/output$/.exec(url.pathname);
      if (match && method === "DELETE") {
        this.deletedOutputs.push(match[1]!);
        return json(200, { id: match[1], removed: this.merges.has(match[1]!) ? 3 : 0 });
      }
      match = /^\/v1\/merges\/([^/]+)$/.exec(url.pathname);
      if (match && method === "GET") {
        const job = this.merges.get(match[1]);
        if (!job) return problemJson(404, "no merge");
        job.polls++;
        if (job.polls < 2) return json(200, { id: job.id, status: "running", output: null, error: null });
        if (job.fail)
          return json(200, { id: job.id, status: "failed", output: null, error: { title: "Merge failed", detail: job.fail, code: "shape_mismatch" } });
        return json(200, {
          id: job.id,
          status: "succeeded",
          output: {
            url: `file:///merged/${job.id}-${job.request.parents.map((p: { coefficient: number }) => p.coefficient).join("_")}/`,
            bytes: 1,
            tensors: 1,
            files: [],
          },
          error: null,
        });
      }
      return problemJson(404, "no route");
    },
  };
}

/** Queues port that records what is sent; `deliverAll` then plays the queue runtime. */
export class RecordingQueues implements Queues {
  pending: { queue: string; body: unknown; attempts: number; delaySeconds?: number }[] = [];
  sent: Record<string, unknown[]> = {};
  private seq = 0;
  async send(queue: QueueName, body: unknown, options?: { delaySeconds?: number }) {
    this.push(queue, body, options?.delaySeconds);
  }
  async sendBatch(queue: QueueName, bodies: unknown[], options?: { delaySeconds?: number }) {
    for (const body of bodies) this.push(queue, body, options?.delaySeconds);
  }
  push(queue: string, body: unknown, delaySeconds?: number, attempts = 1) {
    // Messages really travel as JSON: a body that does not survive a round trip would fail here.
    this.pending.push({ queue, body: JSON.parse(JSON.stringify(body)), attempts, delaySeconds });
    (this.sent[queue] ??= []).push(body);
  }
  take(queue?: string) {
    const taken = this.pending.filter((m) => !queue || m.queue === queue);
    this.pending = this.pending.filter((m) => !taken.includes(m));
    return taken.map((m) => ({ ...m, id: `msg-${++this.seq}` }));
  }
}

/** wrangler.toml's max_retries of a queue, from the retry policy. */
const maxRetries = (queue: string) => QUEUE_TOPOLOGY.development.consumers[`frontier-${queue}`].maxRetries;

/**
 * Delivers queued messages in batches (per queue, ≤ 10) until none is left: retried messages come
 * back with attempts + 1 (delays are not waited for), and after its queue's max_retries a message goes
 * to `<queue>-dlq`. Returns what happened, for assertions.
 */
/** A clock the test moves; `deliverAll` with `clock` moves it by each batch's longest delay. */
export class TestClock {
  constructor(public ms = Date.now()) {}
  now = () => new Date(this.ms);
  advance(seconds: number) {
    this.ms += seconds * 1000;
  }
}

export async function deliverAll(queues: RecordingQueues, ports: Ports, options: { only?: string; rounds?: number; clock?: TestClock } = {}) {
  const log = { batches: 0, retried: 0, deadLettered: 0 };
  for (let round = 0; round < (options.rounds ?? 200); round++) {
    const next = queues.pending.find((m) => !options.only || m.queue === options.only);
    if (!next) break;
    const taken = queues.take(next.queue);
    const messages = taken.slice(0, 10);
    queues.pending.unshift(...taken.slice(10));
    options.clock?.advance(Math.max(0, ...messages.map((m) => m.delaySeconds ?? 0)));
    // put back what did not fit in this batch
    const all = messages;
    const batch = createMessageBatch(
      `frontier-${next.queue}`,
      all.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts, body: m.body })),
    );
    const ctx = createExecutionContext();
    await dispatchQueueBatch(batch as any, ports, pipelineConsumers);
    const result = await getQueueResult(batch, ctx);
    log.batches++;
    const retried = new Set(result.retryMessages.map((m: { msgId: string }) => m.msgId));
    for (const m of all) {
      if (!retried.has(m.id) && !result.retryBatch.retry) continue;
      log.retried++;
      if (m.attempts > maxRetries(m.queue)) {
        if (!m.queue.endsWith("-dlq")) {
          log.deadLettered++;
          queues.push(`${m.queue}-dlq`, m.body);
        }
      } else queues.push(m.queue, m.body, undefined, m.attempts + 1);
    }
  }
  return log;
}

export interface TestStack {
  ports: Ports;
  queues: RecordingQueues;
  executor: FakeExecutor;
  backend: FakeBackend;
}

export const BACKEND_SECRET = "whsec_HbgWuNfEE4OHAcn+Vw7dlwZm1UMInj3T";

/** `completions: false`: keep completion text in D1 (as the Deno runtime does) instead of the R2 bucket the Worker binds. */
export function testStack(options: {
  completionText: (checkpoint: string, problemId: string, index: number) => string;
  callbacks?: boolean;
  completions?: boolean;
}): TestStack {
  const queues = new RecordingQueues();
  const executor = new FakeExecutor();
  const backend = new FakeBackend(options.completionText);
  const vars = env as unknown as Record<string, unknown>;
  const config = configFromVars({ ...vars, BACKEND_WEBHOOK_SECRET: BACKEND_SECRET, PUBLIC_URL: options.callbacks ? "https://frontier.test" : "" });
  const ports: Ports = {
    db: drizzle((env as any).DB, { schema }) as unknown as Database,
    queues,
    executor: executor.client,
    backend: backend.client,
    clock: { now: () => new Date() },
    config,
    rateLimit: { limit: async () => true },
    completions: options.completions === false ? undefined : r2CompletionStore((env as any).COMPLETIONS),
  };
  return { ports, queues, executor, backend };
}

/** A key of `team` (default: the deployment's default team; another team is created when missing). */
export async function apiKey(scopes: ("read" | "submit" | "admin" | "operator")[], team?: string): Promise<string> {
  const { key, row } = await newApiKey(scopes, "pipeline test", new Date(), team);
  if (team !== undefined) {
    await (env as any).DB.prepare("INSERT OR IGNORE INTO teams (id, name, created_at) VALUES (?, ?, ?)").bind(team, team, new Date().toISOString()).run();
  }
  await (env as any).DB.exec(apiKeyInsertSql(row));
  return key;
}

/** A small pack made here: stdin problems with three tiers. */
export async function makePack(name: string, ids: string[]) {
  const problems: Problem[] = ids.map((id) => ({
    id,
    title: `Problem ${id}`,
    statement: `Read a number and print it (${id} of ${name}).`,
    kind: "stdin",
    limits: { time_ms: 1000, memory_mb: 256 },
    checker: "tokens",
    tiers: ["small", "medium", "large"].map((tier, t) => ({ name: tier, tests: [{ input: `${t}\n`, output: `${t}\n` }] })),
  }));
  const { manifest } = await buildManifest(name, problems);
  return registrationFromPack(manifest, new Map(problems.map((p) => [p.id, p])));
}

let defaultTeamReadKey: string | undefined;
/** A GET as the default team, which owns what these tests create (reads are private to a team). */
export async function readAsTeam(app: { request: (input: string, init?: RequestInit) => Response | Promise<Response> }, path: string): Promise<Response> {
  defaultTeamReadKey ??= await apiKey(["read"]);
  return app.request(path, { headers: { authorization: `Bearer ${defaultTeamReadKey}` } });
}
