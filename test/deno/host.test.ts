// The Deno server listens on the loopback address unless HOST says otherwise: a local API is not
// reachable from the network by default. Checked against this machine's other addresses, when it
// has one.
import { mkdtempSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startDenoServer, type DenoServer } from "./deno-process.ts";

const folder = mkdtempSync(join(tmpdir(), "frontier-deno-host-"));
const running: DenoServer[] = [];
afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
  rmSync(folder, { recursive: true, force: true });
});

/** An IPv4 address of this machine other than loopback, if it has one. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === "IPv4" && !address.internal)?.address;

async function healthAt(host: string, port: string): Promise<number | "refused"> {
  try {
    return (await fetch(`http://${host}:${port}/v1/health`, { signal: AbortSignal.timeout(5000) })).status;
  } catch {
    return "refused";
  }
}

describe("Deno listening address", () => {
  it("is 127.0.0.1 when HOST is not set", async () => {
    const server = await startDenoServer({ databasePath: join(folder, "default.sqlite"), vars: { HOST: undefined } });
    running.push(server);
    const url = new URL(server.url);
    expect(url.hostname).toBe("127.0.0.1");
    expect(await healthAt("127.0.0.1", url.port)).toBe(200);
    if (outside) expect(await healthAt(outside, url.port)).toBe("refused");
  });

  it("is HOST when set (0.0.0.0: every interface)", async () => {
    const server = await startDenoServer({ databasePath: join(folder, "any.sqlite"), vars: { HOST: "0.0.0.0" } });
    running.push(server);
    const url = new URL(server.url);
    expect(url.hostname).toBe("0.0.0.0");
    expect(await healthAt("127.0.0.1", url.port)).toBe(200);
    if (outside) expect(await healthAt(outside, url.port)).toBe(200);
  });
});
