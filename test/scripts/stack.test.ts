// The stack launcher's watch on its services (scripts/stack.ts), with a stand-in service: a Node
// process that prints the "listening on" line the real ones print. `npm start` races the experiment
// and its serving against `firstDeath`, and prints `deathMessage` before it exits 1.
import { describe, expect, it } from "vitest";
import { deathMessage, firstDeath, spawnService, type Service } from "../../scripts/stack.ts";

/** A service that is ready at once, prints some log lines, then exits with `code` after `afterMs` (never when absent). */
function standIn(name: string, options: { code?: number; afterMs?: number } = {}) {
  const script = [
    "console.log('listening on http://127.0.0.1:4321');",
    "for (let i = 1; i <= 30; i++) console.log('log line ' + i);",
    "console.error('fatal: the sandbox is gone');",
    options.code === undefined ? "setInterval(() => {}, 1000);" : `setTimeout(() => process.exit(${options.code}), ${options.afterMs ?? 200});`,
  ].join("\n");
  return spawnService(name, process.execPath, ["-e", script], {}, /listening on http:\/\/[^:]+:(\d+)/, 10_000);
}

const never = (ms: number) => new Promise<"still running">((done) => setTimeout(() => done("still running"), ms));

describe("the stack launcher's watch on its services", () => {
  it("reports a service that exits while serving: its name, exit code and last log lines", async () => {
    const quiet = await standIn("executor");
    const dying = await standIn("gpu-backend", { code: 3 });
    try {
      const death = await firstDeath([quiet, dying]);
      expect(death).toMatchObject({ name: "gpu-backend", code: 3, signal: null });
      expect(death.output).toContain("fatal: the sandbox is gone");
      const message = deathMessage(death, 5);
      expect(message).toMatch(/^gpu-backend exited with code 3 while serving\. Its last log lines:\n/);
      expect(message).toContain("fatal: the sandbox is gone");
      expect(message).toContain("log line 30");
      expect(message).not.toContain("log line 25");
    } finally {
      await quiet.stop();
      await dying.stop();
    }
  });

  it("names the signal when one killed the service", async () => {
    const service = await standIn("wrangler dev");
    try {
      process.kill(service.process.pid!, "SIGKILL");
      const death = await service.died;
      expect(death).toMatchObject({ name: "wrangler dev", code: null, signal: "SIGKILL" });
      expect(deathMessage(death)).toMatch(/^wrangler dev was killed by SIGKILL while serving\./);
    } finally {
      await service.stop();
    }
  });

  it("does not report a service stopped on purpose", async () => {
    const service: Service = await standIn("executor");
    await service.stop();
    expect(await Promise.race([service.died, never(500)])).toBe("still running");
  });
});
