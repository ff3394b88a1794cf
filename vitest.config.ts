// Test projects:
//  - edge: src/ tests run inside workerd (vitest-pool-workers) with D1 migrations applied.
//  - node: the services under workers/, the CLI and the packs, as plain Node processes.
//  - deno: test/deno, the API served by `deno` (src/runtime/deno.ts) from Node tests.
//  - e2e:  the real processes (wrangler dev, executor, backend) started by the tests.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            main: "./src/runtime/workers.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(root("./migrations")),
                // Tests write D1 directly and read at once: re-read the public version on every request
                // (test/src/core/public-cache.test.ts checks the one-second default with a clock).
                PUBLIC_VERSION_TTL_MS: "0",
                // Webhook signing secrets sealed at rest, as a production deployment sets it (a test-only key).
                SECRETS_KEY: "dGVzdC1vbmx5IGtleTogMzIgYnl0ZXMgZm9yIEFFUyE=",
              },
              // A second database standing in for a D1 read replica that lags the primary
              // (test/src/core/replica-lag.test.ts); migrations are applied to it in setup.ts.
              d1Databases: ["REPLICA"],
            },
          })),
        ],
        test: {
          name: "edge",
          // workerd tests make many D1 round trips; 5 s is too tight on a loaded 2-core machine.
          testTimeout: 30_000,
          include: ["test/src/**/*.test.ts"],
          setupFiles: ["./test/src/setup.ts"],
          // A local receiver for outbound webhooks (test/src/runs/webhooks.test.ts).
          globalSetup: ["./test/src/runs/webhook-receiver.ts"],
        },
      },
      {
        test: {
          name: "node",
          include: ["test/workers/**/*.test.ts", "test/cli/**/*.test.ts", "test/packs/**/*.test.ts", "test/scripts/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The same contract suite against the Deno entry, run as a real `deno` process.
        test: {
          name: "deno",
          include: ["test/deno/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
