// Production: the sandboxed executor runs as a Cloudflare Container (workers/executor/Dockerfile)
// behind this Durable Object class. Locally there is no Docker, so wrangler.toml binds it only in
// [env.production]; everywhere else the executor is reached over HTTP (EXECUTOR_URL).
//
// Instances: a judge request for a pack goes to the pack's home instance by rendezvous hashing
// (src/domain/rendezvous.ts) among `instances` (max_instances in wrangler.toml), so each pack is
// pushed to, and cached by, few instances; a busy instance (503) passes it to the next in the
// pack's order. Containers have no internet: an instance that answers "Unknown pack" (or holds an
// older version) gets the pack archive pushed from R2 (the PACKS bucket, `frontier benchmark
// upload`) with PUT /v1/packs/{name}?version=, and the request is sent again.
import { Container } from "@cloudflare/containers";
import { packArchiveKey } from "@frontier/contracts";
import { rendezvousOrder } from "../domain/rendezvous.ts";
import type { ServiceClient } from "../ports.ts";

/** The secrets and settings the executor image needs, handed to each instance from the Worker's own secrets. */
export function executorContainerEnv(env: { EXECUTOR_TOKEN?: string }): Record<string, string> {
  if (!env.EXECUTOR_TOKEN) throw new Error("EXECUTOR_TOKEN is not set: `wrangler secret put EXECUTOR_TOKEN --env production`");
  // A queue longer than this answers 503 + Retry-After, and the Worker tries the next instance.
  return { EXECUTOR_TOKEN: env.EXECUTOR_TOKEN, EXECUTOR_MAX_QUEUE: String(EXECUTOR_MAX_QUEUE) };
}

export const EXECUTOR_MAX_QUEUE = 16;

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

/** Instances to spread judging over (each runs its own sandboxes): max_instances in wrangler.toml. */
export const EXECUTOR_INSTANCES = 8;

/** What the client needs of the Durable Object namespace (a fake in tests). */
export interface InstanceNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): { fetch(request: Request): Promise<Response> };
}

/** What the client needs of the R2 bucket holding pack archives. */
export interface PackArchiveSource {
  get(key: string): Promise<{ text(): Promise<string> } | null>;
}

export interface ContainerExecutorOptions {
  instances?: number;
  /** The PACKS R2 bucket: where a missing pack is pushed from. */
  packs?: PackArchiveSource;
  /** Instances tried, in the key's rendezvous order, when the first ones are busy (default 2). */
  attempts?: number;
}

/** The pack a judge request names, if any (the affinity key). */
function packOf(path: string, body: unknown): { pack: string; version?: string } | null {
  if (path !== "/v1/judge" || typeof body !== "string") return null;
  try {
    const parsed = JSON.parse(body) as { pack?: unknown; pack_version?: unknown };
    if (typeof parsed.pack !== "string") return null;
    return { pack: parsed.pack, version: typeof parsed.pack_version === "string" ? parsed.pack_version : undefined };
  } catch {
    return null;
  }
}

/** Whether an executor's answer says it lacks the pack (or holds another version of it). */
async function lacksPack(response: Response): Promise<boolean> {
  if (response.status !== 404 && response.status !== 409) return false;
  try {
    const problem = (await response.clone().json()) as { title?: string };
    return problem.title === "Unknown pack" || problem.title === "Pack version mismatch";
  } catch {
    return false;
  }
}

/** The executor port over the Container binding; the token still travels, as the image requires one. */
export function containerExecutor(binding: InstanceNamespace, token: string | undefined, options: ContainerExecutorOptions = {}): ServiceClient {
  const instances = options.instances ?? EXECUTOR_INSTANCES;
  const attempts = Math.min(options.attempts ?? 2, instances);
  const send = (instance: number, path: string, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    if (token && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    const stub = binding.get(binding.idFromName(`instance-${instance}`));
    return stub.fetch(new Request(new URL(path, "http://executor.container"), { ...init, headers }));
  };
  const push = async (instance: number, pack: string, version: string): Promise<boolean> => {
    const object = await options.packs?.get(packArchiveKey(pack, version));
    if (!object) return false;
    const response = await send(instance, `/v1/packs/${encodeURIComponent(pack)}?version=${encodeURIComponent(version)}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: await object.text(),
    });
    await response.body?.cancel();
    return response.ok;
  };
  return {
    async fetch(path, init) {
      const target = packOf(path, init?.body);
      // Without a pack (an inline problem, /v1/run, health) any instance will do.
      const order = target ? rendezvousOrder(target.pack, instances) : rendezvousOrder(crypto.randomUUID(), instances);
      let response!: Response;
      for (let i = 0; i < attempts; i++) {
        const instance = order[i];
        response = await send(instance, path, init);
        if (target?.version && (await lacksPack(response)) && (await push(instance, target.pack, target.version))) {
          await response.body?.cancel();
          response = await send(instance, path, init);
        }
        if (response.status !== 503 || i === attempts - 1) return response;
        await response.body?.cancel(); // busy: its queue is full; the pack's next instance
      }
      return response;
    },
  };
}
