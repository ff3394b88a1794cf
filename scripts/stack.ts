// Starts the real local stack for `npm start` (scripts/start.ts), the end-to-end tests, the CLI's
// stack test and the pipeline benchmark: `wrangler dev` (local D1 + Queues, migrations applied to a
// --persist-to dir), the executor and the GPU backend (demo sampler), each on a 127.0.0.1 port,
// waited for until healthy, watched for an unexpected exit, and stopped cleanly. A fault proxy can
// sit in front of a service to make it answer 500 or hang for a while (tests and benchmarks).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { apiKeyInsertSql, newApiKey } from "../src/db/api-keys.ts";

export const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
/** The development secret in wrangler.toml [vars]; the backend signs callbacks with it. */
export const DEV_BACKEND_WEBHOOK_SECRET = "whsec_HbgWuNfEE4OHAcn+Vw7dlwZm1UMInj3T";

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export interface Service {
  /** Which service, as messages name it ("executor", "gpu-backend", "wrangler dev"). */
  name: string;
  url: string;
  port: number;
  process: ChildProcess;
  output(): string;
  /**
   * Settles once the service exits by itself after it was ready (a crash, a kill from outside);
   * never when it is stopped through stop().
   */
  died: Promise<ServiceDeath>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServiceDeath {
  name: string;
  /** The exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the service printed last (stdout and stderr). */
  output: string;
}

/** Output a dying process printed just before its exit event can still be in the pipe. */
const LAST_OUTPUT_GRACE_MS = 100;

/**
 * Starts a service process in its own process group and resolves once its output matches `ready`
 * (the first group is the port it listens on).
 */
export function spawnService(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs: number,
): Promise<Service & { match: RegExpExecArray }> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  let stopping = false;
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      stopProcess(child, "SIGKILL");
      reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output.slice(-3000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        child.stdout!.on("data", (more: Buffer) => (output = (output + more.toString()).slice(-100_000)));
        const port = Number(match[1]);
        child.off("exit", onEarlyExit);
        const died = new Promise<ServiceDeath>((report) => {
          const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
            if (stopping) return;
            setTimeout(() => report({ name, code, signal, output }), LAST_OUTPUT_GRACE_MS);
          };
          if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
          else child.once("exit", onExit);
        });
        resolvePromise({
          name,
          url: `http://127.0.0.1:${port}`,
          port,
          process: child,
          match,
          output: () => output,
          died,
          stop: (signal = "SIGTERM") => {
            stopping = true;
            return stopProcess(child, signal);
          },
        });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000)));
    const onEarlyExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${output.slice(-3000)}`));
    };
    child.once("exit", onEarlyExit);
  });
}

/**
 * Signals the service's whole process group (tsx and wrangler run the server in a child process,
 * so signalling only the parent would leave the server listening).
 */
function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const group = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  if (child.exitCode !== null || child.signalCode !== null) {
    group("SIGKILL");
    return Promise.resolve();
  }
  return new Promise((done) => {
    const force = setTimeout(() => group("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(force);
      group("SIGKILL");
      done();
    });
    group(signal);
  });
}

export async function startExecutor(options: { token: string; port?: number; packsDir?: string; concurrency?: number }): Promise<Service> {
  return spawnService(
    "executor",
    TSX,
    ["workers/executor/src/server.ts"],
    {
      PORT: String(options.port ?? 0),
      HOST: "127.0.0.1",
      EXECUTOR_TOKEN: options.token,
      PACKS_DIR: options.packsDir ?? join(ROOT, "packs"),
      ...(options.concurrency ? { EXECUTOR_CONCURRENCY: String(options.concurrency) } : {}),
    },
    /listening on http:\/\/[^:]+:(\d+)/,
    60_000,
  );
}

export async function startBackend(options: {
  token: string;
  webhookSecret?: string;
  mergeDir: string;
  /** BACKEND_STATE_DIR (default: backend-state beside mergeDir). */
  stateDir?: string;
  port?: number;
  /** The executor the tool and agentic settings run programs on. */
  executorUrl?: string;
  executorToken?: string;
  /** More environment (remote checkpoint sources, OUTPUT_STORE, FETCH_ALLOW_HOSTS for loopback doubles). */
  env?: Record<string, string>;
}): Promise<Service> {
  return spawnService(
    "gpu-backend",
    TSX,
    ["workers/gpu-backend/src/server.ts"],
    {
      PORT: String(options.port ?? 0),
      HOST: "127.0.0.1",
      BACKEND_TOKEN: options.token,
      BACKEND_WEBHOOK_SECRET: options.webhookSecret ?? DEV_BACKEND_WEBHOOK_SECRET,
      MERGE_OUTPUT_DIR: options.mergeDir,
      // Durable jobs beside the merge outputs: one state directory per stack (one backend owns it).
      BACKEND_STATE_DIR: options.stateDir ?? join(dirname(resolve(options.mergeDir)), "backend-state"),
      CALLBACK_RETRY_BASE_MS: "200",
      ...(options.executorUrl ? { EXECUTOR_URL: options.executorUrl, EXECUTOR_TOKEN: options.executorToken ?? "" } : {}),
      ...options.env,
    },
    /listening on http:\/\/[^:]+:(\d+)/,
    60_000,
  );
}

/** `wrangler d1 …` against the temp persist dir. */
async function wranglerD1(stateDir: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(WRANGLER, ["d1", ...args, "--local", "--persist-to", stateDir], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.once("exit", (code) => (code === 0 ? done(out) : fail(new Error(`wrangler d1 ${args.join(" ")} failed (${code}):\n${out.slice(-3000)}`))));
  });
}

export interface Edge extends Service {
  stateDir: string;
  /** Creates an API key through `POST /v1/keys` with the admin key made before start-up, and returns it. */
  apiKey(scopes: ("read" | "submit" | "admin" | "operator")[]): Promise<string>;
}

export async function startEdge(options: {
  executorUrl: string;
  executorToken: string;
  backendUrl: string;
  backendToken: string;
  publicUrl?: boolean;
  stateDir?: string;
  port?: number;
}): Promise<Edge> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), "frontier-e2e-"));
  await wranglerD1(stateDir, ["migrations", "apply", "frontier"]);
  // One operator key goes straight into the local D1 before wrangler dev opens it (writing to the
  // SQLite file while wrangler dev holds it can fail with SQLITE_BUSY); further keys go through the API.
  const bootstrap = await newApiKey(["operator"], "e2e-bootstrap", new Date());
  const bootstrapFile = join(stateDir, `key-${bootstrap.row.id}.sql`);
  writeFileSync(bootstrapFile, apiKeyInsertSql(bootstrap.row));
  await wranglerD1(stateDir, ["execute", "frontier", "--file", bootstrapFile]);
  // A fixed port for `npm start` (scripts/start.ts); tests take a free one.
  const port = options.port ?? (await freePort());
  const inspector = await freePort();
  const vars: Record<string, string> = {
    EXECUTOR_URL: options.executorUrl,
    EXECUTOR_TOKEN: options.executorToken,
    BACKEND_URL: options.backendUrl,
    BACKEND_TOKEN: options.backendToken,
    ALLOW_FILE_URLS: "true",
    // Local only: outbound webhooks may go to a receiver on this machine.
    WEBHOOK_ALLOW_HOSTS: "127.0.0.1,localhost",
    ...(options.publicUrl ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
  };
  const service = await spawnService(
    "wrangler dev",
    WRANGLER,
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspector),
      "--persist-to",
      stateDir,
      "--show-interactive-dev-session=false",
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    { CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    new RegExp(`Ready on http://127\\.0\\.0\\.1:(${port})`),
    120_000,
  );
  await waitFor(async () => (await fetch(`${service.url}/v1/health`)).ok, 60_000, "edge health");
  return {
    ...service,
    stateDir,
    async apiKey(scopes) {
      const response = await fetch(`${service.url}/v1/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${bootstrap.key}`, "content-type": "application/json" },
        body: JSON.stringify({ scopes, label: "e2e" }),
      });
      if (response.status !== 201) throw new Error(`creating an API key failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { key: string }).key;
    },
    async stop(signal) {
      await service.stop(signal);
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** The last `count` non-empty lines of a service's output. */
export function lastLines(output: string, count = 20): string[] {
  return output
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .slice(-count);
}

/** What `npm start` prints when a service dies: which one, how it ended, and its last log lines. */
export function deathMessage(death: ServiceDeath, count = 20): string {
  const how = death.signal ? `was killed by ${death.signal}` : `exited with code ${death.code}`;
  const lines = lastLines(death.output, count);
  return [`${death.name} ${how} while serving.`, lines.length ? `Its last log lines:\n  ${lines.join("\n  ")}` : "It printed nothing."].join(" ");
}

/** The first of these services to die by itself. */
export function firstDeath(services: readonly Pick<Service, "died">[]): Promise<ServiceDeath> {
  return Promise.race(services.map((service) => service.died));
}

export async function waitFor<T>(check: () => Promise<T | false | undefined | null>, timeoutMs: number, what: string, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export type FaultMode = "pass" | "500" | "hang";

/** An HTTP proxy in front of a service whose behaviour can be switched: pass through, 500, or hang. */
export interface FaultProxy {
  url: string;
  mode: FaultMode;
  /** Drops every request left hanging (the caller sees the connection reset, as after a timeout). */
  dropHanging(): void;
  /** Requests answered with a fault so far. */
  faults: number;
  /** Requests seen, by method and path without the query ("POST /v1/judge"). */
  requests: Map<string, number>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const hanging = new Set<ServerResponse>();
  const proxy: FaultProxy = { url: "", mode: "pass", faults: 0, requests: new Map(), dropHanging: () => {}, close: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const name = `${req.method} ${(req.url ?? "").split("?")[0]}`;
    proxy.requests.set(name, (proxy.requests.get(name) ?? 0) + 1);
    if (proxy.mode === "500") {
      proxy.faults++;
      req.resume();
      res.writeHead(500, { "content-type": "application/problem+json" }).end(JSON.stringify({ type: "about:blank", title: "Injected failure", status: 500 }));
      return;
    }
    if (proxy.mode === "hang") {
      proxy.faults++;
      req.resume();
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.dropHanging = () => {
    for (const res of hanging) res.destroy();
    hanging.clear();
  };
  proxy.close = () =>
    new Promise<void>((done) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => done());
    });
  return proxy;
}

export interface Stack {
  edge: Edge;
  executor: Service;
  backend: Service;
  /** The proxies the edge talks through (pass-through unless a test injects faults). */
  executorProxy: FaultProxy;
  backendProxy: FaultProxy;
  executorToken: string;
  mergeDir: string;
  /** Restarts the executor on the same port (after a kill). */
  restartExecutor(): Promise<void>;
  stop(): Promise<void>;
}

/** The whole local stack. `callbacks`: the backend calls the edge back (else the edge polls). */
export async function startStack(options: { callbacks?: boolean; backendEnv?: Record<string, string> } = {}): Promise<Stack> {
  const executorToken = `exec-${Math.random().toString(36).slice(2)}`;
  const backendToken = `back-${Math.random().toString(36).slice(2)}`;
  const mergeDir = mkdtempSync(join(tmpdir(), "frontier-merges-"));
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const firstExecutor = await startExecutor({ token: executorToken });
    let current = firstExecutor;
    cleanups.push(() => current.stop());
    const backend = await startBackend({ token: backendToken, mergeDir, env: options.backendEnv });
    cleanups.push(() => backend.stop());
    const executorProxy = await startFaultProxy(firstExecutor.url);
    cleanups.push(() => executorProxy.close());
    const backendProxy = await startFaultProxy(backend.url);
    cleanups.push(() => backendProxy.close());
    const edge = await startEdge({ executorUrl: executorProxy.url, executorToken, backendUrl: backendProxy.url, backendToken, publicUrl: options.callbacks });
    const stack: Stack = {
      edge,
      executor: firstExecutor,
      backend,
      executorProxy,
      backendProxy,
      executorToken,
      mergeDir,
      async restartExecutor() {
        current = await startExecutor({ token: executorToken, port: firstExecutor.port });
        stack.executor = current;
      },
      async stop() {
        await edge.stop();
        await Promise.all(cleanups.map((cleanup) => cleanup().catch(() => {})));
        rmSync(mergeDir, { recursive: true, force: true });
      },
    };
    return stack;
  } catch (error) {
    await Promise.all(cleanups.map((cleanup) => cleanup().catch(() => {})));
    rmSync(mergeDir, { recursive: true, force: true });
    throw error;
  }
}
