// The app's ports on Deno: the SQLite database behind the D1 API and the Deno KV queue, plus what
// every runtime builds from deployment variables (src/runtime/shared.ts): config, the executor and
// backend over HTTP, and the in-memory write limiter in place of the rate-limiting binding.
import type { Database, Ports } from "../../ports.ts";
import { portsFromVars } from "../shared.ts";
import { kvQueueProducer } from "./kv-queue.ts";
import type { QueueTopology } from "../../queue/retry-policy.ts";

export function buildDenoPorts(options: { db: Database; kv: Deno.Kv; topology: QueueTopology; vars: Record<string, string | undefined> }): Ports {
  return portsFromVars({ db: options.db, queues: kvQueueProducer(options.kv, options.topology.producers), vars: options.vars });
}
