// One managed `vllm serve <dir>` process: started on a free port, healthy once GET /health answers
// 200 (vLLM opens its port only after the engine has loaded), stopped with SIGTERM and, after a grace
// period, SIGKILL to its whole process group. Its last log lines explain a failed start.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { SamplerError, sleep } from "./server-client.ts";

export interface VllmLaunch {
  bin: string;
  dir: string;
  servedName: string;
  apiKey?: string;
  /** CUDA_VISIBLE_DEVICES for this server; its size is the tensor-parallel size. */
  gpus?: string[];
  /** VLLM_ARGS, split into words. */
  extraArgs: string[];
  startTimeoutMs: number;
  stopGraceMs: number;
  env?: Record<string, string | undefined>;
}

const LOG_LINES = 40;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export class VllmProcess {
  private readonly log: string[] = [];
  private exited?: { code: number | null; signal: string | null };
  private readonly exitPromise: Promise<void>;

  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly launch: VllmLaunch,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split(/\r?\n/)) if (line.trim()) this.log.push(line);
      if (this.log.length > LOG_LINES) this.log.splice(0, this.log.length - LOG_LINES);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exitPromise = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exited = { code, signal };
        running.delete(child);
        resolve();
      });
      child.once("error", (error) => {
        this.log.push(`spawn ${launch.bin}: ${error.message}`);
        this.exited = { code: null, signal: null };
        running.delete(child);
        resolve();
      });
    });
  }

  static async start(launch: VllmLaunch): Promise<VllmProcess> {
    const port = await freePort();
    const args = ["serve", launch.dir, "--host", "127.0.0.1", "--port", String(port), "--served-model-name", launch.servedName];
    if (launch.apiKey) args.push("--api-key", launch.apiKey);
    if (launch.gpus && launch.gpus.length > 1) args.push("--tensor-parallel-size", String(launch.gpus.length));
    args.push(...launch.extraArgs);
    const env: Record<string, string | undefined> = { ...(launch.env ?? process.env) };
    if (launch.gpus) env.CUDA_VISIBLE_DEVICES = launch.gpus.join(",");
    const child = spawn(launch.bin, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    running.add(child);
    installExitHook();
    const server = new VllmProcess(`http://127.0.0.1:${port}`, child, launch);
    await server.waitHealthy();
    return server;
  }

  /** The server's last log lines. */
  tail(): string {
    return this.log.slice(-LOG_LINES).join("\n");
  }

  private async waitHealthy(): Promise<void> {
    const deadline = Date.now() + this.launch.startTimeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) {
        const how = this.exited.signal ? `was killed by ${this.exited.signal}` : `exited with code ${this.exited.code}`;
        throw new SamplerError(`vllm serve ${this.launch.dir} ${how} before it was healthy; its last log lines:\n${this.tail()}`);
      }
      try {
        const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // connection refused while the engine loads
      }
      await sleep(200);
    }
    await this.stop();
    throw new SamplerError(
      `vllm serve ${this.launch.dir} was not healthy within ${Math.round(this.launch.startTimeoutMs / 1000)} s (VLLM_START_TIMEOUT_S); its last log lines:\n${this.tail()}`,
    );
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    signalGroup(this.child, "SIGTERM");
    const timer = setTimeout(() => signalGroup(this.child, "SIGKILL"), this.launch.stopGraceMs);
    await this.exitPromise;
    clearTimeout(timer);
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Servers must not outlive the backend: kill what is left when it exits. */
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) signalGroup(child, "SIGKILL");
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
