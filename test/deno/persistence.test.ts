// The Deno server keeps its data in DATABASE_PATH: a restart on the same file finds keys and
// checkpoints again and applies no migration twice; a fresh path starts empty.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bearer, jsonInit } from "../contract/harness.ts";
import { keyMaker, REPO, runDeno, startDenoServer, taskArgs, type DenoServer } from "./deno-process.ts";

const folder = mkdtempSync(join(tmpdir(), "frontier-deno-persist-"));
const running: DenoServer[] = [];
afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
  rmSync(folder, { recursive: true, force: true });
});

async function start(databasePath: string): Promise<DenoServer> {
  const server = await startDenoServer({ databasePath });
  running.push(server);
  return server;
}

describe("Deno persistence", () => {
  it("keeps checkpoints and keys across a restart on the same DATABASE_PATH", async () => {
    const databasePath = join(folder, "kept.sqlite");
    const first = await start(databasePath);
    expect(first.output()).toMatch(/applied migrations 0000_/);
    const key = await keyMaker(databasePath)(["submit"]);
    const body = { url: "s3://bucket/persist.safetensors", run: "persist-run", step: 7 };
    const created = await fetch(`${first.url}/v1/checkpoints`, jsonInit("POST", body, bearer(key)));
    expect(created.status).toBe(201);
    const checkpoint = (await created.json()) as { id: string };
    expect(await first.stop()).toBe(0); // SIGTERM is a clean shutdown

    const second = await start(databasePath);
    expect(second.output()).not.toMatch(/applied migrations/);
    // Reads of the team's rows need its key.
    const read = await fetch(`${second.url}/v1/checkpoints/${checkpoint.id}`, { headers: bearer(key) });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(checkpoint);
    // The key made before the restart still authenticates.
    const again = await fetch(`${second.url}/v1/checkpoints`, jsonInit("POST", { ...body, step: 8 }, bearer(key)));
    expect(again.status).toBe(201);
    const listed = (await (await fetch(`${second.url}/v1/checkpoints?run=persist-run`, { headers: bearer(key) })).json()) as { data: { step: number }[] };
    expect(listed.data.map((c) => c.step)).toEqual([7, 8]);
    await second.stop();

    // The SQLite file and the queue's KV store sit side by side.
    expect(readdirSync(folder)).toEqual(expect.arrayContaining(["kept.sqlite", "kept.sqlite.kv"]));
  });

  it("records applied migrations like wrangler's d1_migrations, once each", async () => {
    const databasePath = join(folder, "migrations.sqlite");
    // Two key commands on a new file: the first creates and migrates it, the second finds it migrated.
    for (let i = 0; i < 2; i++) {
      const made = await runDeno([...taskArgs("keys"), "create", "--scope", "admin"], { DATABASE_PATH: databasePath });
      expect(made.stdout).toMatch(/^frk_[0-9a-z]{32}\tkey_/);
    }
    const listing = await runDeno(
      [
        "eval",
        `import { DatabaseSync } from "node:sqlite"; const db = new DatabaseSync(${JSON.stringify(databasePath)}); console.log(JSON.stringify(db.prepare("SELECT name FROM d1_migrations ORDER BY id").all().map((r) => r.name)));`,
      ],
      {},
    );
    expect(listing.code).toBe(0);
    const applied: string[] = JSON.parse(listing.stdout);
    const files = readdirSync(join(REPO, "migrations"))
      .filter((f) => f.endsWith(".sql"))
      .sort();
    expect(applied).toEqual(files);
  });

  it("a new DATABASE_PATH starts empty", async () => {
    const server = await start(join(folder, "fresh.sqlite"));
    const listed = (await (await fetch(`${server.url}/v1/checkpoints?run=persist-run`)).json()) as { data: unknown[] };
    expect(listed.data).toEqual([]);
    await server.stop();
  });
});
