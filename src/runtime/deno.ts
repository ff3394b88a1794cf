// Deno entry: the same app as on Workers, built from Deno-native ports — a SQLite file (migrated
// from migrations/ on start) in place of D1, a Deno KV queue in place of Cloudflare Queues — and
// served with Deno.serve. `deno task start`; variables as on Workers (see docs/deno.md).
import { createApp } from "../app.ts";
import { invalidatePublicVersion } from "../http/public-cache.ts";
import type { Ports } from "../ports.ts";
import { dispatchQueueBatch, type QueueConsumers } from "../queue/dispatch.ts";
import { QUEUE_TOPOLOGY, type QueueTopology } from "../queue/retry-policy.ts";
import { sweepOutputs } from "../services/gc.ts";
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
  /** Static files served before the app (else the app's /assets/* route); default web/public (ASSETS_DIR). */
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
  const sweeper = startRetentionSweep(ports, options.vars);

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
      if (sweeper !== undefined) clearInterval(sweeper);
      queueListener.close();
      kv.close();
      database.close();
    },
  };
}

/**
 * The retention sweep of merge outputs that Workers runs from its cron: here a timer, every
 * OUTPUT_SWEEP_INTERVAL_SECONDS (default 3600), when OUTPUT_RETENTION_SECONDS is set. It never keeps
 * the process alive and one failed sweep only logs.
 */
function startRetentionSweep(ports: Ports, vars: Record<string, string | undefined>): ReturnType<typeof setInterval> | undefined {
  if (ports.config.OUTPUT_RETENTION_SECONDS === undefined) return undefined;
  const every = Number(vars.OUTPUT_SWEEP_INTERVAL_SECONDS || 3600);
  if (!Number.isInteger(every) || every <= 0)
    throw new Error(`OUTPUT_SWEEP_INTERVAL_SECONDS must be a positive number of seconds, not '${vars.OUTPUT_SWEEP_INTERVAL_SECONDS}'`);
  let running = false;
  const timer = setInterval(async () => {
    if (running) return; // a slow sweep is not overlapped by the next
    running = true;
    try {
      const result = await sweepOutputs(ports);
      console.log(`frontier: retention sweep: ${result?.outputs.length ?? 0} unreferenced merge outputs past the grace, ${result?.deleted ?? 0} deleted`);
    } catch (error) {
      console.error(`frontier: retention sweep failed: ${error instanceof Error ? error.message : error}`);
    } finally {
      running = false;
    }
  }, every * 1000);
  // Deno's timers are numbers (the Node typings in scope say Timeout).
  Deno.unrefTimer(timer as unknown as number);
  console.log(`frontier: retention sweep of merge outputs every ${every} s (OUTPUT_RETENTION_SECONDS=${ports.config.OUTPUT_RETENTION_SECONDS})`);
  return timer;
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
