// Production: the sandboxed executor runs as a Cloudflare Container (workers/executor/Dockerfile)
// behind this Durable Object class. Locally there is no Docker, so wrangler.toml binds it only in
// [env.production]; everywhere else the executor is reached over HTTP (EXECUTOR_URL).
import { Container, getRandom } from "@cloudflare/containers";
import type { ServiceClient } from "../ports.ts";

export class ExecutorContainer extends Container {
  defaultPort = 8788;
  // Judging comes in bursts from the executions queue; keep a warm instance between them.
  sleepAfter = "10m";
  enableInternet = false;
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
