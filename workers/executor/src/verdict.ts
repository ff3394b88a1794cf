// From what the sandbox saw of one test process to a verdict (before the output checker runs).
import type { Verdict } from "@frontier/contracts";
import type { RawRun } from "./sandbox/bwrap.ts";

const SIGNAL_NAMES: Record<number, string> = {
  4: "SIGILL",
  6: "SIGABRT",
  7: "SIGBUS",
  8: "SIGFPE",
  9: "SIGKILL",
  11: "SIGSEGV",
  13: "SIGPIPE",
  15: "SIGTERM",
  24: "SIGXCPU",
  25: "SIGXFSZ",
  31: "SIGSYS",
};
const SIGABRT = 6;
const SIGXCPU = 24;
const SIGXFSZ = 25;
const ENOMEM = 12;

export interface TestContext {
  kind: "stdin" | "functional" | "assert";
  language: "python" | "cpp";
  timeMs: number;
  memoryMb: number;
  outputLimitBytes: number;
}

/** A verdict the run already decides (anything but "it exited cleanly, now check the output"). */
export type Classified = { verdict: Verdict; message: string } | { verdict: null; result?: string };

export function classifyRun(run: RawRun, ctx: TestContext): Classified {
  const marker = run.marker ?? "";
  if (run.tampered) return { verdict: "RE", message: "the program changed the sandbox supervisor's resource limits" };
  if (run.exec_errno !== null && run.exec_errno !== ENOMEM) {
    // Our binary could not be started: not the program's doing.
    return { verdict: "SE", message: `could not start the program (errno ${run.exec_errno})` };
  }
  // Over the memory limit at its peak: that happened before any time-limit kill, so it is reported first.
  if (run.maxrss_kb > ctx.memoryMb * 1024) return { verdict: "MLE", message: `peak memory ${run.maxrss_kb} KiB > ${ctx.memoryMb} MiB` };
  if (run.stopped_by === "wall") return { verdict: "TLE", message: `wall-clock cap reached (${Math.round(run.wall_ms)} ms)` };
  if (run.stopped_by === "cpu" || run.signal === SIGXCPU || run.cpu_ms > ctx.timeMs) {
    return { verdict: "TLE", message: `CPU time ${Math.round(run.cpu_ms)} ms > ${ctx.timeMs} ms` };
  }
  if (run.stdout_bytes >= ctx.outputLimitBytes || run.stderr_bytes >= ctx.outputLimitBytes || run.signal === SIGXFSZ) {
    return { verdict: "OLE", message: `output over ${ctx.outputLimitBytes} bytes` };
  }
  if (marker.startsWith("M")) return { verdict: "MLE", message: "MemoryError" };
  if (run.exec_errno === ENOMEM) return { verdict: "MLE", message: "program does not fit the memory limit (exec ENOMEM)" };
  if (run.signal === SIGABRT && /std::bad_alloc/.test(run.stderr_tail)) return { verdict: "MLE", message: "std::bad_alloc" };
  if (marker.startsWith("I")) return { verdict: "SE", message: `test input is not valid for this problem: ${marker.slice(1)}` };
  if (marker.startsWith("F")) return { verdict: "CE", message: `no function or Solution method named '${marker.slice(1)}'` };
  if (ctx.kind === "assert" && isAssertionFailure(run, marker, ctx.language)) {
    return { verdict: "WA", message: lastLine(run.stderr_tail) || "assertion failed" };
  }
  if (run.signal !== null) {
    const name = SIGNAL_NAMES[run.signal] ?? `signal ${run.signal}`;
    return { verdict: "RE", message: `killed by ${name}${stderrHint(run)}` };
  }
  if (run.exit_code !== 0) return { verdict: "RE", message: lastLine(run.stderr_tail) || `exit code ${run.exit_code}` };
  if (ctx.kind === "assert" && !marker.includes("D")) return { verdict: "RE", message: "the program exited before the test code finished" };
  if (ctx.kind === "functional") {
    if (!marker.startsWith("R")) return { verdict: "RE", message: "the program exited before the function returned" };
    return { verdict: null, result: marker.slice(1) };
  }
  return { verdict: null };
}

function isAssertionFailure(run: RawRun, marker: string, language: "python" | "cpp"): boolean {
  if (language === "python") return marker.startsWith("A");
  return run.signal === SIGABRT && /Assertion .* failed/.test(run.stderr_tail);
}

function stderrHint(run: RawRun): string {
  const line = lastLine(run.stderr_tail);
  return line ? `: ${line}` : "";
}

export function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  const line = lines[lines.length - 1]?.trim() ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
