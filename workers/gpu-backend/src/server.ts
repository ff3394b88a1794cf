// Runs the backend on its own: `npx tsx workers/gpu-backend/src/server.ts` (npm run backend).
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { backendConfigFromEnv, createBackend } from "./app.ts";

export interface RunningBackend {
  url: string;
  close(): Promise<void>;
}

export async function startBackend(env: Record<string, string | undefined> = process.env): Promise<RunningBackend> {
  const { app, services } = createBackend(backendConfigFromEnv(env));
  const hostname = env.HOST || "127.0.0.1";
  const port = env.PORT === undefined || env.PORT === "" ? 8789 : Number(env.PORT);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname, port }, (info) => {
      resolve({
        url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${info.port}`,
        close: async () => {
          await new Promise<void>((done) => server.close(() => done()));
          await Promise.all([services.merges.idle(), services.samples.idle()]);
          await services.closeSampler();
          services.jobStore?.close();
        },
      });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const backend = await startBackend();
    console.log(`gpu-backend listening on ${backend.url}`);
    const stop = () => void backend.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } catch (error) {
    console.error(`gpu-backend: ${(error as Error).message}`);
    process.exit(1);
  }
}
