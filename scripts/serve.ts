// `frontier serve` (also `npm start -- --serve`): the local stack for your own checkpoints, without the
// demo experiment. Starts the executor (given the problem packs of --packs), the GPU backend (its
// sampler chosen by SAMPLER and the other sampler settings in the environment, docs/models.md) and the
// edge (wrangler dev, or the Deno runtime with --runtime deno); registers every pack of --packs as a
// benchmark; prints the API URL and an admin key; serves until Ctrl-C. Should a service die
// meanwhile, it says which (exit code, last log lines) and exits 1.
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PackManifestSchema, SETTINGS, type Setting } from "@frontier/contracts";
import { registrationFromPack } from "../src/services/benchmarks.ts";
import { bundledDefaultProblems, DEFAULT_N, DEFAULT_SEED, DEFAULT_TEMPERATURE, defaultTrackBody } from "./demo-experiment.ts";
import { deathMessage, firstDeath, freePort, ROOT, type Service, spawnService, startBackend, startEdge, startExecutor, waitFor } from "./stack.ts";

export const SERVE_USAGE = `Usage: frontier serve [options]     (also: npm start -- --serve [options])

Starts the executor, the GPU backend and the API for your own checkpoints (no demo experiment),
registers the problem packs, prints the API URL and an admin key, and serves until Ctrl-C.

Options:
  --port P            the API (FRONTIER_PORT, default 8787; 0 picks a free port)
  --state DIR         database, merge outputs and logs (FRONTIER_STATE_DIR, default .frontier)
  --packs DIR         problem packs: every DIR/<name>/ with a manifest.json is given to the executor
                      and registered as a benchmark at start (FRONTIER_PACKS, default packs/)
  --runtime R         the edge: wrangler (default; local D1 and Queues) or deno (SQLite, Deno KV)
The admin key printed is FRONTIER_API_KEY when that is an admin key of this --state (a
previous run's), else a new one.
  -h, --help          this text
The backend's sampler comes from the environment: SAMPLER=demo|vllm|sglang|openai and its settings
(docs/models.md). Exit codes: 0 stopped by Ctrl-C, 1 failed (a message says why), 2 bad usage.`;

export interface ServeOptions {
  port: number;
  stateDir: string;
  packsDir: string;
  runtime: "wrangler" | "deno";
}

export function parseServeArgs(argv: string[], env: Record<string, string | undefined> = process.env): ServeOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      state: { type: "string" },
      packs: { type: "string" },
      runtime: { type: "string" },
      serve: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const portText = values.port ?? env.FRONTIER_PORT ?? "8787";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`--port must be a port number (got '${portText}')`);
  const runtime = values.runtime ?? "wrangler";
  if (runtime !== "wrangler" && runtime !== "deno") throw new Error(`--runtime must be wrangler or deno (got '${runtime}')`);
  return {
    port,
    stateDir: resolve(values.state ?? env.FRONTIER_STATE_DIR ?? join(ROOT, ".frontier")),
    packsDir: resolve(values.packs ?? env.FRONTIER_PACKS ?? join(ROOT, "packs")),
    runtime,
  };
}

/** Every DIR/<name>/ holding a manifest.json. */
export function packsIn(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`--packs ${dir} does not exist`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "manifest.json")))
    .map((entry) => entry.name)
    .sort();
}

async function registerPack(api: string, key: string, dir: string, name: string): Promise<string> {
  const manifest = PackManifestSchema.parse(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")));
  const files = new Map<string, unknown>();
  for (const entry of manifest.problems) files.set(entry.id, JSON.parse(readFileSync(join(dir, entry.file), "utf8")));
  const response = await fetch(`${api}/v1/benchmarks`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(registrationFromPack(manifest, files, name)),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`registering the pack ${name} failed: ${response.status} ${text.slice(0, 500)}`);
  return `${manifest.name}@${manifest.version}`;
}

/** A pack's default track in one setting, with the demo experiment's protocol (the bundled pack: its held-out split). */
async function createDefaultTrack(api: string, key: string, name: string, benchmark: string, setting: Setting): Promise<string> {
  const problems = name === "bundled" ? bundledDefaultProblems() : {};
  const body = defaultTrackBody(name, benchmark, { setting, n: DEFAULT_N, temperature: DEFAULT_TEMPERATURE, seed: DEFAULT_SEED, ...problems });
  const response = await fetch(`${api}/v1/tracks`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`creating the default track of the pack ${name} failed: ${response.status} ${text.slice(0, 500)}`);
  return body.id;
}

/** The Deno runtime as the edge: an admin key made in its SQLite file first, then the server. */
async function startDenoEdge(vars: Record<string, string>, stateDir: string, port: number): Promise<{ service: Service; key: string }> {
  const deno = join(ROOT, "node_modules", "deno", "deno");
  const databasePath = join(stateDir, "frontier.sqlite");
  const key = await new Promise<string>((done, fail) => {
    const child = spawn(
      deno,
      ["run", "--allow-env", "--allow-read", "--allow-write", "src/runtime/deno/keys.ts", "create", "--scope", "operator", "--label", "serve", "--json"],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_PATH: databasePath },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.once("exit", (code) => {
      const match = /\[\s*\{[\s\S]*\}\s*\]/.exec(out);
      if (code !== 0 || !match) return fail(new Error(`deno task keys failed (${code}):\n${out.slice(-2000)}`));
      done((JSON.parse(match[0]) as { key: string }[])[0].key);
    });
  });
  const service = await spawnService(
    "deno",
    deno,
    ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys", "src/runtime/deno.ts"],
    { ...vars, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: databasePath, ASSETS_DIR: join(ROOT, "web", "public") },
    /frontier: listening on http:\/\/[^:]+:(\d+)/,
    120_000,
  );
  await waitFor(async () => (await fetch(`${service.url}/v1/health`)).ok, 60_000, "edge health");
  return { service, key };
}

export interface ServingStack {
  url: string;
  key: string;
  benchmarks: string[];
  /** The default track of each pack (same order as benchmarks). */
  tracks: string[];
  died: Promise<import("./stack.ts").ServiceDeath>;
  stop(): Promise<void>;
}

export async function startServing(options: ServeOptions, log: (line: string) => void = (line) => console.error(line)): Promise<ServingStack> {
  const packs = packsIn(options.packsDir);
  const stateDir = join(options.stateDir, options.runtime === "deno" ? "deno" : "state");
  const mergeDir = join(options.stateDir, "merges");
  const logs = join(options.stateDir, "logs");
  for (const dir of [stateDir, mergeDir, logs]) mkdirSync(dir, { recursive: true });
  const running: Service[] = [];
  const stop = async () => {
    for (const service of running.splice(0).reverse()) await service.stop().catch(() => {});
  };
  try {
    const executorToken = crypto.randomUUID();
    const backendToken = crypto.randomUUID();
    log(
      `frontier: starting the executor (packs in ${options.packsDir}), the GPU backend (SAMPLER=${process.env.SAMPLER || "demo"}) and the API (${options.runtime})…`,
    );
    const executor = keepLog(await startExecutor({ token: executorToken, packsDir: options.packsDir }), join(logs, "executor.log"));
    running.push(executor);
    const backend = keepLog(await startBackend({ token: backendToken, mergeDir }), join(logs, "backend.log"));
    running.push(backend);
    const port = options.port === 0 ? await freePort() : options.port;
    let edge: Service;
    let key: string;
    if (options.runtime === "deno") {
      const vars = {
        EXECUTOR_URL: executor.url,
        EXECUTOR_TOKEN: executorToken,
        BACKEND_URL: backend.url,
        BACKEND_TOKEN: backendToken,
        ALLOW_FILE_URLS: "true",
        WEBHOOK_ALLOW_HOSTS: "127.0.0.1,localhost",
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        WEBHOOK_SECRET: wranglerVar("WEBHOOK_SECRET"),
        BACKEND_WEBHOOK_SECRET: wranglerVar("BACKEND_WEBHOOK_SECRET"),
      };
      ({ service: edge, key } = await startDenoEdge(vars, stateDir, port));
    } else {
      const wrangler = await startEdge({ executorUrl: executor.url, executorToken, backendUrl: backend.url, backendToken, publicUrl: true, stateDir, port });
      edge = wrangler;
      key = await wrangler.apiKey(["operator"]);
    }
    running.push(keepLog(edge, join(logs, "api.log")));
    // A key from an earlier run on the same --state keeps working: FRONTIER_API_KEY, when it is an operator key here.
    const given = process.env.FRONTIER_API_KEY;
    if (given && (await isOperatorKey(edge.url, given))) key = given;
    else if (given) log("frontier: FRONTIER_API_KEY is not an operator key of this state; printing a new one");
    const benchmarks: string[] = [];
    const tracks: string[] = [];
    for (const name of packs) {
      const benchmark = await registerPack(edge.url, key, join(options.packsDir, name), name);
      benchmarks.push(benchmark);
      // One default track per pack and setting (reasoning, tool, agentic).
      for (const setting of SETTINGS) tracks.push(await createDefaultTrack(edge.url, key, name, benchmark, setting));
    }
    return { url: edge.url, key, benchmarks, tracks, died: firstDeath([executor, backend, edge]), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** An admin key may delete keys: for an id that does not exist it gets 404 (others 401 or 403). */
/** Only an operator key may list the teams. */
async function isOperatorKey(api: string, key: string): Promise<boolean> {
  const response = await fetch(`${api}/v1/teams`, { headers: { authorization: `Bearer ${key}` } });
  await response.arrayBuffer();
  return response.status === 200;
}

/** The development secrets in wrangler.toml's [vars], which the backend's callbacks are signed with. */
function wranglerVar(name: string): string {
  const top = readFileSync(join(ROOT, "wrangler.toml"), "utf8").split(/^\[env\./m)[0];
  const match = new RegExp(`^${name}\\s*=\\s*"([^"]+)"`, "m").exec(top);
  if (!match) throw new Error(`wrangler.toml has no ${name} in [vars]`);
  return match[1];
}

function keepLog<T extends Service>(service: T, file: string): T {
  writeFileSync(file, service.output());
  service.process.stdout?.on("data", (chunk: Buffer) => appendFileSync(file, chunk));
  service.process.stderr?.on("data", (chunk: Buffer) => appendFileSync(file, chunk));
  return service;
}

export async function main(argv: string[]): Promise<number> {
  let options: ServeOptions | "help";
  try {
    options = parseServeArgs(argv);
  } catch (error) {
    console.error(`frontier serve: ${(error as Error).message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if (options === "help") {
    console.log(SERVE_USAGE);
    return 0;
  }
  let stack: ServingStack;
  try {
    stack = await startServing(options);
  } catch (error) {
    console.error(`frontier serve: ${(error as Error).message}`);
    return 1;
  }
  // Scripts and tests read these lines.
  console.log(`Frontier API: ${stack.url}`);
  console.log(`Admin key:    ${stack.key}`);
  for (const benchmark of stack.benchmarks) console.log(`Benchmark:    ${benchmark}`);
  for (const track of stack.tracks) console.log(`Track:        ${track}  (${stack.url}/?track=${track})`);
  console.log(`Logs:         ${join(options.stateDir, "logs")}`);
  console.log("Serving until Ctrl-C.");
  return new Promise<number>((done) => {
    const shutdown = () => void stack.stop().then(() => done(0));
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
    stack.died.then(async (death) => {
      console.error(`frontier serve: ${deathMessage(death)}`);
      await stack.stop();
      done(1);
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
