// `npm start`: the whole system on this machine, and the paper's experiment run through its public
// API. Starts the executor, the GPU backend (the demo sampler unless SAMPLER says otherwise) and `wrangler
// dev` (local D1 + Queues, state under .frontier/), creates an API key, runs the experiment with
// progress bars, prints the frontier and the ensemble result, then serves until Ctrl-C. Should one
// of the services die meanwhile, it says which (exit code, last log lines) and exits 1.
// `npm run demo` (--exit) does the same and exits with the summary.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SETTINGS, type Setting } from "@frontier/contracts";
import { ApiClient, ApiError, UnreachableError } from "../src/cli/api/client.ts";
import { createProgress, type Progress } from "../src/cli/api/progress.ts";
import { ensemblesTable, frontierTable } from "../src/cli/api/render.ts";
import { DEFAULT_ALPHAS, DEFAULT_BUDGET, DEFAULT_N, runExperiment, type ExperimentSummary } from "./demo-experiment.ts";
import { deathMessage, firstDeath, startBackend, startEdge, startExecutor, type Service, type ServiceDeath } from "./stack.ts";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

export const USAGE = `Usage: npm start -- [options]        serve the local stack after the experiment, until Ctrl-C
       npm run demo -- [options]     the same experiment, then exit with the summary

Options (each also from an environment variable):
  --n N               samples per problem and checkpoint (FRONTIER_N, default ${DEFAULT_N})
  --budget B          the ensembles' samples per problem, at most n (FRONTIER_BUDGET, default ${DEFAULT_BUDGET})
  --alphas LIST       the merge grid, comma-separated (FRONTIER_ALPHAS, default ${DEFAULT_ALPHAS.join(",")})
  --temperature T     sampling temperature (FRONTIER_TEMPERATURE, default 1)
  --seed S            sampling seed (FRONTIER_SEED, default 0)
  --problems a,b,…    only these problems of the bundled pack (FRONTIER_PROBLEMS, default the held-out split)
  --port P            the API and leaderboard page (FRONTIER_PORT, default 8787)
  --executor-port P   the executor (FRONTIER_EXECUTOR_PORT, default 8788)
  --backend-port P    the GPU backend (FRONTIER_BACKEND_PORT, default 8789)
  --state DIR         local D1 state and merge outputs (FRONTIER_STATE_DIR, default .frontier)
  --exit              exit after the summary (what npm run demo does)
  --json FILE         also write the summary as JSON to FILE
  -h, --help          this text
  --settings LIST     inference settings to run the grid in: reasoning,tool,agentic (FRONTIER_SETTINGS, default reasoning);
                      a frontier per setting
  --serve             no experiment: the stack for your own checkpoints (frontier serve --help)
SAMPLER (demo | vllm | sglang | openai) chooses the backend's sampler; see docs/models.md. Exit codes: 0 ok, 1 failed (a message says why), 2 bad usage.`;

export interface StartOptions {
  n: number;
  /** The ensembles' budget per problem, capped at n. */
  budget: number;
  alphas: number[];
  temperature: number;
  seed: number;
  problems?: string[];
  port: number;
  executorPort: number;
  backendPort: number;
  stateDir: string;
  exit: boolean;
  json?: string;
  settings: Setting[];
}

class UsageError extends Error {}
/** A failure with a message for people: printed without a stack trace. */
export class StartError extends Error {}

function int(text: string, name: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new UsageError(`${name} must be a whole number in ${min}..${max} (got '${text}')`);
  return n;
}

export function parseStartArgs(argv: string[], env: Record<string, string | undefined> = process.env): StartOptions | "help" {
  // Join "--alphas -0.5,…" into one token: parseArgs refuses values that start with "-".
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (/^--(n|budget|alphas|temperature|seed|problems|port|executor-port|backend-port|state|json|settings)$/.test(argv[i]) && i + 1 < argv.length)
      joined.push(`${argv[i]}=${argv[++i]}`);
    else joined.push(argv[i]);
  }
  const parse = () =>
    parseArgs({
      args: joined,
      options: {
        n: { type: "string" },
        budget: { type: "string" },
        alphas: { type: "string" },
        temperature: { type: "string" },
        seed: { type: "string" },
        problems: { type: "string" },
        port: { type: "string" },
        "executor-port": { type: "string" },
        "backend-port": { type: "string" },
        state: { type: "string" },
        exit: { type: "boolean" },
        json: { type: "string" },
        settings: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse());
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  const pick = (flag: string | undefined, variable: string) => flag ?? (env[variable] || undefined);
  const alphasText = pick(values.alphas, "FRONTIER_ALPHAS");
  const alphas = alphasText === undefined ? DEFAULT_ALPHAS : alphasText.split(",").map((a) => Number(a.trim()));
  if (alphas.length === 0 || alphas.some((a, i) => !Number.isFinite(a) || alphasText?.split(",")[i].trim() === "")) {
    throw new UsageError(`--alphas must be comma-separated numbers (got '${alphasText}')`);
  }
  if (new Set(alphas).size !== alphas.length) throw new UsageError("--alphas must be distinct");
  const temperatureText = pick(values.temperature, "FRONTIER_TEMPERATURE");
  const temperature = temperatureText === undefined ? 1 : Number(temperatureText);
  if (!(temperature >= 0 && temperature <= 2)) throw new UsageError(`--temperature must be in 0..2 (got '${temperatureText}')`);
  const problemsText = pick(values.problems, "FRONTIER_PROBLEMS");
  const ports = {
    port: int(pick(values.port, "FRONTIER_PORT") ?? "8787", "--port", 1, 65535),
    executorPort: int(pick(values["executor-port"], "FRONTIER_EXECUTOR_PORT") ?? "8788", "--executor-port", 1, 65535),
    backendPort: int(pick(values["backend-port"], "FRONTIER_BACKEND_PORT") ?? "8789", "--backend-port", 1, 65535),
  };
  if (new Set(Object.values(ports)).size !== 3) throw new UsageError("--port, --executor-port and --backend-port must differ");
  const n = int(pick(values.n, "FRONTIER_N") ?? String(DEFAULT_N), "--n", 1, 1024);
  return {
    n,
    budget: Math.min(n, int(pick(values.budget, "FRONTIER_BUDGET") ?? String(DEFAULT_BUDGET), "--budget", 1, 1024)),
    alphas,
    temperature,
    seed: int(pick(values.seed, "FRONTIER_SEED") ?? "0", "--seed", 0, 2 ** 31 - 1),
    problems: problemsText
      ? problemsText
          .split(",")
          .map((p) => p.trim())
          .filter(Boolean)
      : undefined,
    ...ports,
    stateDir: resolve(ROOT, pick(values.state, "FRONTIER_STATE_DIR") ?? ".frontier"),
    exit: values.exit === true,
    json: values.json,
    settings: parseSettings(pick(values.settings, "FRONTIER_SETTINGS")),
  };
}

function parseSettings(text: string | undefined): Setting[] {
  if (text === undefined) return ["reasoning"];
  const settings = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = settings.filter((s) => !(SETTINGS as readonly string[]).includes(s));
  if (settings.length === 0 || unknown.length) throw new UsageError(`--settings must be a comma-separated list of ${SETTINGS.join(", ")} (got '${text}')`);
  if (new Set(settings).size !== settings.length) throw new UsageError("--settings must be distinct");
  return settings as Setting[];
}

// ---- preflight: what is missing gets a message, not a stack trace ----

export function missingTools(env: Record<string, string | undefined> = process.env): string[] {
  const has = (command: string) => spawnSync("sh", ["-c", `command -v "${command}"`], { stdio: "ignore" }).status === 0;
  const missing: string[] = [];
  if (!has(env.EXECUTOR_PYTHON ?? "python3")) missing.push("python3 (runs the Python programs under test; Debian: apt-get install python3)");
  if (!has(env.EXECUTOR_GXX ?? "g++")) missing.push("g++ (compiles the C++ programs under test; Debian: apt-get install g++)");
  if (!has("bwrap")) missing.push("bwrap (the executor's sandbox; Debian: apt-get install bubblewrap)");
  return missing;
}

/** Resolves when 127.0.0.1:port can be bound, rejects with a StartError naming the port otherwise. */
export function checkPortFree(port: number, what: string, flag: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new StartError(
          error.code === "EADDRINUSE"
            ? `port ${port} (${what}) is already in use — is another \`npm start\` running? Stop it, or choose another port with ${flag}.`
            : `cannot listen on 127.0.0.1:${port} (${what}): ${error.message}. Choose another port with ${flag}.`,
        ),
      );
    });
    server.listen(port, "127.0.0.1", () => server.close(() => resolvePromise()));
  });
}

/** The development webhook secret from wrangler.toml's [vars] (what `wrangler dev` verifies with). */
export function devWebhookSecret(root = ROOT): string {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  const top = toml.split(/^\[env\./m)[0];
  const match = /^WEBHOOK_SECRET\s*=\s*"([^"]+)"/m.exec(top);
  if (!match) throw new StartError("wrangler.toml has no WEBHOOK_SECRET in [vars]; the training-run webhooks cannot be signed");
  return match[1];
}

// ---- the summary ----

export function summaryText(summary: ExperimentSummary, apiUrl: string): string {
  const lines = [
    "",
    `Frontier of run ${summary.runs.grid} in the ${summary.setting} setting: θ(α) = (1−α)·low-coverage + α·high-coverage on ${summary.benchmark.split("@")[0]}`,
    `(${summary.problems} problems${summary.split === "held-out" ? " held out from the demo policy's training" : ""}, n=${summary.n} samples per problem; failure rates over judged samples; * = Pareto set)`,
    "",
    frontierTable(summary.frontier, summary.ks),
  ];
  const names = new Map(summary.frontier.points.map((p) => [p.evaluation, `α=${p.alpha}`]));
  if (summary.ensembles.length) {
    lines.push(
      "",
      `Ensembles at the same budget as one checkpoint (B=${summary.budget} samples per problem, split equally; a remainder is spread in expectation), against the best single member chosen by cross-fitting (chosen on other problems than it is scored on); 95% paired bootstrap interval of the gain:`,
      ensemblesTable(summary.ensembles, names),
    );
  } else {
    lines.push("", `(No ensemble: with a budget of ${summary.budget} there are not enough samples to split across checkpoints.)`);
  }
  lines.push("", `Leaderboard:  ${apiUrl}/?track=${encodeURIComponent(summary.track)}`, `API docs:     ${apiUrl}/docs`);
  return lines.join("\n");
}

// ---- main ----

interface Running {
  stop(): Promise<void>;
}

export async function main(argv: string[]): Promise<number> {
  // `npm start -- --serve`: the local stack for your own checkpoints, no demo experiment.
  if (argv.includes("--serve")) {
    const { main: serve } = await import("./serve.ts");
    return serve(argv.filter((arg) => arg !== "--serve"));
  }
  let options: StartOptions | "help";
  try {
    options = parseStartArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`frontier start: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  const running: Running[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      for (const service of running.reverse()) await service.stop().catch(() => {});
    })());
  const aborted = new AbortController();
  const interrupt = () => {
    if (aborted.signal.aborted) return;
    aborted.abort();
    console.error("\nfrontier: stopping…");
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  let progress: Progress | undefined;
  try {
    const summary = await start(options, running, aborted.signal, (p) => (progress = p));
    progress?.stop();
    const apiUrl = `http://127.0.0.1:${options.port}`;
    for (const experiment of summary.experiments) console.log(summaryText(experiment, apiUrl));
    const json = summary.experiments.length === 1 ? summary.experiment : summary.experiments;
    if (options.json) writeFileSync(options.json, `${JSON.stringify(json, null, 2)}\n`);
    if (options.exit) return 0;
    console.log(
      [
        "",
        `Serving until Ctrl-C. The CLI works against it:`,
        `  export FRONTIER_API_KEY=${summary.key}`,
        `  npx frontier frontier ${summary.experiment.runs.grid} --k 1,${summary.experiment.n}`,
        `  npx frontier leaderboard`,
        `Logs: ${join(options.stateDir, "logs")}`,
      ].join("\n"),
    );
    const ended = await Promise.race([
      new Promise<"interrupted">((resolvePromise) => aborted.signal.addEventListener("abort", () => resolvePromise("interrupted"), { once: true })),
      summary.died,
    ]);
    if (ended === "interrupted") return 0;
    console.error(`frontier: ${deathMessage(ended)}\nLogs of the services: ${join(options.stateDir, "logs")}`);
    return 1;
  } catch (error) {
    progress?.stop();
    if (aborted.signal.aborted) return 130;
    if (error instanceof StartError) console.error(`frontier: ${error.message}`);
    else if (error instanceof ApiError) console.error(`frontier: the API refused a request: ${error.method} ${error.path}\n  ${error.describe().join("\n  ")}`);
    else if (error instanceof UnreachableError) console.error(`frontier: ${error.message}`);
    else console.error(`frontier: ${(error as Error)?.message ?? String(error)}`);
    console.error(`Logs of the services: ${join(options.stateDir, "logs")}`);
    return 1;
  } finally {
    await stopAll();
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  }
}

export interface LocalStackOptions {
  port: number;
  executorPort: number;
  backendPort: number;
  /** Holds state/ (local D1), merges/ and logs/. */
  stateDir: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface LocalStack {
  url: string;
  /** A new admin key (admin implies submit). */
  key: string;
  /** The secret the training-run webhooks are signed with. */
  webhookSecret: string;
  logs: string;
  /** Settles when one of the services (executor, backend, wrangler dev) exits by itself. */
  died: Promise<ServiceDeath>;
  stop(): Promise<void>;
}

/**
 * Preflight (system tools, ports, demo checkpoints), then the executor, the backend and wrangler
 * dev with its migrations and a new admin key. On any failure what was started is stopped again.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.error(line));
  const missing = missingTools();
  if (missing.length) throw new StartError(`missing system tools:\n  ${missing.join("\n  ")}`);
  await checkPortFree(options.port, "the API", "--port or FRONTIER_PORT");
  await checkPortFree(options.executorPort, "the executor", "--executor-port or FRONTIER_EXECUTOR_PORT");
  await checkPortFree(options.backendPort, "the GPU backend", "--backend-port or FRONTIER_BACKEND_PORT");
  if (!existsSync(join(ROOT, "packs", "demo-policy", "checkpoints", "low-coverage", "model.safetensors"))) {
    log("frontier: building the demo checkpoints (npm run demo:train)…");
    const built = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "packs", "demo-policy", "train.ts")], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new StartError("npm run demo:train failed; see above");
  }
  if (!existsSync(join(ROOT, "web", "public", "assets", "leaderboard.js")) && existsSync(join(ROOT, "scripts", "build-web.ts"))) {
    log("frontier: building the leaderboard page's assets (npm run build:web)…");
    const { buildWeb } = await import("./build-web.ts");
    await buildWeb({ quiet: true });
  }
  const webhookSecret = devWebhookSecret();
  const stateDir = join(options.stateDir, "state");
  const mergeDir = join(options.stateDir, "merges");
  const logs = join(options.stateDir, "logs");
  for (const dir of [stateDir, mergeDir, logs]) mkdirSync(dir, { recursive: true });

  const running: Running[] = [];
  const stop = async () => {
    for (const service of running.splice(0).reverse()) await service.stop().catch(() => {});
  };
  try {
    const executorToken = crypto.randomUUID();
    const backendToken = crypto.randomUUID();
    const sampler = `SAMPLER=${process.env.SAMPLER || "demo"}`;
    log(
      `frontier: starting the executor (:${options.executorPort}), the GPU backend (:${options.backendPort}, ${sampler}) and wrangler dev (:${options.port})…`,
    );
    const started = await Promise.allSettled([
      startExecutor({ token: executorToken, port: options.executorPort }),
      // The backend runs the tool and agentic settings' programs on this executor.
      startBackend({ token: backendToken, port: options.backendPort, mergeDir, executorUrl: `http://127.0.0.1:${options.executorPort}`, executorToken }),
    ]);
    for (const [i, result] of started.entries())
      if (result.status === "fulfilled") running.push(logged(result.value, join(logs, i === 0 ? "executor.log" : "backend.log")));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw new StartError((failed.reason as Error).message);
    const [executor, backend] = started.map((r) => (r as PromiseFulfilledResult<Service>).value);
    options.signal?.throwIfAborted();
    const edge = await startEdge({
      executorUrl: executor.url,
      executorToken,
      backendUrl: backend.url,
      backendToken,
      publicUrl: true,
      stateDir,
      port: options.port,
    }).catch((error: Error) => {
      throw new StartError(error.message);
    });
    running.push(logged(edge, join(logs, "api.log")));
    // startEdge applied the migrations and holds a bootstrap admin key; this run's key comes through the API.
    const key = await edge.apiKey(["operator"]).catch((error: Error) => {
      throw new StartError(error.message);
    });
    options.signal?.throwIfAborted();
    return { url: edge.url, key, webhookSecret, logs, died: firstDeath([executor, backend, edge]), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function start(options: StartOptions, running: Running[], signal: AbortSignal, onProgress: (p: Progress) => void) {
  const stack = await startLocalStack({ ...options, signal });
  running.push(stack);
  const client = new ApiClient(stack.url, stack.key);
  console.error(`frontier: API at ${stack.url} (state in ${options.stateDir})`);

  const progress = createProgress({ labelWidth: 8 });
  onProgress(progress);
  const tag = `demo-${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-")}`;
  // A service that dies mid-experiment ends it at once, rather than after the experiment's timeouts.
  const died = stack.died.then((death) => {
    throw new StartError(deathMessage(death));
  });
  died.catch(() => {});
  // One grid per setting (its own runs, merges and evaluations), so each setting has its frontier.
  const experiments: ExperimentSummary[] = [];
  for (const setting of options.settings) {
    if (options.settings.length > 1) progress.log(`setting ${setting}:`);
    experiments.push(
      await Promise.race([
        died,
        runExperiment({
          root: ROOT,
          client,
          webhookSecret: stack.webhookSecret,
          n: options.n,
          budget: options.budget,
          alphas: options.alphas,
          seed: options.seed,
          temperature: options.temperature,
          problems: options.problems,
          tag: options.settings.length > 1 || setting !== "reasoning" ? `${tag}-${setting}` : tag,
          setting,
          progress,
          log: (line) => progress.log(line),
          signal,
        }),
      ]),
    );
  }
  progress.stop();
  return { experiment: experiments[0]!, experiments, key: stack.key, died: stack.died };
}

/** Writes a service's output to a log file: what it printed while starting, then as it comes. */
function logged<T extends { process: import("node:child_process").ChildProcess; output(): string; stop(): Promise<void> }>(service: T, file: string): T {
  writeFileSync(file, service.output());
  const append = (chunk: Buffer) => appendFileSync(file, chunk);
  service.process.stdout?.on("data", append);
  service.process.stderr?.on("data", append);
  return service;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
