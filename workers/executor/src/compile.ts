// C++ compilation: sandboxed g++, once per distinct source, cached on disk by
// sha256(compiler version, flags, source). Compile errors are cached too (a compile bomb costs once).
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Sandbox, SandboxError, type ProcessLimits, type RawRun, type SandboxSpec } from "./sandbox/bwrap.ts";

export const CXX_FLAGS = ["-O2", "-std=c++17", "-pipe"];
const MIB = 1024 * 1024;

export const COMPILE_LIMITS: ProcessLimits = {
  cpu_ms: 20_000,
  wall_ms: 40_000,
  as_bytes: 1024 * MIB,
  stack_bytes: 64 * MIB,
  nproc: 64,
  fsize_bytes: 64 * MIB,
  nofile: 256,
};

export type CompileOutcome = { ok: true; binary: string; cached: boolean; ms: number } | { ok: false; message: string; cached: boolean; ms: number };

export interface CompilerOptions {
  gxx: string;
  gxxVersion: string;
  cacheDir: string;
  sandbox: Omit<SandboxSpec, "binds">;
  extraFlags?: string[];
}

export class CppCompiler {
  private readonly inFlight = new Map<string, Promise<CompileOutcome>>();
  private readonly dir: string;

  constructor(private readonly options: CompilerOptions) {
    this.dir = join(options.cacheDir, "cpp");
    mkdirSync(join(this.dir, "tmp"), { recursive: true, mode: 0o755 });
    chmodSync(options.cacheDir, 0o755);
    chmodSync(this.dir, 0o755);
  }

  flags(): string[] {
    return [...CXX_FLAGS, ...(this.options.extraFlags ?? [])];
  }

  key(source: string, flags = this.flags()): string {
    // Compile errors depend on the limits too (a compile bomb), so they are part of the key.
    const environment = `${this.options.gxxVersion}\0${flags.join(" ")}\0${JSON.stringify(COMPILE_LIMITS)}\0minimal-dev`;
    return createHash("sha256").update(`${environment}\0${source}`).digest("hex");
  }

  /** Compiles `source` (or returns the cached binary / error). Throws SandboxError on system failure. */
  /**
   * `as`: the uid/gid the compile runs as instead of the compiler's own (the uid isolation kills a
   * uid's every process after a run, so concurrent compiles must not share one: the judge passes
   * the slot's uid, which nothing else uses meanwhile).
   */
  compile(source: string, flags = this.flags(), as?: { uid?: number; gid?: number }): Promise<CompileOutcome> {
    const key = this.key(source, flags);
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const promise = this.compileUncached(key, source, flags, as).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private async compileUncached(key: string, source: string, flags: string[], as?: { uid?: number; gid?: number }): Promise<CompileOutcome> {
    const sandboxSpec = { ...this.options.sandbox, ...(as?.uid !== undefined ? { uid: as.uid, gid: as.gid ?? as.uid } : {}) };
    const binary = join(this.dir, key);
    const errorFile = `${binary}.ce`;
    if (existsSync(binary)) return { ok: true, binary, cached: true, ms: 0 };
    if (existsSync(errorFile)) return { ok: false, message: readFileSync(errorFile, "utf8"), cached: true, ms: 0 };

    const build = join(this.dir, "tmp", `${key.slice(0, 16)}-${randomBytes(6).toString("hex")}`);
    mkdirSync(build, { mode: 0o755 });
    try {
      writeFileSync(join(build, "main.cpp"), source);
      const { uid, gid } = sandboxSpec;
      if (uid !== undefined) chownSync(build, uid, gid ?? uid);
      const started = performance.now();
      const { sandbox, hello } = await Sandbox.start(
        { ...sandboxSpec, minimalDev: true, workTmpfsBytes: 512 * MIB, binds: [{ src: build, dest: "/build", writable: true }] },
        { mode: "compile", cwd: "/build", argv: [this.options.gxx, ...flags, "-o", "/build/prog", "/build/main.cpp"], limits: COMPILE_LIMITS },
        COMPILE_LIMITS.wall_ms + 15_000,
      );
      await sandbox.close();
      const ms = Math.round(performance.now() - started);
      if (hello.error) throw new SandboxError(`compile sandbox: ${hello.error}`);
      if (hello.exec_errno) throw new SandboxError(`cannot run ${this.options.gxx} (errno ${hello.exec_errno})`);
      const built = join(build, "prog");
      if (hello.exit_code === 0 && existsSync(built)) {
        chmodSync(built, 0o755);
        renameSync(built, binary);
        return { ok: true, binary, cached: false, ms };
      }
      // Under the uid isolation the compiler saw the host path; the message reads the same in both modes.
      const message = compileErrorMessage(hello as RawRun).replaceAll(build, "/build");
      const partial = `${errorFile}.${randomBytes(4).toString("hex")}`;
      writeFileSync(partial, message);
      renameSync(partial, errorFile);
      return { ok: false, message, cached: false, ms };
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }
}

function compileErrorMessage(run: { stopped_by: string | null; signal: number | null; stderr_head?: string; stderr_tail: string }): string {
  if (run.stopped_by) return `compilation exceeded its ${run.stopped_by === "cpu" ? "CPU" : "wall-clock"} limit`;
  const head = (run.stderr_head ?? run.stderr_tail).trim().split("\n").slice(0, 20).join("\n");
  if (run.signal !== null) return `compiler killed by signal ${run.signal} (resource limit)\n${head}`.trim();
  return head || "compilation failed";
}

/**
 * Bytes the program's loadable segments take once mapped (code, data, bss). A program whose static
 * arrays alone exceed the memory limit dies inside execve (SIGSEGV/SIGKILL, no allocation error to
 * see), so the judge decides MLE from this number instead.
 */
export function staticMemoryBytes(binary: string): number {
  const elf = readFileSync(binary);
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) return 0; // not ELF64
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  let total = 0;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 0x30 > elf.length) break;
    if (elf.readUInt32LE(at) === 1) total += Number(elf.readBigUInt64LE(at + 0x28)); // PT_LOAD p_memsz
  }
  return total;
}
