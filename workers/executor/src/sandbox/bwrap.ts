// One bubblewrap sandbox running the Python supervisor (runner.py) as PID 1, and the framed
// protocol the judge speaks with it. See runner.py for the protocol.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

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
  /** Default "bwrap". "uid" needs `uid`/`gid` and `uidRoot` (a root-owned directory for work dirs). */
  isolation?: Isolation;
  uidRoot?: string;
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
 * `denySockets` (the uid isolation, which has no network namespace): socket() for any family but
 * AF_UNIX, and io_uring_setup (io_uring can open sockets without the socket syscall), are refused.
 */
export function seccompFilter(options: { denySockets?: boolean } = {}): Buffer {
  const LD_W_ABS = 0x20,
    JEQ_K = 0x15,
    JGE_K = 0x35,
    RET_K = 0x06;
  const ALLOW = 0x7fff0000,
    EPERM = 0x00050000 | 1;
  const AUDIT_ARCH_X86_64 = 0xc000003e,
    AUDIT_ARCH_AARCH64 = 0xc00000b7;
  const AF_UNIX = 1,
    IO_URING_SETUP = 425;
  type Target = string | 0;
  // [code, jt, jf, k] with jumps to labels (0: the next instruction); resolved below.
  const program: ([number, Target, Target, number] | string)[] = [
    [LD_W_ABS, 0, 0, 4], // A = arch
    [JEQ_K, "x86", 0, AUDIT_ARCH_X86_64],
    [JEQ_K, "arm", "allow", AUDIT_ARCH_AARCH64],
    "x86",
    [LD_W_ABS, 0, 0, 0], // A = nr
    [JGE_K, "deny", 0, 0x40000000], // x32 ABI
    [JEQ_K, "prlimit", 0, 302],
    ...(options.denySockets
      ? ([
          [JEQ_K, "socket", 0, 41],
          [JEQ_K, "deny", 0, IO_URING_SETUP],
        ] as [number, Target, Target, number][])
      : []),
    [RET_K, 0, 0, ALLOW],
    "arm",
    [LD_W_ABS, 0, 0, 0],
    [JEQ_K, "prlimit", 0, 261],
    ...(options.denySockets
      ? ([
          [JEQ_K, "socket", 0, 198],
          [JEQ_K, "deny", 0, IO_URING_SETUP],
        ] as [number, Target, Target, number][])
      : []),
    [RET_K, 0, 0, ALLOW],
    "prlimit",
    [LD_W_ABS, 0, 0, 16], // A = args[0] low
    [JEQ_K, 0, "deny", 0],
    [LD_W_ABS, 0, 0, 20], // A = args[0] high
    [JEQ_K, "allow", "deny", 0],
    ...(options.denySockets
      ? ["socket", [LD_W_ABS, 0, 0, 16] as [number, Target, Target, number], [JEQ_K, "allow", "deny", AF_UNIX] as [number, Target, Target, number]]
      : []),
    "allow",
    [RET_K, 0, 0, ALLOW],
    "deny",
    [RET_K, 0, 0, EPERM],
  ];
  const labels = new Map<string, number>();
  const instructions: [number, Target, Target, number][] = [];
  for (const item of program) {
    if (typeof item === "string") labels.set(item, instructions.length);
    else instructions.push(item);
  }
  const buffer = Buffer.alloc(instructions.length * 8);
  instructions.forEach(([code, jt, jf, k], i) => {
    const offset = (target: Target) => (target === 0 ? 0 : labels.get(target)! - i - 1);
    buffer.writeUInt16LE(code, i * 8);
    buffer.writeUInt8(offset(jt), i * 8 + 2);
    buffer.writeUInt8(offset(jf), i * 8 + 3);
    buffer.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return buffer;
}

const SECCOMP = seccompFilter();
const SECCOMP_NO_SOCKETS = seccompFilter({ denySockets: true });

/**
 * How programs are isolated. "bwrap": bubblewrap namespaces (the strongest). "uid": where bwrap
 * cannot create its namespaces (e.g. a container without user namespaces) and the executor is root:
 * a uid per slot, rlimits, Landlock, seccomp without sockets, uid-wide kill (runner.py).
 */
export type Isolation = "bwrap" | "uid";

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

/**
 * Whether bubblewrap can create its namespaces here (a container without user namespaces cannot):
 * runs `true` in the same kind of sandbox, as `uid` when given.
 */
export function bwrapWorks(uid?: number): { ok: boolean; reason?: string } {
  const bwrap = findBwrap();
  if (!bwrap) return { ok: false, reason: "bubblewrap (bwrap) is not installed" };
  const args = ["--unshare-all", "--die-with-parent", "--as-pid-1"];
  if (uid === undefined) args.push("--unshare-user");
  args.push("--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/bin", "/bin");
  if (existsSync("/usr/lib64")) args.push("--symlink", "usr/lib64", "/lib64");
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--", "/usr/bin/true");
  const run = spawnSync(bwrap, args, { env: {}, encoding: "utf8", timeout: 10_000, ...(uid !== undefined ? { uid, gid: uid } : {}) });
  if (run.status === 0) return { ok: true };
  return { ok: false, reason: `bwrap cannot create its sandbox here: ${(run.stderr || String(run.error ?? run.status)).trim()}` };
}

/** Kills every process of a slot uid (kill(-1) run as that uid): what a dead uid-mode runner left. */
export function killUid(python: string, uid: number, gid: number): void {
  spawnSync(python, ["-I", "-c", "import os\ntry:\n    os.kill(-1, 9)\nexcept OSError:\n    pass"], { uid, gid, env: {}, stdio: "ignore", timeout: 5_000 });
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

  private constructor(
    private readonly child: ChildProcess,
    private readonly cleanup?: () => void,
  ) {
    child.stdout!.on("data", (chunk: Buffer) => this.onData(chunk));
    child.stderr!.on("data", (chunk: Buffer) => {
      if (this.stderr.length < 16_384) this.stderr += chunk.toString("utf8");
    });
    child.stdin!.on("error", () => {}); // EPIPE when the supervisor died; reported via the frames
    this.exitPromise = new Promise((resolve) => {
      child.on("close", () => {
        this.runCleanup();
        this.exited = true;
        this.push(null);
        resolve();
      });
      child.on("error", (error) => {
        this.runCleanup();
        this.stderr += String(error);
        this.exited = true;
        this.push(null);
        resolve();
      });
    });
  }

  /** Starts bwrap + runner and sends the config; resolves with the runner's first answer. */
  static async start(spec: SandboxSpec, config: RunnerConfig, timeoutMs = 30_000): Promise<{ sandbox: Sandbox; hello: RunnerHello }> {
    if (spec.isolation === "uid") return Sandbox.startUid(spec, config, timeoutMs);
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
    return Sandbox.handshake(new Sandbox(child), config, timeoutMs);
  }

  /**
   * The uid isolation: the runner runs here as root, in a fresh root-owned directory with a work
   * dir owned by the slot uid; bind mounts become the host paths themselves (config paths rewritten).
   */
  private static async startUid(spec: SandboxSpec, config: RunnerConfig, timeoutMs: number): Promise<{ sandbox: Sandbox; hello: RunnerHello }> {
    if (spec.uid === undefined || !spec.uidRoot) throw new SandboxError("uid isolation needs the executor to run as root");
    const uid = spec.uid;
    const gid = spec.gid ?? uid;
    const root = mkdtempSync(join(spec.uidRoot, "sbx-"));
    chmodSync(root, 0o711);
    const work = join(root, "work");
    const io = join(root, "io");
    mkdirSync(work, { mode: 0o700 });
    chownSync(work, uid, gid);
    mkdirSync(io, { mode: 0o711 }); // root's: the program only gets the fds the supervisor opened
    const binds = spec.binds ?? [];
    const mapPath = (path: string) => {
      for (const bind of binds) if (path === bind.dest || path.startsWith(`${bind.dest}/`)) return bind.src + path.slice(bind.dest.length);
      return path;
    };
    const mapped: RunnerConfig =
      config.mode === "exec"
        ? { ...config, binaries: config.binaries.map(mapPath) }
        : config.mode === "compile"
          ? { ...config, cwd: mapPath(config.cwd), argv: config.argv.map(mapPath) }
          : config;
    const read = ["/usr", "/bin", "/lib", "/lib64", "/etc/ld.so.cache", ...binds.filter((b) => !b.writable).map((b) => b.src)];
    const write = [work, ...binds.filter((b) => b.writable).map((b) => b.src)];
    const devices = spec.minimalDev ? ["/dev/null"] : ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"];
    const isolation = { uid, gid, work_dir: work, io_dir: io, read, write, devices, seccomp: SECCOMP_NO_SOCKETS.toString("base64") };
    const child = spawn(spec.python, ["-I", "-c", RUNNER_SOURCE], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { PATH: "/usr/bin:/bin", HOME: work, LANG: "C.UTF-8" },
      cwd: root,
      detached: true,
    });
    const sandbox = new Sandbox(child, () => {
      killUid(spec.python, uid, gid);
      rmSync(root, { recursive: true, force: true });
    });
    return Sandbox.handshake(sandbox, { ...mapped, isolation }, timeoutMs);
  }

  private static async handshake(
    sandbox: Sandbox,
    config: RunnerConfig & { isolation?: object },
    timeoutMs: number,
  ): Promise<{ sandbox: Sandbox; hello: RunnerHello }> {
    sandbox.send(Buffer.from(JSON.stringify(config)));
    const hello = await sandbox.nextFrame(timeoutMs);
    if (hello === null) {
      await sandbox.close();
      throw new SandboxError(`sandbox failed to start: ${sandbox.stderr.trim() || "no output"}`);
    }
    return { sandbox, hello: JSON.parse(hello.toString("utf8")) };
  }

  private runCleanup(): void {
    try {
      this.cleanup?.();
    } catch {
      // best effort: the next sandbox of the slot kills the uid's processes again
    }
  }

  /** Runs one test; rejects with SupervisorLost if the sandbox died meanwhile. */
  async runTest(header: Record<string, unknown>, input: string | Buffer, timeoutMs: number): Promise<{ run: RawRun; stdout: Buffer }> {
    // Both frames in one write: one wake-up of the supervisor per test.
    this.send(Buffer.from(JSON.stringify(header)), typeof input === "string" ? Buffer.from(input, "utf8") : input);
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

  private send(...payloads: Buffer[]): void {
    if (this.exited || !this.child.stdin!.writable) return;
    const parts: Buffer[] = [];
    for (const payload of payloads) {
      const head = Buffer.alloc(4);
      head.writeUInt32BE(payload.length);
      parts.push(head, payload);
    }
    this.child.stdin!.write(Buffer.concat(parts));
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
