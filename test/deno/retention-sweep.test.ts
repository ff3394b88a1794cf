// The retention sweep of merge outputs on Deno: Workers runs it from its cron trigger; the Deno
// server runs it on a timer (OUTPUT_SWEEP_INTERVAL_SECONDS, default hourly) when
// OUTPUT_RETENTION_SECONDS is set, and not at all when it is not. What a sweep deletes is
// collectGarbage's, tested in test/src/pipeline/gc.test.ts; here: that it runs, repeatedly.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startDenoServer, type DenoServer } from "./deno-process.ts";

const folder = mkdtempSync(join(tmpdir(), "frontier-deno-sweep-"));
const servers: DenoServer[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(folder, { recursive: true, force: true });
});

const sweeps = (server: DenoServer) => server.output().match(/frontier: retention sweep: \d+ unreferenced/g)?.length ?? 0;

describe("retention sweep on Deno", () => {
  it("runs every OUTPUT_SWEEP_INTERVAL_SECONDS when OUTPUT_RETENTION_SECONDS is set", async () => {
    const server = await startDenoServer({
      databasePath: join(folder, "on.sqlite"),
      vars: { OUTPUT_RETENTION_SECONDS: "3600", OUTPUT_SWEEP_INTERVAL_SECONDS: "1" },
    });
    servers.push(server);
    expect(server.output()).toContain("retention sweep of merge outputs every 1 s (OUTPUT_RETENTION_SECONDS=3600)");
    const deadline = Date.now() + 20_000;
    while (sweeps(server) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(sweeps(server)).toBeGreaterThanOrEqual(2);
    expect(server.output()).toContain("retention sweep: 0 unreferenced merge outputs past the grace, 0 deleted");
    expect(server.output()).not.toContain("retention sweep failed");
  });

  it("does not run without OUTPUT_RETENTION_SECONDS", async () => {
    const server = await startDenoServer({ databasePath: join(folder, "off.sqlite"), vars: { OUTPUT_SWEEP_INTERVAL_SECONDS: "1" } });
    servers.push(server);
    await new Promise((r) => setTimeout(r, 2500));
    expect(server.output()).not.toContain("retention sweep");
  });
});
