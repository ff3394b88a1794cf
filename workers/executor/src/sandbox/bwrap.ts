// One bubblewrap sandbox running the Python supervisor (runner.py) as PID 1, and the framed
// protocol the judge speaks with it. See runner.py for the protocol.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const RUNNER_SOURCE = readFileSync(new URL("./runner.py", import.meta.url), "utf8");
const MIB = 1024 * 1024;

/** Limits applied to each process the runner forks (runner.py `apply_limits`). */
export interface ProcessLimits {
  cpu_ms: number;
  wall_ms: number;
  as_bytes: number;
  stack_bytes: number;
  nproc: number;
  fsize_bytes: number;
  nofile: number;
}

export type RunnerConfig =
  | { mode: "python"; code: string; kind: string; function?: string; preload?: string[]; limits: ProcessLimits }
  | { mode: "spawn-python"; code: string; python: string; limits: ProcessLimits }
  | { mode: "exec"; binaries: string[]; limits: ProcessLimits }
  | { mode: "compile"; argv: string[]; cwd: string; limits: ProcessLimits };

/** What the runner reports for one process (one test, or one compile). */
export interface RawRun {
  exit_code: number | null;
  signal: number | null;
  cpu_ms: number;
  wall_ms: number;
  maxrss_kb: number;
  stopped_by: "cpu" | "wall" | null;
  exec_errno: number | null;
  stdout_bytes: number;
  stderr_bytes: number;
  stderr_head: string;
  stderr_tail: string;
  marker: string;
  tampered?: boolean;
}

/**
 * The runner's first frame (runner.py `serve`): `ready` (or `compile_error`) in the run modes, the
 * compile's RawRun in compile mode, `error` for a config it does not understand.
 */
export type RunnerHello = Partial<RawRun> & { ready?: boolean; python?: string; compile_error?: string; error?: string };

export interface SandboxSpec {
  python: string;
  /** Host uid/gid bwrap runs as (only when the executor is root). */
  uid?: number;
  gid?: number;
  /** Host files/dirs visible in the sandbox. */
  binds?: { src: string; dest: string; writable?: boolean }[];
  workTmpfsBytes?: number;
  ioTmpfsBytes?: number;
  /** Only /dev/null in /dev (the compile sandbox). */
  minimalDev?: boolean;
}

/** The sandbox could not be set up or stopped answering: a system error, not the program's fault. */
export class SandboxError extends Error {}

/** The supervisor vanished while a test ran (e.g. the program tampered with it). */
export class SupervisorLost extends Error {}

let bwrapPath: string | null | undefined;

/** Forget the cached bwrap location (tests that hide it). */
export function resetBwrapLookup(): void {
  bwrapPath = undefined;
}

/** Absolute path of bwrap, or null when it is not installed. */
export function findBwrap(): string | null {
  if (bwrapPath !== undefined) return bwrapPath;
  const candidates = [process.env.EXECUTOR_BWRAP, ...(process.env.PATH ?? "/usr/bin:/bin").split(":").map((d) => `${d}/bwrap`)];
  bwrapPath = candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
  return bwrapPath;
}

/**
 * A seccomp filter (classic BPF) that refuses prlimit64 on any process but the caller itself: the
 * program shares the supervisor's uid, and without this it could shrink the supervisor's rlimits.
 * Also refuses the x32 syscall ABI, which would otherwise bypass the syscall-number check.
 */
export function seccompFilter(): Buffer {
  const LD_W_ABS = 0x20,
    JEQ_K = 0x15,
    JGE_K = 0x35,
    RET_K = 0x06;
  const ALLOW = 0x7fff0000,
    EPERM = 0x00050000 | 1;
  const AUDIT_ARCH_X86_64 = 0xc000003e,
    AUDIT_ARCH_AARCH64 = 0xc00000b7;
  // [code, jt, jf, k]; jumps are relative to the next instruction.
  const program: [number, number, number, number][] = [
    [LD_W_ABS, 0, 0, 4], //                         0: A = arch
    [JEQ_K, 2, 0, AUDIT_ARCH_X86_64], //            1: x86_64 → 4
    [JEQ_K, 5, 0, AUDIT_ARCH_AARCH64], //           2: aarch64 → 8
    [RET_K, 0, 0, ALLOW], //                        3: other arch: allow
    [LD_W_ABS, 0, 0, 0], //                         4: A = nr
    [JGE_K, 9, 0, 0x40000000], //                   5: x32 ABI → deny (15)
    [JEQ_K, 3, 0, 302], //                          6: prlimit64 → 10
    [RET_K, 0, 0, ALLOW], //                        7
    [LD_W_ABS, 0, 0, 0], //                         8: A = nr (aarch64)
    [JEQ_K, 0, 4, 261], //                          9: prlimit64 → 10, else allow (14)
    [LD_W_ABS, 0, 0, 16], //                       10: A = args[0] low
    [JEQ_K, 0, 3, 0], //                           11: ≠ 0 → deny (15)
    [LD_W_ABS, 0, 0, 20], //                       12: A = args[0] high
    [JEQ_K, 0, 1, 0], //                           13: ≠ 0 → deny (15)
    [RET_K, 0, 0, ALLOW], //                       14
    [RET_K, 0, 0, EPERM], //                       15
  ];
  const buffer = Buffer.alloc(program.length * 8);
  program.forEach(([code, jt, jf, k], i) => {
    buffer.writeUInt16LE(code, i * 8);
    buffer.writeUInt8(jt, i * 8 + 2);
    buffer.writeUInt8(jf, i * 8 + 3);
    buffer.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return buffer;
}

const SECCOMP = seccompFilter();

export function bwrapArgs(spec: SandboxSpec): string[] {
  const args = ["--unshare-all", "--die-with-parent", "--new-session", "--as-pid-1", "--hostname", "sandbox"];
  if (spec.uid === undefined) args.push("--unshare-user", "--uid", "65534", "--gid", "65534");
  args.push("--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib");
  if (existsSync("/usr/lib64")) args.push("--symlink", "usr/lib64", "/lib64");
  args.push("--proc", "/proc");
  // The compiler gets /dev/null only: `#include "/dev/random"` must fail at once, not read forever.
  if (spec.minimalDev) args.push("--dev-bind", "/dev/null", "/dev/null");
  else args.push("--dev", "/dev");
  args.push("--seccomp", "3");
  args.push("--size", String(spec.workTmpfsBytes ?? 64 * MIB), "--tmpfs", "/tmp");
  args.push("--size", String(spec.ioTmpfsBytes ?? 512 * MIB), "--tmpfs", "/run/io");
  for (const bind of spec.binds ?? []) args.push(bind.writable ? "--bind" : "--ro-bind", bind.src, bind.dest);
  args.push("--remount-ro", "/", "--chdir", "/tmp", "--clearenv");
  args.push("--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp", "--setenv", "LANG", "C.UTF-8");
  args.push("--", spec.python, "-I", "-c", RUNNER_SOURCE);
  return args;
}

/** A started sandbox. Use `start`, then `runTest` as often as needed, then `close`. */
export class Sandbox {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiters: ((frame: Buffer | null) => void)[] = [];
  private frames: (Buffer | null)[] = [];
  private stderr = "";
  private exited = false;
  /** The supervisor did not answer in time and was killed (a system error). */
  timedOut = false;
  private readonly exitPromise: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on("data", (chunk: Buffer) => this.onData(chunk));
    child.stderr!.on("data", (chunk: Buffer) => {
      if (this.stderr.length < 16_384) this.stderr += chunk.toString("utf8");
    });
    child.stdin!.on("error", () => {}); // EPIPE when the supervisor died; reported via the frames
    this.exitPromise = new Promise((resolve) => {
      child.on("close", () => {
        this.exited = true;
        this.push(null);
        resolve();
      });
      child.on("error", (error) => {
        this.stderr += String(error);
        this.exited = true;
        this.push(null);
        resolve();
      });
    });
  }

  /** Starts bwrap + runner and sends the config; resolves with the runner's first answer. */
  static async start(spec: SandboxSpec, config: RunnerConfig, timeoutMs = 30_000): Promise<{ sandbox: Sandbox; hello: RunnerHello }> {
    const bwrap = findBwrap();
    if (!bwrap) throw new SandboxError("bubblewrap (bwrap) is not installed; refusing to run programs unsandboxed");
    const child = spawn(bwrap, bwrapArgs(spec), {
      stdio: ["pipe", "pipe", "pipe", "pipe"],
      env: {},
      detached: true,
      ...(spec.uid !== undefined ? { uid: spec.uid, gid: spec.gid ?? spec.uid } : {}),
    });
    const seccompPipe = child.stdio[3] as NodeJS.WritableStream;
    seccompPipe.on("error", () => {});
    seccompPipe.end(SECCOMP);
    const sandbox = new Sandbox(child);
    sandbox.send(Buffer.from(JSON.stringify(config)));
    const hello = await sandbox.nextFrame(timeoutMs);
    if (hello === null) {
      await sandbox.close();
      throw new SandboxError(`sandbox failed to start: ${sandbox.stderr.trim() || "no output"}`);
    }
    return { sandbox, hello: JSON.parse(hello.toString("utf8")) };
  }

  /** Runs one test; rejects with SupervisorLost if the sandbox died meanwhile. */
  async runTest(header: Record<string, unknown>, input: string | Buffer, timeoutMs: number): Promise<{ run: RawRun; stdout: Buffer }> {
    this.send(Buffer.from(JSON.stringify(header)));
    this.send(typeof input === "string" ? Buffer.from(input, "utf8") : input);
    const result = await this.nextFrame(timeoutMs);
    const stdout = result === null ? null : await this.nextFrame(timeoutMs);
    if (result === null || stdout === null) {
      await this.close();
      throw new SupervisorLost(this.stderr.trim());
    }
    return { run: JSON.parse(result.toString("utf8")) as RawRun, stdout };
  }

  /** Whether the supervisor printed a Python traceback (our bug, not the program's doing). */
  get supervisorCrashed(): boolean {
    return this.stderr.includes("Traceback (most recent call last)");
  }

  get diagnostics(): string {
    return this.stderr.trim();
  }

  async close(): Promise<void> {
    if (!this.exited) {
      this.child.stdin!.end();
      const timer = setTimeout(() => this.kill(), 2_000);
      await this.exitPromise;
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, "SIGKILL");
    } catch {
      this.child.kill("SIGKILL");
    }
  }

  private send(payload: Buffer): void {
    if (this.exited || !this.child.stdin!.writable) return;
    const head = Buffer.alloc(4);
    head.writeUInt32BE(payload.length);
    this.child.stdin!.write(head);
    this.child.stdin!.write(payload);
  }

  private nextFrame(timeoutMs: number): Promise<Buffer | null> {
    const ready = this.frames.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.exited) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timedOut = true;
        this.kill(); // the exit pushes null to this waiter
      }, timeoutMs);
      this.waiters.push((frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
    });
  }

  private push(frame: Buffer | null): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(frame);
    else this.frames.push(frame);
    if (frame === null) while (this.waiters.length) this.waiters.shift()!(null);
  }

  private onData(chunk: Buffer): void {
    // Keep chunks in a list and join only when a whole frame is there: outputs can be tens of MiB.
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      if (this.chunks[0].length < 4) this.chunks = [Buffer.concat(this.chunks)];
      const length = this.chunks[0].readUInt32BE(0);
      if (this.buffered < 4 + length) break;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      this.push(all.subarray(4, 4 + length));
      const rest = all.subarray(4 + length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
    }
  }
}
