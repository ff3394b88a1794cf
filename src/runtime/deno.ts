// Deno entry: the same app as on Workers, built from Deno-native ports — a SQLite file (migrated
// from migrations/ on start) in place of D1, a Deno KV queue in place of Cloudflare Queues — and
// served with Deno.serve. `deno task start`; variables as on Workers (see docs/deno.md).
import { createApp } from "../app.ts";
import { invalidatePublicVersion } from "../http/public-cache.ts";
import type { Ports } from "../ports.ts";
import { dispatchQueueBatch, type QueueConsumers } from "../queue/dispatch.ts";
import { QUEUE_TOPOLOGY, type QueueTopology } from "../queue/retry-policy.ts";
import { withStaticAssets } from "./deno/assets.ts";
import { openDatabase } from "./deno/database.ts";
import { listenKvQueues } from "./deno/kv-queue.ts";
import { buildDenoPorts } from "./deno/ports.ts";
import { QUEUE_CONSUMERS } from "./shared.ts";

/** Consumers by logical queue name: the list src/runtime/shared.ts keeps for both runtimes. */
export { QUEUE_CONSUMERS };

export const DEFAULT_PORT = 8000;
/** Loopback only unless HOST says otherwise: a local server is not exposed to the network by default. */
export const DEFAULT_HOSTNAME = "127.0.0.1";
export const DEFAULT_DATABASE_PATH = "frontier.sqlite";

export interface ServerOptions {
  port: number;
  hostname: string;
  databasePath: string;
  /** The KV store behind the queues; defaults to `<databasePath>.kv` next to the database. */
  kvPath?: string;
  /** Deployment variables, as on Workers (WEBHOOK_SECRET, ALLOW_FILE_URLS, EXECUTOR_URL, …). */
  vars: Record<string, string | undefined>;
  consumers?: QueueConsumers;
  /** The queues' batching and retries; default wrangler.toml's top level (QUEUE_TOPOLOGY.development). */
  topology?: QueueTopology;
  /** Static files served before the app, as Workers serves [assets]; default web/public (ASSETS_DIR). */
  assetsDirectory?: string;
}

export interface RunningServer {
  /** Where the server listens, e.g. http://127.0.0.1:8000. */
  url: string;
  ports: Ports;
  kv: Deno.Kv;
  /** Stops accepting requests, lets in-flight ones finish, and closes the queue and database. */
  shutdown(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const database = await openDatabase(options.databasePath);
  if (database.applied.length > 0) console.log(`frontier: applied migrations ${database.applied.join(", ")}`);
  const kv = await Deno.openKv(options.kvPath ?? kvPathFor(options.databasePath));
  const topology = options.topology ?? QUEUE_TOPOLOGY.development;
  const ports = buildDenoPorts({ db: database.db, kv, topology, vars: options.vars });
  const consumers = options.consumers ?? QUEUE_CONSUMERS;
  const queueListener = listenKvQueues(kv, {
    consumers: topology.consumers,
    // A batch may store results a public read shows: the next one re-reads the cache version.
    dispatch: (batch) => dispatchQueueBatch(batch, ports, consumers).finally(() => invalidatePublicVersion(ports)),
  });
  const handler = withStaticAssets(createApp(ports), options.assetsDirectory);

  let server!: Deno.HttpServer<Deno.NetAddr>;
  const address = await new Promise<Deno.NetAddr>((resolve) => {
    server = Deno.serve({ port: options.port, hostname: options.hostname, onListen: resolve }, handler);
  });
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return {
    url: `http://${host}:${address.port}`,
    ports,
    kv,
    async shutdown() {
      await server.shutdown();
      queueListener.close();
      kv.close();
      database.close();
    },
  };
}

/** The queue's KV store sits next to the SQLite file; an in-memory database gets an in-memory store. */
export function kvPathFor(databasePath: string): string {
  return databasePath === ":memory:" ? ":memory:" : `${databasePath}.kv`;
}

if (import.meta.main) {
  const vars = Deno.env.toObject();
  const port = vars.PORT === undefined || vars.PORT === "" ? DEFAULT_PORT : Number(vars.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`frontier: PORT must be a port number, not '${vars.PORT}'`);
    Deno.exit(2);
  }
  const running = await startServer({
    port,
    hostname: vars.HOST || DEFAULT_HOSTNAME,
    databasePath: vars.DATABASE_PATH || DEFAULT_DATABASE_PATH,
    kvPath: vars.KV_PATH || undefined,
    assetsDirectory: vars.ASSETS_DIR || undefined,
    vars,
  });
  // Tests and scripts read this line to find the port when PORT=0.
  console.log(`frontier: listening on ${running.url}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.shutdown();
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, stop);
}
