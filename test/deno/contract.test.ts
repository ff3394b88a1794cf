// The HTTP contract suite (test/contract) against the Deno entry: a real `deno` process serving
// src/runtime/deno.ts on a free loopback port, with its own SQLite database in a temp folder.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { registerContractSuite } from "../contract/index.ts";
import { keyMaker, newWebhookSecret, startDenoServer, type DenoServer } from "./deno-process.ts";

const folder = mkdtempSync(join(tmpdir(), "frontier-deno-contract-"));
const databasePath = join(folder, "frontier.sqlite");
const webhookSecret = newWebhookSecret();
let server: DenoServer | undefined;

beforeAll(async () => {
  server = await startDenoServer({
    databasePath,
    vars: { WEBHOOK_SECRET: webhookSecret, ALLOW_FILE_URLS: "false", MAX_BODY_BYTES: "1048576" },
  });
});

afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

registerContractSuite({
  fetch: (path, init) => {
    if (!server) throw new Error("the Deno server did not start");
    return fetch(new URL(path, server.url), init);
  },
  createApiKey: keyMaker(databasePath),
  webhookSecret,
  now: () => new Date(),
  allowsFileUrls: false,
});
