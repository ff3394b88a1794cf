// Shared bits of the executor tests: problem builders and the host-side leftovers check.
import { execFileSync } from "node:child_process";
import type { ProblemInput } from "../../../src/domain/problem.ts";

export function stdinProblem(tiers: [string, string][][], limits = { time_ms: 1000, memory_mb: 64 }, checker = "tokens"): ProblemInput {
  return {
    id: "t",
    kind: "stdin",
    limits,
    checker,
    tiers: tiers.map((tests, i) => ({ name: `tier${i}`, tests: tests.map(([input, output]) => ({ input, output })) })),
  };
}

/** Host processes running as one of the sandbox uids (there must be none once judging is over). */
export function sandboxProcesses(uidBase = 61000, slots = 8): string[] {
  const out = execFileSync("ps", ["-e", "-o", "uid=,pid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => {
      const uid = Number(line.split(/\s+/)[0]);
      return uid >= uidBase && uid <= uidBase + slots;
    });
}
