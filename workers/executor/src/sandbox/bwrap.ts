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
  | { mode: "python"; code: string; kind: string; function?: string; limits: ProcessLimits }
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
  stderr_tail: string;
  marker: string;
  tampered?: boolean;
}

export interface SandboxSpec {
  python: string;
  /** Host uid/gid bwrap runs as (only when the executor is root). */
  uid?: number;
  gid?: number;
  /** Host files/dirs visible in the sandbox. */
  binds?: { src: string; dest: string; writable?: boolean }[];
  workTmpfsBytes?: number;
  ioTmpfsBytes?: number;
}

/** The sandbox could not be set up or stopped answering: a system error, not the program's fault. */
export class SandboxError extends Error {}

/** The supervisor vanished while a test ran (e.g. the program tampered with it). */
export class SupervisorLost extends Error {}

let bwrapPath: string | null | undefined;

/** Absolute path of bwrap, or null when it is not installed. */
export function findBwrap(): string | null {
  if (bwrapPath !== undefined) return bwrapPath;
  const candidates = [process.env.EXECUTOR_BWRAP, ...(process.env.PATH ?? "/usr/bin:/bin").split(":").map((d) => `${d}/bwrap`)];
  bwrapPath = candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
  return bwrapPath;
}

export function bwrapArgs(spec: SandboxSpec): string[] {
  const args = ["--unshare-all", "--die-with-parent", "--new-session", "--as-pid-1", "--hostname", "sandbox"];
  if (spec.uid === undefined) args.push("--unshare-user", "--uid", "65534", "--gid", "65534");
  args.push("--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib");
  if (existsSync("/usr/lib64")) args.push("--symlink", "usr/lib64", "/lib64");
  args.push("--proc", "/proc", "--dev", "/dev");
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
  static async start(spec: SandboxSpec, config: RunnerConfig, timeoutMs = 30_000): Promise<{ sandbox: Sandbox; hello: any }> {
    const bwrap = findBwrap();
    if (!bwrap) throw new SandboxError("bubblewrap (bwrap) is not installed; refusing to run programs unsandboxed");
    const child = spawn(bwrap, bwrapArgs(spec), {
      stdio: ["pipe", "pipe", "pipe"],
      env: {},
      detached: true,
      ...(spec.uid !== undefined ? { uid: spec.uid, gid: spec.gid ?? spec.uid } : {}),
    });
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
