// Starts the SGLang double (or the vLLM one by hand) as a real process and waits for /health.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { MODEL_SERVER } from "./checkpoints.ts";

export interface RunningDouble {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** `args` after the mode word, e.g. ["--model-path", dir]; the port is added. */
export async function startDouble(mode: "sglang" | "serve", args: string[], env: Record<string, string> = {}): Promise<RunningDouble> {
  const port = await freePort();
  const child = spawn(process.execPath, [MODEL_SERVER, mode, ...args, "--host", "127.0.0.1", "--port", String(port)], {
    env: { ...process.env, DOUBLE_LOAD_MS: "50", ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the ${mode} double did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
