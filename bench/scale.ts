// The paper-size experiment, scaled to this machine: the edge path (the Worker, D1 and both Queues
// in-process through Miniflare's own API) under a load of evaluations, with a fast executor
// stand-in (an HTTP server answering the executor's judge contract at once) and the real GPU
// backend process with the demo sampler. It measures the edge, the queues and D1, not judging.
//   npx tsx bench/scale.ts [--problems 30] [--n 64] [--checkpoints 4] [--metrics-problems 200] [--metrics-n 500]
// Prints and writes bench/out/scale.json: samples/s sustained, D1 bytes per sample (file size
// growth of the local D1 database), the read + compute time of one evaluation's metrics at the run's
// size and (compute only, synthetic rows) at the paper's 200 problems × n = 500, the R2 bytes of the
// completion text (gzip objects), and the uncached leaderboard query time with every evaluation
// stored. docs/scale.md extrapolates from it.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { unstable_splitSqlQuery } from "wrangler";
import { PackManifestSchema, VERDICTS, type Verdict } from "@frontier/contracts";
import { apiKeyInsertSql, newApiKey } from "../src/db/api-keys.ts";
import type { VerdictRow } from "../src/domain/metrics/index.ts";
import { QUEUE_TOPOLOGY } from "../src/queue/retry-policy.ts";
import { registrationFromPack } from "../src/services/benchmarks.ts";
import { metricsFromRows, storedKs } from "../src/services/metrics.ts";
import { ROOT, startBackend, waitFor } from "../scripts/stack.ts";

const { values } = parseArgs({
  options: {
    problems: { type: "string", default: "30" },
    n: { type: "string", default: "64" },
    checkpoints: { type: "string", default: "4" },
    "metrics-problems": { type: "string", default: "200" },
    "metrics-n": { type: "string", default: "500" },
  },
});
const PROBLEMS = Number(values.problems);
const N = Number(values.n);
const CHECKPOINTS = Number(values.checkpoints);

const scratch = mkdtempSync(join(tmpdir(), "frontier-bench-scale-"));
const cleanups: (() => Promise<void> | void)[] = [];

/** The executor stand-in: the judge contract, a verdict drawn from the code's hash, no sandbox. */
function startFakeExecutor(): Promise<{ url: string; judged: () => number; server: Server }> {
  let judged = 0;
  const verdicts: Verdict[] = ["AC", "AC", "AC", "WA", "WA", "TLE", "MLE", "RE"];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (req.method === "GET") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "ok", sandbox: { available: true } }));
        return;
      }
      const request = JSON.parse(body);
      judged += request.submissions.length;
      const results = request.submissions.map((s: { id?: string; code: string }) => {
        const verdict = verdicts[createHash("sha256").update(s.code).digest()[0]! % verdicts.length]!;
        const passed = verdict === "AC" ? 3 : verdict === "WA" ? 0 : 1;
        return {
          id: s.id,
          verdict,
          tiers_passed: passed,
          failure: verdict === "AC" ? null : { tier: passed, test: 0, verdict, time_ms: 3 },
          time_ms: 3,
          memory_kb: 2048,
        };
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ problem_id: request.problem_id, pack_version: request.pack_version ?? null, results }));
    });
  });
  return new Promise((done) =>
    server.listen(0, "127.0.0.1", () => done({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, judged: () => judged, server })),
  );
}

/** The Worker bundled the way wrangler would (cloudflare:* left to workerd). */
async function bundleWorker(): Promise<string> {
  const outfile = join(scratch, "worker.mjs");
  await build({
    entryPoints: [join(ROOT, "src/runtime/workers.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*"],
    outfile,
    logLevel: "error",
  });
  return outfile;
}

function dirBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? dirBytes(full) : statSync(full).size;
  }
  return total;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** CPU and wall time of metricsFromRows on synthetic rows: problems × n samples. */
function metricsCost(problems: number, n: number) {
  const rows: VerdictRow[] = [];
  const verdicts = VERDICTS.filter((v) => v !== "SE");
  for (let p = 0; p < problems; p++) {
    for (let i = 0; i < n; i++)
      rows.push({ problem: `p${String(p).padStart(4, "0")}`, verdict: verdicts[(p * 7 + i * 13) % verdicts.length]!, tiers_passed: i % 4 });
  }
  const cpu = process.cpuUsage();
  const start = performance.now();
  metricsFromRows(rows, storedKs(n), 3);
  const used = process.cpuUsage(cpu);
  return { samples: rows.length, wall_ms: performance.now() - start, cpu_ms: (used.user + used.system) / 1000 };
}

async function main() {
  const executor = await startFakeExecutor();
  cleanups.push(() => new Promise<void>((done) => executor.server.close(() => done())));
  const backendToken = "bench-backend-token";
  const backend = await startBackend({ token: backendToken, mergeDir: join(scratch, "merges") });
  cleanups.push(() => backend.stop());

  const persist = join(scratch, "d1");
  const topology = QUEUE_TOPOLOGY.development;
  const consumer = (queue: string) => {
    const c = topology.consumers[queue]!;
    return {
      maxBatchSize: c.maxBatchSize,
      maxBatchTimeout: c.maxBatchTimeoutSeconds,
      maxRetries: c.maxRetries,
      retryDelay: c.retryDelaySeconds,
      ...(c.deadLetterQueue ? { deadLetterQueue: c.deadLetterQueue } : {}),
    };
  };
  const mf = new Miniflare({
    modules: true,
    scriptPath: await bundleWorker(),
    modulesRoot: scratch,
    compatibilityDate: /compatibility_date = "(.+)"/.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))![1],
    d1Databases: { DB: "frontier" },
    d1Persist: persist,
    // Completion text goes to R2 as in production (src/services/completion-store.ts); D1 keeps the rest.
    r2Buckets: { COMPLETIONS: "frontier-completions" },
    r2Persist: join(scratch, "r2"),
    queueProducers: { SAMPLING_QUEUE: { queueName: "frontier-sampling" }, EXECUTIONS_QUEUE: { queueName: "frontier-executions" } },
    queueConsumers: Object.fromEntries(Object.keys(topology.consumers).map((queue) => [queue, consumer(queue)])),
    bindings: {
      EXECUTOR_URL: executor.url,
      EXECUTOR_TOKEN: "unused",
      BACKEND_URL: backend.url,
      BACKEND_TOKEN: backendToken,
      ALLOW_FILE_URLS: "true",
      WRITE_LIMIT: "100000000",
    },
  });
  cleanups.push(() => mf.dispose());
  const db = await mf.getD1Database("DB");
  for (const name of readdirSync(join(ROOT, "migrations"))
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    for (const statement of unstable_splitSqlQuery(readFileSync(join(ROOT, "migrations", name), "utf8"))) await db.prepare(statement).run();
  }
  const { key, row } = await newApiKey(["operator"], "bench", new Date());
  await db.prepare(apiKeyInsertSql(row).replace(/;$/, "")).run();

  const api = async (path: string, body?: unknown) => {
    const res = await mf.dispatchFetch(`http://frontier.bench${path}`, {
      method: body ? "POST" : "GET",
      body: body ? JSON.stringify(body) : undefined,
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  };

  const packDir = join(ROOT, "packs", "bundled");
  const manifest = PackManifestSchema.parse(JSON.parse(readFileSync(join(packDir, "manifest.json"), "utf8")));
  const files = new Map(manifest.problems.map((p) => [p.id, JSON.parse(readFileSync(join(packDir, p.file), "utf8"))]));
  const benchmark = (await api("/v1/benchmarks", registrationFromPack(manifest, files, "bundled"))).id as string;
  const problems = manifest.problems.slice(0, PROBLEMS).map((p) => p.id);
  const bytesBefore = dirBytes(persist);

  const evaluations: string[] = [];
  const start = performance.now();
  for (let i = 0; i < CHECKPOINTS; i++) {
    const checkpoint = (await api("/v1/checkpoints", { url: `file://${join(ROOT, "packs/demo-policy/checkpoints/base")}`, run: "bench-scale", step: i + 1 }))
      .id;
    // A different seed per checkpoint, so programs differ and the verdict cache does not answer them all.
    evaluations.push((await api("/v1/evaluations", { checkpoint, benchmark, n: N, problems, seed: 1000 + i })).id);
  }
  let lastLog = 0;
  const done = await waitFor(
    async () => {
      const states = await Promise.all(evaluations.map((id) => api(`/v1/evaluations/${id}`)));
      const received = states.reduce((sum, e) => sum + e.progress.received, 0);
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        console.error(`${((performance.now() - start) / 1000).toFixed(0)} s: ${received} samples in, ${executor.judged()} judged by the stand-in`);
      }
      return states.every((e) => e.status === "complete" || e.status === "failed" || e.status === "complete_with_errors") ? states : null;
    },
    30 * 60_000,
    "the evaluations",
    1000,
  );
  const seconds = (performance.now() - start) / 1000;
  const failed = done.filter((e: any) => e.status !== "complete");
  if (failed.length > 0) throw new Error(`evaluations not complete: ${JSON.stringify(failed.map((e: any) => [e.id, e.status, e.errors]))}`);
  const samples = done.reduce((sum: number, e: any) => sum + e.progress.received, 0);

  // D1 size: the database file(s) after a checkpoint of SQLite's WAL into the main file.
  await db
    .prepare("PRAGMA wal_checkpoint(TRUNCATE)")
    .run()
    .catch(() => undefined);
  const bytesAfter = dirBytes(persist);
  const counts = await db
    .prepare(
      "SELECT (SELECT count(*) FROM samples) AS samples, (SELECT count(*) FROM verdict_cache) AS verdicts, (SELECT sum(length(code)) FROM samples) AS code_bytes, (SELECT sum(length(text)) FROM samples) AS text_bytes, (SELECT sum(length(model)) + sum(coalesce(length(failure), 0)) FROM samples) AS other_json_bytes",
    )
    .first<Record<string, number>>();

  // R2: the completion objects (gzip, one per ingested batch) and their total size.
  const completionsBucket = await mf.getR2Bucket("COMPLETIONS");
  let r2Objects = 0;
  let r2Bytes = 0;
  let cursor: string | undefined;
  do {
    const page = await completionsBucket.list({ prefix: "completions/", cursor });
    for (const object of page.objects) {
      r2Objects++;
      r2Bytes += object.size;
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);

  // One evaluation's metrics at completion: the read of its verdict rows, then the computation.
  const readTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await db
      .prepare("SELECT problem_id, verdict, tiers_passed FROM samples WHERE evaluation_id = ? AND verdict IS NOT NULL ORDER BY problem_id, idx")
      .bind(evaluations[0])
      .all();
    readTimes.push(performance.now() - t);
  }
  const atRunSize = metricsCost(PROBLEMS, N);
  const atPaperSize = metricsCost(Number(values["metrics-problems"]), Number(values["metrics-n"]));

  // The leaderboard at this size: the team's own view (a key: never served from the cache; the
  // evaluations use a different seed each, so no track ranks them and nothing is public). Cached
  // public reads are measured against a hello Worker by bench/http.ts.
  const board = `/v1/leaderboard?benchmark=${encodeURIComponent(benchmark)}&k=1`;
  const boardTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const page = await api(board);
    if (page.data.length !== CHECKPOINTS) throw new Error(`the team's leaderboard has ${page.data.length} rows, expected ${CHECKPOINTS}`);
    boardTimes.push(performance.now() - t);
  }

  const result = {
    at: new Date().toISOString(),
    problems: PROBLEMS,
    n: N,
    checkpoints: CHECKPOINTS,
    samples,
    seconds,
    samples_per_second: samples / seconds,
    executor_stand_in_judged: executor.judged(),
    d1: {
      bytes_before: bytesBefore,
      bytes_after: bytesAfter,
      bytes_per_sample: (bytesAfter - bytesBefore) / samples,
      bytes_per_million_samples: ((bytesAfter - bytesBefore) / samples) * 1e6,
      rows: counts,
    },
    r2: { objects: r2Objects, bytes: r2Bytes, bytes_per_sample: r2Bytes / samples, bytes_per_million_samples: (r2Bytes / samples) * 1e6 },
    metrics: {
      verdict_rows_read_ms_median: median(readTimes),
      compute_at_run_size: atRunSize,
      compute_at_paper_size: atPaperSize,
    },
    leaderboard: { uncached_ms_median: median(boardTimes) },
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(join(ROOT, "bench/out"), { recursive: true });
  writeFileSync(join(ROOT, "bench/out/scale.json"), JSON.stringify(result, null, 2));
}

async function cleanup() {
  for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
}

main()
  .then(cleanup, async (error) => {
    console.error(error);
    await cleanup();
    process.exitCode = 1;
  })
  .then(() => process.exit());
