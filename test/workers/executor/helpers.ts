// Shared bits of the executor tests: problem builders and the host-side leftovers check.
import { execFileSync } from "node:child_process";
import type { ProblemInput } from "@frontier/contracts";

export function stdinProblem(tiers: [string, string][][], limits = { time_ms: 1000, memory_mb: 64 }, checker = "tokens"): ProblemInput {
  return {
    id: "t",
    kind: "stdin",
    limits,
    checker,
    tiers: tiers.map((tests, i) => ({ name: `tier${i}`, tests: tests.map(([input, output]) => ({ input, output })) })),
  };
}

/**
 * Sandbox processes left behind by this test process: those running as a sandbox uid that descend
 * from us, or that were orphaned (re-parented to PID 1). Other executors on the machine may use the
 * same uids; their processes have live parents and are not ours.
 */
export function strayProcesses(uidBase = 61000, slots = 16): string[] {
  const rows = execFileSync("ps", ["-e", "-o", "pid=,ppid=,uid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [pid, ppid, uid] = line.split(/\s+/).map(Number);
      return { pid, ppid, uid, line: line.slice(0, 160) };
    });
  const parent = new Map(rows.map((r) => [r.pid, r.ppid]));
  const descendsFromUs = (pid: number): boolean => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && hops < 64; p = parent.get(p), hops++) if (p === process.pid) return true;
    return false;
  };
  return rows
    .filter((r) => r.uid >= uidBase && r.uid <= uidBase + slots)
    .filter((r) => r.ppid === 1 || descendsFromUs(r.pid))
    .map((r) => r.line);
}
