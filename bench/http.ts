// HTTP load on the edge API under `wrangler dev` (loopback only, bounded in time):
//   npx tsx bench/http.ts [--seconds 10] [--connections 10] [--rounds 3] [--target-only] [--diagnose]
// Measures, in one run and in this order: a bare Hono "hello" Worker (the baseline), the public
// GET /v1/leaderboard served from the cache (x-cache: hit; issue 18's target: ≥ 0.8× hello, p99
// within 2× of hello's), the same read with credentials (never cached: every request reaches D1),
// GET /v1/checkpoints/:id, POST /v1/checkpoints (with a submit key), then hello again to show
// drift. The leaderboard reads the seed of test/src/leaderboard/fixture.ts (a 9-point merge grid,
// ties and an ensemble). Both Workers run under `wrangler dev` on local D1 in a scratch state directory; the API
// runs from a copy of wrangler.toml whose write rate limit is lifted so the bench measures the
// handler, not 429s. Prints a table and writes bench/out/http.json. Each row also gives the CPU
// time the serving wrangler dev (node + workerd) spent per request, which other load on a shared
// machine disturbs far less than the rate. --target-only stops after the hello/cached rounds;
// --diagnose adds to those rounds hello answering a body of the leaderboard's size and hello behind
// an [assets] section (with and without run_worker_first), to tell where a cached read's time goes.
import autocannon from "autocannon";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildSeed } from "../test/src/leaderboard/fixture.ts";

const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
    "target-only": { type: "boolean", default: false },
    diagnose: { type: "boolean", default: false },
  },
});
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);

const scratch = mkdtempSync(join(tmpdir(), "frontier-bench-http-"));
const state = join(scratch, "state");
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
    server.on("error", fail);
  });
}

/** The project's wrangler.toml with absolute paths and a rate limit the bench cannot reach. */
function benchConfig(): string {
  const source = readFileSync(join(ROOT, "wrangler.toml"), "utf8")
    .replace(/^main = "(.+)"$/m, (_, p) => `main = "${join(ROOT, p)}"`)
    .replace(/migrations_dir = "(.+)"/g, (_, p) => `migrations_dir = "${join(ROOT, p)}"`)
    .replace(/^directory = "(.+)"$/m, (_, p) => `directory = "${join(ROOT, p)}"`)
    .replace(/simple = \{ limit = \d+, period = (\d+) \}/g, "simple = { limit = 100000000, period = $1 }");
  const path = join(scratch, "wrangler.api.toml");
  writeFileSync(path, source);
  return path;
}

/** The hello Worker's config; `assets` gives it the API's [assets] section (a diagnostic: the asset router in front). */
function helloConfig(assets = "", suffix = ""): string {
  const compat = /compatibility_date = "(.+)"/.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))![1];
  const path = join(scratch, `wrangler.hello${suffix}.toml`);
  writeFileSync(path, `name = "bench-hello${suffix}"\nmain = "${join(ROOT, "bench/http-hello.ts")}"\ncompatibility_date = "${compat}"\n${assets}`);
  return path;
}

async function startWranglerDev(config: string, port: number, ready: string): Promise<string> {
  const wrangler = join(ROOT, "node_modules/.bin/wrangler");
  const child = spawn(
    wrangler,
    ["dev", "--config", config, "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--inspector-port", String(await freePort())],
    {
      cwd: ROOT,
      detached: true, // its own process group, so workerd goes down with it
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
    },
  );
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  children.push(child);
  process.on("exit", () => {
    mkdirSync(join(ROOT, "bench/out"), { recursive: true });
    writeFileSync(join(ROOT, `bench/out/http-${port}.log`), log);
  });
  const base = `http://127.0.0.1:${port}`;
  groups.set(base, child.pid!);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${log}`);
    try {
      if ((await fetch(base + ready)).ok) return base;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`wrangler dev did not become ready:\n${log}`);
}

/** The process group (wrangler, its workerd) serving each base URL. */
const groups = new Map<string, number>();
const TICK_MS = 1000 / 100; // USER_HZ

/**
 * CPU time (user + system, ms) used so far by the live processes of a process group: a cost per
 * request that load from other processes on the machine disturbs far less than a request rate.
 */
const cpuByCommand = new Map<string, number>();
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  cpuByCommand.clear();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ");
      if (Number(fields[2]) === pgid) {
        const used = Number(fields[11]) + Number(fields[12]);
        ticks += used;
        const command = readFileSync(`/proc/${entry}/stat`, "utf8").split(" (")[1]!.split(")")[0]!;
        cpuByCommand.set(command, (cpuByCommand.get(command) ?? 0) + used * TICK_MS);
      }
    } catch {
      // gone meanwhile
    }
  }
  return ticks * TICK_MS;
}

function stop() {
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

type Result = {
  name: string;
  requestsPerSecond: number;
  p99Ms: number;
  p50Ms: number;
  non2xx: number;
  errors: number;
  /** CPU time of the serving wrangler dev (node + workerd) per request, in µs. */
  serverCpuUsPerRequest: number;
};

async function load(name: string, options: autocannon.Options): Promise<Result> {
  const pgid = groups.get(new URL(String(options.url)).origin)!;
  const cpuBefore = groupCpuMs(pgid);
  const byCommandBefore = new Map(cpuByCommand);
  const result = await autocannon({ duration: SECONDS, connections: CONNECTIONS, ...options });
  const cpuMs = groupCpuMs(pgid) - cpuBefore;
  if (values.diagnose) {
    const parts = [...cpuByCommand].map(
      ([command, ms]) => `${command} ${(((ms - (byCommandBefore.get(command) ?? 0)) * 1000) / Math.max(1, result.requests.total)).toFixed(0)}`,
    );
    console.error(`  server CPU µs/request by process: ${parts.join(", ")}`);
  }
  const row = {
    serverCpuUsPerRequest: (cpuMs * 1000) / Math.max(1, result.requests.total),
    name,
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  console.error(
    `${name}: ${row.requestsPerSecond.toFixed(0)} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, non-2xx ${row.non2xx}, server CPU ${row.serverCpuUsPerRequest.toFixed(0)} µs/request`,
  );
  return row;
}

/** The round with the median rate (its own p50 and p99 with it). */
function median(name: string, rows: Result[]): Result {
  const sorted = [...rows].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return { ...sorted[Math.floor(sorted.length / 2)]!, name };
}

async function main() {
  const keys = spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["scripts/keys.ts", "create", "--scope", "submit", "--persist-to", state], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (keys.status !== 0) throw new Error(`could not create a key: ${keys.stderr}`);
  const key = keys.stdout.trim();

  const config = benchConfig();
  const seed = buildSeed({ prefix: "bench" });
  const seedFile = join(scratch, "seed.sql");
  writeFileSync(seedFile, seed.statements.map((s) => `${s};`).join("\n"));
  const seeded = spawnSync(
    join(ROOT, "node_modules/.bin/wrangler"),
    ["d1", "execute", "frontier", "--local", "--persist-to", state, "--config", config, "--file", seedFile],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" } },
  );
  if (seeded.status !== 0) throw new Error(`could not seed the leaderboard: ${seeded.stderr}${seeded.stdout}`);

  const api = await startWranglerDev(config, await freePort(), "/v1/health");
  const hello = await startWranglerDev(helloConfig(), await freePort(), "/hello");

  const post = (run: string) => ({
    method: "POST" as const,
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ url: "s3://bench-bucket/runs/a/model.safetensors", run, step: 100, label: "bench" }),
  });
  const created = await fetch(`${api}/v1/checkpoints`, post("bench-seed"));
  if (created.status !== 201) throw new Error(`seed POST failed: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };

  const leaderboard = `${api}/v1/leaderboard?benchmark=${encodeURIComponent(seed.benchmark.id)}&k=1&limit=50`;
  // Warm both isolates before measuring.
  for (let i = 0; i < 50; i++) {
    await (await fetch(`${hello}/hello`)).text();
    await (await fetch(`${api}/v1/checkpoints/${id}`)).text();
    await (await fetch(leaderboard)).text();
  }
  const probe = await fetch(leaderboard);
  const probeBody = (await probe.json()) as { data: unknown[] };
  if (probe.headers.get("x-cache") !== "hit" || probeBody.data.length === 0) {
    throw new Error(`the leaderboard is not served from the cache: x-cache ${probe.headers.get("x-cache")}, ${probeBody.data.length} rows`);
  }

  // The target pair runs in alternating rounds (hello, cached, hello, cached, …) and each keeps its
  // median round, so load from other processes on the machine drifts both alike.
  // --diagnose adds, in the same rounds: hello answering a body of the leaderboard's size, and hello
  // behind the API's [assets] section (the asset router runs before the Worker). Not baselines.
  const bodyBytes = (await (await fetch(leaderboard)).arrayBuffer()).byteLength;
  const diagnostics: { name: string; url: string }[] = [];
  if (values.diagnose) {
    const assets = `[assets]\ndirectory = "${join(ROOT, "web/public")}"\nbinding = "ASSETS"\n`;
    const helloAssets = await startWranglerDev(helloConfig(assets, "-assets"), await freePort(), "/hello");
    const helloFirst = await startWranglerDev(helloConfig(`${assets}run_worker_first = ["/hello"]\n`, "-first"), await freePort(), "/hello");
    diagnostics.push({ name: `hello with a ${bodyBytes}-byte body`, url: `${hello}/body?bytes=${bodyBytes}` });
    diagnostics.push({ name: "hello behind [assets]", url: `${helloAssets}/hello` });
    diagnostics.push({ name: "hello behind [assets], run_worker_first", url: `${helloFirst}/hello` });
    for (let i = 0; i < 50; i++) for (const d of diagnostics) await (await fetch(d.url)).text();
  }
  const rounds: { hello: Result[]; cached: Result[]; diagnostics: Result[][] } = { hello: [], cached: [], diagnostics: diagnostics.map(() => []) };
  for (let round = 0; round < ROUNDS; round++) {
    rounds.hello.push(await load(`hello round ${round + 1}`, { url: `${hello}/hello` }));
    rounds.cached.push(await load(`cached leaderboard round ${round + 1}`, { url: leaderboard }));
    for (const [i, d] of diagnostics.entries()) rounds.diagnostics[i]!.push(await load(`${d.name} round ${round + 1}`, { url: d.url }));
  }
  for (const [i, d] of diagnostics.entries()) {
    const ratios = rounds.diagnostics[i]!.map((r, j) => (r.requestsPerSecond / rounds.hello[j]!.requestsPerSecond).toFixed(2));
    const cpu = rounds.diagnostics[i]!.map((r) => r.serverCpuUsPerRequest.toFixed(0));
    console.log(`diagnostic: ${d.name} / hello per round: ${ratios.join(" ")}; server CPU µs/request: ${cpu.join(" ")}`);
  }
  if (values["target-only"]) {
    const ratios = rounds.cached.map((c, i) => (c.requestsPerSecond / rounds.hello[i]!.requestsPerSecond).toFixed(2));
    console.log(`cached/hello per round: ${ratios.join(" ")}`);
    console.log(`server CPU µs/request, hello: ${rounds.hello.map((r) => r.serverCpuUsPerRequest.toFixed(0)).join(" ")}`);
    console.log(`server CPU µs/request, cached: ${rounds.cached.map((r) => r.serverCpuUsPerRequest.toFixed(0)).join(" ")}`);
    return;
  }
  const results = [
    median("hello (bare Hono, baseline; median round)", rounds.hello),
    median("GET /v1/leaderboard (cached; median round)", rounds.cached),
    await load("GET /v1/leaderboard (with credentials: not cached)", { url: leaderboard, headers: { authorization: `Bearer ${key}` } }),
    await load("GET /v1/checkpoints/:id (its team's key)", { url: `${api}/v1/checkpoints/${id}`, headers: { authorization: `Bearer ${key}` } }),
    await load("POST /v1/checkpoints", { url: `${api}/v1/checkpoints`, ...post("bench-load") }),
    await load("hello again (drift check)", { url: `${hello}/hello` }),
  ];
  const baseline = results[0]!.requestsPerSecond;
  const baselineP99 = results[0]!.p99Ms;
  const lines = [
    `| route | req/s | × hello | p50 ms | p99 ms | non-2xx |`,
    `|---|---:|---:|---:|---:|---:|`,
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.requestsPerSecond.toFixed(0)} | ${(r.requestsPerSecond / baseline).toFixed(2)} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx + r.errors} |`,
    ),
  ];
  const cached = results[1]!;
  lines.push(
    "",
    `cached leaderboard: ${(cached.requestsPerSecond / baseline).toFixed(2)}× hello (target ≥ 0.8), p99 ${cached.p99Ms} ms vs hello's ${baselineP99} ms ` +
      `(${(cached.p99Ms / baselineP99).toFixed(2)}×, target ≤ 2)`,
  );
  console.log(lines.join("\n"));
  mkdirSync(join(ROOT, "bench/out"), { recursive: true });
  writeFileSync(
    join(ROOT, "bench/out/http.json"),
    JSON.stringify({ seconds: SECONDS, connections: CONNECTIONS, at: new Date().toISOString(), results, rounds }, null, 2),
  );
}

process.on("SIGINT", () => {
  stop();
  process.exit(130);
});
main()
  .then(() => {
    stop();
    rmSync(scratch, { recursive: true, force: true });
    process.exit(0);
  })
  .catch((error) => {
    console.error(error);
    stop();
    rmSync(scratch, { recursive: true, force: true });
    process.exit(1);
  });
