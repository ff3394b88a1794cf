// The judge library: runs submissions against a problem's nested tiers inside sandboxes.
// Used by the HTTP server, `frontier judge`, the packs tooling and the benches.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_RETIME_FACTOR,
  EXECUTOR_VERSION,
  ProblemSchema,
  RUN_OUTPUT_LIMIT,
  type ExampleOutcome,
  type ExamplesResponse,
  type JudgeResult,
  type JudgeSubmission,
  type Problem,
  type ProblemInput,
  type RunRequest,
  type RunResponse,
  type Verdict,
} from "@frontier/contracts";
import { checkFunctional, checkOutput } from "./checkers.ts";
import { CppCompiler, staticMemoryBytes } from "./compile.ts";
import { ASSERT_FLAGS, assertSource, functionalSource } from "./harness/cpp.ts";
import {
  bwrapWorks,
  findBwrap,
  type Isolation,
  Sandbox,
  SandboxError,
  SupervisorLost,
  type ProcessLimits,
  type RunnerConfig,
  type SandboxSpec,
} from "./sandbox/bwrap.ts";
import { classifyRun, type TestContext } from "./verdict.ts";

const MIB = 1024 * 1024;

export type Submission = JudgeSubmission;

export interface JudgeOptions {
  /** Run every test even after a failure (the verdict is still the first failure's). */
  allTests?: boolean;
}

/** A JudgeResult; the contract carries the executor's optional details (tests_run, cpu_ms_total, …). */
export type ExecutorJudgeResult = JudgeResult;

/** What one test printed, for /v1/run and the public-test feedback (never for hidden tiers' callers). */
interface TestObservation {
  position: number;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  verdict: Verdict;
  message?: string;
  cpuMs: number;
  memoryKb: number;
}
type Observer = (observation: TestObservation) => void;

/** Cuts text to `limit` bytes of UTF-8 (on a character boundary). */
export function truncateOutput(text: string, limit = RUN_OUTPUT_LIMIT): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= limit) return { text, truncated: false };
  const cut = bytes
    .subarray(0, limit)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  return { text: `${cut}\n…[truncated, ${bytes.length} bytes in all]`, truncated: true };
}

export interface JudgeConfig {
  /** Submissions judged at the same time (default: CPU cores). */
  concurrency?: number;
  /** C++ compile cache (default env EXECUTOR_CACHE_DIR or <tmpdir>/frontier-executor/cache). */
  cacheDir?: string;
  python?: string;
  gxx?: string;
  /** Cap on stdout and on stderr of one test (default 64 MiB). */
  outputLimitBytes?: number;
  /** Host uid of sandbox slot n is base+n when running as root (default env EXECUTOR_SANDBOX_UID_BASE or 61000). */
  sandboxUidBase?: number;
  /** Wall-clock cap = time_ms * wallFactor + wallExtraMs (defaults 2 and 1000). */
  wallFactor?: number;
  wallExtraMs?: number;
  /** Address-space slack above memory_mb for the runtime's mappings (default 64 MiB). */
  addressSpaceSlackMb?: number;
  /**
   * A TLE whose CPU time is under retimeFactor × time_ms is judged again and the better result kept
   * (default env EXECUTOR_RETIME_FACTOR or 1.5). The sandbox's CPU kill ceiling is retimeFactor ×
   * time_ms, so a run well over the limit is killed there and not retimed. 1 turns retiming off.
   */
  retimeFactor?: number;
  /** "fork" (default): warm interpreter, one fork per test. "spawn": fresh python3 per test (bench baseline). */
  pythonMode?: "fork" | "spawn";
  /**
   * "bwrap": bubblewrap namespaces; "uid": a uid per slot, rlimits, Landlock, seccomp without
   * sockets (where bwrap cannot run; needs root); "auto" (default, env EXECUTOR_ISOLATION): bwrap
   * when it can create its sandbox here, else uid when root, else bwrap (which then reports why not).
   */
  isolation?: "auto" | Isolation;
}

export interface SandboxProbe {
  available: boolean;
  /** The isolation mode in use (see JudgeConfig.isolation). */
  isolation: Isolation;
  reason?: string;
  versions: { python: string | null; gxx: string | null; bwrap: string | null; node: string };
  /** EXECUTOR_VERSION with the language runtimes and the retime factor. */
  executorVersion: string;
}

/**
 * Whether a judged result is run again: a TLE on CPU time strictly over the limit and under
 * factor × limit. A run killed at the ceiling (factor × limit) is well over and is not; a
 * wall-clock TLE with CPU time within the limit (a sleeping or blocked program) is not either.
 */
export function shouldRetime(result: Pick<JudgeResult, "verdict" | "failure">, limitMs: number, factor: number): boolean {
  if (result.verdict !== "TLE" || !result.failure || result.failure.verdict !== "TLE") return false;
  const cpu = result.failure.time_ms;
  return cpu > limitMs && cpu < factor * limitMs;
}

/** The better of a result and its rerun: AC, else more tiers passed, else the first. */
export function betterResult<T extends Pick<JudgeResult, "verdict" | "tiers_passed">>(first: T, second: T): T {
  if (second.verdict === "AC" && first.verdict !== "AC") return second;
  if (first.verdict !== "AC" && second.tiers_passed > first.tiers_passed) return second;
  return first;
}

/**
 * Judges once, and once more when `shouldRetime` says so; the kept result carries `retimed` and
 * `attempts`. `attempt` is one full judging of the submission.
 */
export async function judgeWithRetime<T extends JudgeResult>(attempt: () => Promise<T>, limitMs: number, factor: number): Promise<T> {
  const first = await attempt();
  if (!shouldRetime(first, limitMs, factor)) return first;
  const second = await attempt();
  return { ...betterResult(first, second), retimed: true, attempts: 2 };
}

/** Reference workload: a fixed integer loop. REFERENCE_MS is its CPU time on the reference machine. */
const REFERENCE_ITERATIONS = 30_000_000;
const REFERENCE_MS = 60;

/** reference ms / measured ms of the reference workload (best of 3 CPU-time measurements). */
export function measureSpeedFactor(): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const start = process.cpuUsage();
    let x = 2463534242;
    for (let i = 0; i < REFERENCE_ITERATIONS; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
    }
    const used = process.cpuUsage(start);
    if (x === 0) best = 0; // keeps the loop from being optimised away
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return Math.round((REFERENCE_MS / Math.max(best, 1)) * 1000) / 1000;
}

/** Hands out sandbox slots (and so uids) to at most `capacity` submissions at a time. */
class Slots {
  private readonly free: number[];
  private readonly waiting: ((slot: number) => void)[] = [];
  constructor(readonly capacity: number) {
    this.free = Array.from({ length: capacity }, (_, i) => i);
  }
  get queued(): number {
    return this.waiting.length;
  }
  get running(): number {
    return this.capacity - this.free.length;
  }
  acquire(): Promise<number> {
    const slot = this.free.shift();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(slot: number): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }
}

function version(command: string, args: string[], pattern: RegExp): string | null {
  try {
    const out = execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
    return pattern.exec(out)?.[1] ?? out.trim();
  } catch {
    return null;
  }
}

/** Top-level module names a Python program imports (preloaded once in the warm interpreter). */
export function importedModules(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import|import[ \t]+([^\n#;]+))/gm)) {
    const modules = match[1] ? [match[1]] : match[2].split(",").map((part) => part.trim().split(/\s+/)[0]);
    for (const module of modules) if (/^[A-Za-z_][\w.]*$/.test(module)) names.add(module.split(".")[0]);
  }
  names.add("collections"); // nearly every solution uses it, directly or through other modules
  return [...names];
}

export class Judge {
  readonly config: Required<JudgeConfig>;
  private readonly slots: Slots;
  private compiler: CppCompiler | null = null;
  private probeResult: Promise<SandboxProbe> | null = null;
  private gxxVersion: string | null | undefined;
  private speed: number | undefined;
  private mode: Isolation | undefined;
  private uidRootDir: string | undefined;

  constructor(config: JudgeConfig = {}) {
    this.config = {
      concurrency: config.concurrency ?? Number(process.env.EXECUTOR_CONCURRENCY ?? cpus().length),
      cacheDir: config.cacheDir ?? process.env.EXECUTOR_CACHE_DIR ?? join(tmpdir(), "frontier-executor", "cache"),
      python: config.python ?? process.env.EXECUTOR_PYTHON ?? "/usr/bin/python3",
      gxx: config.gxx ?? process.env.EXECUTOR_GXX ?? "/usr/bin/g++",
      outputLimitBytes: config.outputLimitBytes ?? 64 * MIB,
      sandboxUidBase: config.sandboxUidBase ?? Number(process.env.EXECUTOR_SANDBOX_UID_BASE || 61000),
      wallFactor: config.wallFactor ?? 2,
      wallExtraMs: config.wallExtraMs ?? 1000,
      addressSpaceSlackMb: config.addressSpaceSlackMb ?? 64,
      retimeFactor: config.retimeFactor ?? Number(process.env.EXECUTOR_RETIME_FACTOR ?? DEFAULT_RETIME_FACTOR),
      pythonMode: config.pythonMode ?? "fork",
      isolation: config.isolation ?? ((process.env.EXECUTOR_ISOLATION as JudgeConfig["isolation"]) || "auto"),
    };
    if (!["auto", "bwrap", "uid"].includes(this.config.isolation)) throw new Error("isolation must be auto, bwrap or uid");
    if (!(this.config.retimeFactor >= 1)) throw new Error("retimeFactor must be ≥ 1");
    if (!(this.config.concurrency >= 1)) throw new Error("concurrency must be ≥ 1");
    this.slots = new Slots(Math.floor(this.config.concurrency));
  }

  /** The isolation mode, decided once ("auto": bwrap if it works here, else uid when root). */
  isolation(): Isolation {
    if (this.mode === undefined) {
      const root = process.getuid?.() === 0;
      if (this.config.isolation !== "auto") this.mode = this.config.isolation;
      else this.mode = bwrapWorks(root ? this.config.sandboxUidBase : undefined).ok || !root ? "bwrap" : "uid";
    }
    return this.mode;
  }

  /** Root-owned directory under which the uid isolation makes each sandbox's work dir. */
  private uidRoot(): string {
    if (!this.uidRootDir) {
      this.uidRootDir = mkdtempSync(join(tmpdir(), "frontier-uid-"));
      chmodSync(this.uidRootDir, 0o711);
    }
    return this.uidRootDir;
  }

  stats(): { capacity: number; running: number; queued: number } {
    return { capacity: this.slots.capacity, running: this.slots.running, queued: this.slots.queued };
  }

  /** The reference workload's speed here, measured once (the server measures it at start). Reported only. */
  speedFactor(): number {
    if (this.speed === undefined) this.speed = measureSpeedFactor();
    return this.speed;
  }

  /** Whether sandboxes can be started here, and the toolchain versions. Cached after success. */
  probe(): Promise<SandboxProbe> {
    if (!this.probeResult) {
      this.probeResult = this.runProbe().then((probe) => {
        if (!probe.available) setTimeout(() => (this.probeResult = null), 30_000).unref();
        return probe;
      });
    }
    return this.probeResult;
  }

  private async runProbe(): Promise<SandboxProbe> {
    const bwrap = findBwrap();
    const versions = {
      python: version(this.config.python, ["--version"], /Python (\S+)/),
      gxx: this.gxx(),
      bwrap: bwrap ? version(bwrap, ["--version"], /bubblewrap (\S+)/) : null,
      node: process.versions.node,
    };
    const executorVersion = `${EXECUTOR_VERSION} python/${versions.python ?? "none"} g++/${versions.gxx ?? "none"} retime/${this.config.retimeFactor}`;
    const isolation = this.isolation();
    const unavailable = (reason: string): SandboxProbe => ({ available: false, isolation, reason, versions, executorVersion });
    if (isolation === "bwrap" && !bwrap) return unavailable("bubblewrap (bwrap) is not installed");
    if (isolation === "uid" && process.getuid?.() !== 0) return unavailable("uid isolation needs the executor to run as root");
    if (!versions.python) return unavailable(`${this.config.python} not found`);
    try {
      const { sandbox, hello } = await Sandbox.start(this.sandboxSpec(0), {
        mode: "python",
        code: "print(input())",
        kind: "stdin",
        limits: this.limits({ time_ms: 2000, memory_mb: 64 }),
      });
      const { run, stdout } = await sandbox.runTest({}, "ok\n", 10_000);
      await sandbox.close();
      if (!hello.ready || run.exit_code !== 0 || stdout.toString() !== "ok\n") {
        return unavailable(`sandbox self-test failed: ${run.stderr_tail || JSON.stringify(run)}`);
      }
    } catch (error) {
      return unavailable((error as Error).message);
    }
    return { available: true, isolation, versions, executorVersion };
  }

  private gxx(): string | null {
    if (this.gxxVersion === undefined) this.gxxVersion = version(this.config.gxx, ["-dumpfullversion"], /(\S+)/);
    return this.gxxVersion;
  }

  /** Judges submissions of one problem concurrently; results in submission order. */
  async judge(problemInput: Problem | ProblemInput, submissions: Submission[], options: JudgeOptions = {}): Promise<ExecutorJudgeResult[]> {
    const problem = ProblemSchema.parse(problemInput);
    return Promise.all(submissions.map((submission) => this.judgeParsed(problem, submission, options)));
  }

  async judgeOne(problemInput: Problem | ProblemInput, submission: Submission, options: JudgeOptions = {}): Promise<ExecutorJudgeResult> {
    return this.judgeParsed(ProblemSchema.parse(problemInput), submission, options);
  }

  async close(): Promise<void> {
    if (this.uidRootDir) rmSync(this.uidRootDir, { recursive: true, force: true });
    this.uidRootDir = undefined;
  }

  /**
   * Runs one program on one stdin in the judging sandbox (tool use). Output is truncated; a system
   * error is thrown as RunSystemError (never reported as the program's verdict).
   */
  async run(request: RunRequest): Promise<RunResponse> {
    const problem: Problem = {
      id: "run",
      title: "",
      statement: "",
      kind: "stdin",
      limits: request.limits,
      checker: "exact",
      tiers: [{ name: "run", tests: [{ input: request.stdin, output: "" }] }],
    };
    let seen: TestObservation | undefined;
    const result = await this.judgeParsed(problem, { language: request.language, code: request.code }, {}, (o) => (seen = o));
    if (result.verdict === "SE") throw new RunSystemError(result.failure?.message ?? "sandbox failure");
    const stdout = truncateOutput(seen?.stdout ?? "");
    const stderrText = seen ? seen.stderr : result.verdict === "CE" ? (result.failure?.message ?? "") : "";
    const stderr = truncateOutput(stderrText);
    // The "expected output" is empty, so a clean run reads WA to the checker: that is OK here.
    const verdict = result.verdict === "AC" || result.verdict === "WA" ? "OK" : result.verdict;
    return {
      stdout: stdout.text,
      stderr: stderr.text,
      exit_code: seen ? seen.exitCode : null,
      verdict: verdict as RunResponse["verdict"],
      time_ms: Math.round(seen?.cpuMs ?? result.time_ms),
      memory_kb: seen?.memoryKb ?? result.memory_kb,
      ...(stdout.truncated || stderr.truncated ? { truncated: true } : {}),
    };
  }

  /**
   * Judges one program on a problem's public tests (`examples`) only, every test run, each with its
   * input, expected and actual output (truncated): the feedback an agent sees. Hidden tiers are not
   * touched.
   */
  async examples(problemInput: Problem | ProblemInput, submission: Submission): Promise<ExamplesResponse> {
    const full = ProblemSchema.parse(problemInput);
    const examples = full.examples ?? [];
    if (examples.length === 0) return { problem_id: full.id, verdict: "AC", tests: [] };
    const problem: Problem = { ...full, tiers: [{ name: "examples", tests: examples }], examples };
    const seen: TestObservation[] = [];
    const result = await this.judgeParsed(problem, submission, { allTests: true }, (o) => seen.push(o));
    const tests: ExampleOutcome[] = examples.map((test, index) => {
      const o = seen.find((s) => s.position === index);
      if (!o) {
        const verdict = index === 0 || result.verdict === "CE" ? result.verdict : "SE";
        const message = index === 0 || result.verdict === "CE" ? result.failure?.message : "not run";
        return {
          index,
          input: truncateOutput(test.input).text,
          expected: truncateOutput(test.output).text,
          actual: "",
          verdict,
          ...(message ? { message } : {}),
          time_ms: 0,
        };
      }
      const actual = o.stdout || (o.verdict === "RE" ? o.stderr : "");
      return {
        index,
        input: truncateOutput(test.input).text,
        expected: truncateOutput(test.output).text,
        actual: truncateOutput(actual).text,
        verdict: o.verdict,
        ...(o.message ? { message: truncateOutput(o.message, 2048).text } : {}),
        time_ms: Math.round(o.cpuMs),
      };
    });
    return { problem_id: full.id, verdict: result.verdict, tests };
  }

  private async judgeParsed(problem: Problem, submission: Submission, options: JudgeOptions, observe?: Observer): Promise<ExecutorJudgeResult> {
    const slot = await this.slots.acquire();
    try {
      const once = async () => {
        const result = await this.attempt(problem, submission, options, slot, observe);
        // SE is never the program's fault: one more try before reporting it.
        return result.verdict === "SE" && (this.isolation() === "uid" || findBwrap()) ? this.attempt(problem, submission, options, slot, observe) : result;
      };
      const result = await judgeWithRetime(once, problem.limits.time_ms, this.config.retimeFactor);
      return submission.id === undefined ? result : { id: submission.id, ...result };
    } finally {
      this.slots.release(slot);
    }
  }

  private sandboxSpec(slot: number): SandboxSpec {
    const root = process.getuid?.() === 0;
    const uid = root ? this.config.sandboxUidBase + slot : undefined;
    const isolation = this.isolation();
    return {
      python: this.config.python,
      uid,
      gid: uid,
      ioTmpfsBytes: 3 * this.config.outputLimitBytes + 256 * MIB,
      isolation,
      ...(isolation === "uid" && root ? { uidRoot: this.uidRoot() } : {}),
    };
  }

  private limits(limits: { time_ms: number; memory_mb: number }): ProcessLimits {
    return {
      // The kill ceiling: TLE is still anything over time_ms (classifyRun), but a run just over it
      // goes on to retimeFactor × time_ms, so "just over" (retimed) and "well over" can be told apart.
      cpu_ms: Math.round(limits.time_ms * this.config.retimeFactor),
      wall_ms: Math.round(limits.time_ms * Math.max(this.config.wallFactor, this.config.retimeFactor) + this.config.wallExtraMs),
      as_bytes: (limits.memory_mb + this.config.addressSpaceSlackMb) * MIB,
      // Half the memory limit: a runaway recursion dies of SIGSEGV (RE) before its stack alone
      // pushes the peak RSS over the memory limit (which would read as MLE).
      stack_bytes: Math.max(8, Math.floor(limits.memory_mb / 2)) * MIB,
      nproc: 64,
      fsize_bytes: this.config.outputLimitBytes,
      nofile: 64,
    };
  }

  private getCompiler(): CppCompiler {
    if (!this.compiler) {
      mkdirSync(this.config.cacheDir, { recursive: true, mode: 0o755 });
      const { uid, gid, isolation, uidRoot } = this.sandboxSpec(this.slots.capacity); // a uid no judging slot uses
      this.compiler = new CppCompiler({
        gxx: this.config.gxx,
        gxxVersion: this.gxx() ?? "unknown",
        cacheDir: this.config.cacheDir,
        sandbox: { python: this.config.python, uid, gid, isolation, uidRoot },
      });
    }
    return this.compiler;
  }

  private async attempt(problem: Problem, submission: Submission, options: JudgeOptions, slot: number, observe?: Observer): Promise<ExecutorJudgeResult> {
    const started = performance.now();
    const fail = (verdict: Verdict, message: string, extra: Partial<ExecutorJudgeResult> = {}): ExecutorJudgeResult => ({
      verdict,
      tiers_passed: 0,
      failure: { tier: 0, test: 0, verdict, time_ms: 0, message },
      time_ms: 0,
      memory_kb: 0,
      tests_run: 0,
      wall_ms: Math.round(performance.now() - started),
      ...extra,
    });
    if (this.isolation() === "bwrap" && !findBwrap()) return fail("SE", "bubblewrap (bwrap) is not installed; refusing to run programs unsandboxed");
    if (this.isolation() === "uid" && process.getuid?.() !== 0) return fail("SE", "uid isolation needs the executor to run as root");
    if (problem.kind === "functional" && !problem.function?.name) return fail("SE", "functional problem without function.name");
    const limits = this.limits(problem.limits);
    const spec = this.sandboxSpec(slot);
    const tests = problem.tiers.flatMap((tier, t) => tier.tests.map((test, i) => ({ tier: t, index: i, test })));

    let config: RunnerConfig;
    let compileMs = 0;
    try {
      if (submission.language === "python") {
        config =
          this.config.pythonMode === "spawn"
            ? { mode: "spawn-python", code: submission.code, python: this.config.python, limits }
            : {
                mode: "python",
                code: submission.code,
                kind: problem.kind,
                function: problem.function?.name,
                preload: tests.length > 1 ? importedModules(submission.code) : [],
                limits,
              };
      } else if (submission.language === "cpp") {
        const sources =
          problem.kind === "assert"
            ? tests.map(({ test }) => assertSource(submission.code, test.input))
            : [problem.kind === "functional" ? functionalSource(submission.code, problem.function!.name) : submission.code];
        const flags = problem.kind === "assert" ? [...this.getCompiler().flags(), ...ASSERT_FLAGS] : undefined;
        const binaries: string[] = [];
        for (const source of sources) {
          const outcome = await this.getCompiler().compile(source, flags, spec.isolation === "uid" ? { uid: spec.uid, gid: spec.gid } : undefined);
          compileMs += outcome.ms;
          if (!outcome.ok) return fail("CE", outcome.message, { compile_ms: compileMs });
          const staticBytes = staticMemoryBytes(outcome.binary);
          if (staticBytes > problem.limits.memory_mb * MIB) {
            const message = `static data ${Math.round(staticBytes / MIB)} MiB > ${problem.limits.memory_mb} MiB`;
            return fail("MLE", message, { compile_ms: compileMs, memory_kb: Math.round(staticBytes / 1024) });
          }
          binaries.push(outcome.binary);
        }
        spec.binds = binaries.map((src, i) => ({ src, dest: `/run/bin/${i}` }));
        config = { mode: "exec", binaries: binaries.map((_, i) => `/run/bin/${i}`), limits };
      } else {
        return fail("CE", `unsupported language '${String(submission.language)}'`);
      }
    } catch (error) {
      if (error instanceof SandboxError) return fail("SE", error.message);
      throw error;
    }

    let sandbox: Sandbox;
    try {
      const started = await Sandbox.start(spec, config);
      if (started.hello.compile_error) {
        await started.sandbox.close();
        return fail("CE", String(started.hello.compile_error).trim());
      }
      if (!started.hello.ready) {
        await started.sandbox.close();
        return fail("SE", `sandbox did not start: ${JSON.stringify(started.hello)}`);
      }
      sandbox = started.sandbox;
    } catch (error) {
      if (error instanceof SandboxError) return fail("SE", error.message);
      throw error;
    }

    const ctx: TestContext = {
      kind: problem.kind,
      language: submission.language,
      timeMs: problem.limits.time_ms,
      memoryMb: problem.limits.memory_mb,
      outputLimitBytes: this.config.outputLimitBytes,
    };
    let failure: ExecutorJudgeResult["failure"] = null;
    let firstFailedTier = problem.tiers.length;
    let maxCpu = 0;
    let maxMemory = 0;
    let totalCpu = 0;
    let testsRun = 0;
    try {
      for (let position = 0; position < tests.length; position++) {
        const { tier, index, test } = tests[position];
        const header = problem.kind === "assert" ? (submission.language === "python" ? { test_code: test.input } : { binary: position }) : {};
        const input = problem.kind === "assert" ? "" : test.input;
        let verdict: Verdict;
        let message: string | undefined;
        let cpu = 0;
        let stopAll = false;
        try {
          const { run, stdout } = await sandbox.runTest(header, input, limits.wall_ms + 15_000);
          cpu = run.cpu_ms;
          maxMemory = Math.max(maxMemory, run.maxrss_kb);
          const classified = classifyRun(run, ctx);
          if (classified.verdict) {
            verdict = classified.verdict;
            message = classified.message;
          } else {
            const reason =
              problem.kind === "functional"
                ? checkFunctional(problem.checker, test.output, classified.result ?? "")
                : problem.kind === "assert"
                  ? null
                  : checkOutput(problem.checker, test.output, stdout.toString("utf8"));
            verdict = reason === null ? "AC" : "WA";
            message = reason ?? undefined;
          }
          observe?.({
            position,
            stdout: problem.kind === "functional" ? (classified.verdict ? "" : (classified.result ?? "")) : stdout.toString("utf8"),
            stderr: run.stderr_tail,
            exitCode: run.exit_code,
            verdict,
            message,
            cpuMs: run.cpu_ms,
            memoryKb: run.maxrss_kb,
          });
          stopAll = !!run.tampered || verdict === "SE";
        } catch (error) {
          if (!(error instanceof SupervisorLost)) throw error;
          // The supervisor is PID 1 of the sandbox and ignores the program's signals; losing it
          // mid-test is either our bug (traceback, no answer in time) or the program's doing.
          const ours = sandbox.supervisorCrashed || sandbox.timedOut;
          verdict = ours ? "SE" : "RE";
          message = ours ? `sandbox supervisor failed: ${sandbox.diagnostics.slice(-500) || "no answer"}` : "the program brought down the sandbox supervisor";
          stopAll = true;
        }
        testsRun++;
        totalCpu += cpu;
        maxCpu = Math.max(maxCpu, cpu);
        if (verdict !== "AC") {
          if (!failure) failure = { tier, test: index, verdict, time_ms: Math.round(cpu), ...(message ? { message } : {}) };
          firstFailedTier = Math.min(firstFailedTier, tier);
          if (!options.allTests || stopAll) break;
        }
      }
    } finally {
      await sandbox.close();
    }
    return {
      verdict: failure ? failure.verdict : "AC",
      tiers_passed: firstFailedTier,
      failure,
      time_ms: Math.round(maxCpu),
      memory_kb: maxMemory,
      tests_run: testsRun,
      cpu_ms_total: Math.round(totalCpu),
      wall_ms: Math.round(performance.now() - started),
      ...(compileMs ? { compile_ms: compileMs } : {}),
    };
  }
}

/** /v1/run could not run the program for a reason that is not the program's (answered 503). */
export class RunSystemError extends Error {}
