// The executor as a process: `npx tsx workers/executor/src/server.ts` (or `npm run executor`).
// Env: PORT (8788), HOST (127.0.0.1), EXECUTOR_TOKEN (required), EXECUTOR_CONCURRENCY,
// EXECUTOR_OUTPUT_LIMIT_BYTES, PACKS_DIR, PACKS_URL, PACKS_CACHE_DIR, EXECUTOR_CACHE_DIR, EXECUTOR_PYTHON,
// EXECUTOR_GXX, EXECUTOR_RETIME_FACTOR, EXECUTOR_ISOLATION (auto|bwrap|uid), EXECUTOR_SANDBOX_UID_BASE,
// EXECUTOR_MAX_QUEUE (waiting submissions above which /v1/judge answers 503 + Retry-After; 0 = none).
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createExecutorApp } from "./http/app.ts";
import { Judge } from "./judge.ts";
import { PackStore } from "./packs.ts";

export interface StartedExecutor {
  port: number;
  close(): Promise<void>;
}

export async function startExecutor(env: Record<string, string | undefined> = process.env): Promise<StartedExecutor> {
  const judge = new Judge({
    ...(env.EXECUTOR_CONCURRENCY ? { concurrency: Number(env.EXECUTOR_CONCURRENCY) } : {}),
    ...(env.EXECUTOR_OUTPUT_LIMIT_BYTES ? { outputLimitBytes: Number(env.EXECUTOR_OUTPUT_LIMIT_BYTES) } : {}),
    ...(env.EXECUTOR_ISOLATION ? { isolation: env.EXECUTOR_ISOLATION as "auto" | "bwrap" | "uid" } : {}),
    ...(env.EXECUTOR_SANDBOX_UID_BASE ? { sandboxUidBase: Number(env.EXECUTOR_SANDBOX_UID_BASE) } : {}),
  });
  judge.speedFactor(); // the reference workload, measured once at start (reported in /v1/health)
  const packs = new PackStore({ dir: env.PACKS_DIR, url: env.PACKS_URL, cacheDir: env.PACKS_CACHE_DIR });
  const app = createExecutorApp({ judge, packs, token: env.EXECUTOR_TOKEN ?? "", maxQueue: Number(env.EXECUTOR_MAX_QUEUE || 0) });
  const hostname = env.HOST ?? "127.0.0.1";
  const port = env.PORT === undefined ? 8788 : Number(env.PORT);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname, port }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())).then(() => judge.close()),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!process.env.EXECUTOR_TOKEN) {
    console.error("executor: set EXECUTOR_TOKEN (the bearer token /v1/judge requires)");
    process.exit(2);
  }
  const started = await startExecutor();
  console.log(`executor listening on http://${process.env.HOST ?? "127.0.0.1"}:${started.port}`);
  const stop = () => started.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
