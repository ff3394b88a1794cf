// Starts the Deno entry (src/runtime/deno.ts) as a real `deno` process from Node tests, with the
// permissions and flags of `deno task start`, and creates API keys through `deno task keys`.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ApiScope } from "../contract/harness.ts";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const DENO = join(REPO, "node_modules/.bin/deno");

/** A registry nothing listens on: a Deno that tried to download a package would fail loudly. */
const OFFLINE_REGISTRY = "http://127.0.0.1:9/";

/** The `deno run …` arguments of a task in deno.json, with the script swapped when asked. */
export function taskArgs(task: "start" | "keys", script?: string): string[] {
  const config = JSON.parse(readFileSync(join(REPO, "deno.json"), "utf8"));
  const entry = config.tasks[task];
  const [, ...args] = String(typeof entry === "string" ? entry : entry.command).split(/\s+/);
  if (script) args[args.length - 1] = script;
  return args;
}

export function denoEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", NPM_CONFIG_REGISTRY: OFFLINE_REGISTRY, ...extra };
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export interface DenoServer {
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM (a graceful shutdown), then SIGKILL if it lingers; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `vars` override the environment; an undefined value leaves that variable unset. */
export async function startDenoServer(options: { databasePath: string; vars?: Record<string, string | undefined> }): Promise<DenoServer> {
  const child = spawn(DENO, taskArgs("start"), {
    cwd: REPO,
    env: denoEnv({ PORT: "0", HOST: "127.0.0.1", DATABASE_PATH: options.databasePath, ...options.vars }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`deno server did not start within 90 s:\n${output}`)), 90_000);
    const onData = () => {
      const match = /frontier: listening on (http:\/\/\S+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`deno server exited (${code}) before listening:\n${output}`));
    });
  });
  await waitForHealth(url, () => output);
  return { url, output: () => output, stop: () => stopProcess(child, exited) };
}

async function waitForHealth(url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/v1/health`);
      if (res.ok) return;
    } catch {
      // not accepting yet
    }
    if (Date.now() > deadline) throw new Error(`deno server never became healthy:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Runs a Deno script (with the keys task's permissions unless given) and returns its output. */
export function runDeno(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(DENO, args, { cwd: REPO, env: denoEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`deno ${args.join(" ")} timed out:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * API keys made by `deno task keys create` in the server's database. Keys are made ten at a time
 * per set of scopes (one Deno start each) and handed out one by one, never twice.
 */
export function keyMaker(databasePath: string): (scopes: ApiScope[]) => Promise<string> {
  const pools = new Map<string, Promise<string[]>>();
  return async (scopes) => {
    const name = [...scopes].sort().join(",");
    const refill = async (): Promise<string[]> => {
      const args = [
        ...taskArgs("keys"),
        "create",
        ...(scopes.length > 0 ? scopes.flatMap((scope) => ["--scope", scope]) : ["--no-scope"]),
        "--count",
        "10",
        "--json",
        "--label",
        "deno contract",
      ];
      const result = await runDeno(args, { DATABASE_PATH: databasePath });
      if (result.code !== 0) throw new Error(`deno task keys failed (${result.code}):\n${result.stderr}`);
      return (JSON.parse(result.stdout) as { key: string }[]).map((created) => created.key);
    };
    // Chain on the pool's previous state so concurrent callers never take the same key.
    const next = (pools.get(name) ?? Promise.resolve([])).then(async (keys) => (keys.length > 0 ? keys : refill()));
    const taken = next.then((keys) => keys.slice(1));
    pools.set(
      name,
      taken.catch(() => []),
    );
    return (await next)[0];
  };
}
