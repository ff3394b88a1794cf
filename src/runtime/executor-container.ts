// Production: the sandboxed executor runs as a Cloudflare Container (workers/executor/Dockerfile)
// behind this Durable Object class. Locally there is no Docker, so wrangler.toml binds it only in
// [env.production]; everywhere else the executor is reached over HTTP (EXECUTOR_URL).
import { Container, getRandom } from "@cloudflare/containers";
import type { ServiceClient } from "../ports.ts";

/** The secrets the executor image needs, handed to each instance from the Worker's own secrets. */
export function executorContainerEnv(env: { EXECUTOR_TOKEN?: string }): Record<string, string> {
  if (!env.EXECUTOR_TOKEN) throw new Error("EXECUTOR_TOKEN is not set: `wrangler secret put EXECUTOR_TOKEN --env production`");
  return { EXECUTOR_TOKEN: env.EXECUTOR_TOKEN };
}

export class ExecutorContainer extends Container<{ EXECUTOR_TOKEN?: string }> {
  defaultPort = 8788;
  // Judging comes in bursts from the executions queue; keep a warm instance between them.
  sleepAfter = "10m";
  enableInternet = false;

  constructor(ctx: ConstructorParameters<typeof Container>[0], env: { EXECUTOR_TOKEN?: string }) {
    super(ctx, env);
    // The image refuses to start without a token; the same secret authenticates the Worker's calls.
    this.envVars = executorContainerEnv(env);
  }
}

/** Instances to spread judging over (each runs its own sandboxes). */
export const EXECUTOR_INSTANCES = 4;

/** The executor port over the Container binding; the token still travels, as the image requires one. */
export function containerExecutor(
  binding: DurableObjectNamespace<ExecutorContainer>,
  token: string | undefined,
  instances = EXECUTOR_INSTANCES,
): ServiceClient {
  return {
    async fetch(path, init) {
      const stub = await getRandom(binding, instances);
      const headers = new Headers(init?.headers);
      if (token && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
      return stub.fetch(new Request(new URL(path, "http://executor.container"), { ...init, headers }));
    },
  };
}
