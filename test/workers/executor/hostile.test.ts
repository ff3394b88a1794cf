// Hostile programs against the real executor server: each gets the verdict it must get, and
// afterwards nothing is left behind and the service still answers.
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExecutor, type StartedExecutor } from "../../../workers/executor/src/server.ts";
import { strayProcesses } from "./helpers.ts";

const REPO = resolve(import.meta.dirname, "../../..");
const nonce = randomBytes(6).toString("hex");
const token = `tok-${randomBytes(12).toString("hex")}`;
const secret = `sec-${randomBytes(12).toString("hex")}`;
const OUTPUT_LIMIT = 4 << 20;
const SLEEP_MARK = "987654";
const outsidePaths = [
  join(tmpdir(), `frontier-hostile-${nonce}`),
  join(REPO, `hostile-${nonce}`),
  `/usr/hostile-${nonce}`,
  `/etc/hostile-${nonce}`,
  `/hostile-${nonce}`,
  `/run/hostile-${nonce}`,
];

let server: StartedExecutor;
const savedSecret = process.env.FRONTIER_HOSTILE_SECRET;
const isRoot = process.getuid?.() === 0;

// Both isolation modes; the uid mode (root only) uses uids of its own so that its uid-wide kills
// cannot reach another executor's sandboxes on a shared machine.
const MODES = [
  { isolation: "bwrap", uidBase: 61000 },
  { isolation: "uid", uidBase: 62000 + (process.pid % 100) * 20 },
] as const;

interface Case {
  name: string;
  language: "python" | "cpp";
  code: string;
  verdict: string;
  input?: string;
  output?: string;
  /** Extra tiers with the same test: proves the sandbox still runs tests after the attack. */
  repeat?: number;
  limits?: { time_ms: number; memory_mb: number };
}

const py = (name: string, verdict: string, code: string, extra: Partial<Case> = {}): Case => ({ name, language: "python", code, verdict, ...extra });
const cpp = (name: string, verdict: string, code: string, extra: Partial<Case> = {}): Case => ({ name, language: "cpp", code, verdict, ...extra });

function cases(port: number): Case[] {
  return [
    py("fork bomb", "TLE", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"),
    py("memory bomb", "MLE", "blocks = []\nwhile True:\n    blocks.append(bytearray(1 << 20))"),
    py("infinite loop", "TLE", "while True:\n    pass"),
    py("sleep forever", "TLE", "import time\ntime.sleep(10 ** 6)"),
    py("stdout flood", "OLE", "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)"),
    py("stderr flood", "OLE", "import sys\nwhile True:\n    sys.stderr.write('e' * 65536)"),
    py(
      "network connection",
      "AC",
      `import socket
opened = []
for host, port in (("1.1.1.1", 53), ("127.0.0.1", ${port}), ("10.0.2.2", 80)):
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        opened.append(host)
    except OSError:
        pass
try:
    socket.getaddrinfo("example.com", 80)
    opened.append("dns")
except OSError:
    pass
print("open " + ",".join(opened) if opened else "blocked")`,
      { output: "blocked" },
    ),
    py(
      "read /etc/shadow",
      "AC",
      `read = []
for path in ("/etc/shadow", "/etc/passwd", "/root/.bash_history"):
    try:
        open(path).read()
        read.append(path)
    except OSError:
        pass
print("read " + ",".join(read) if read else "blocked")`,
      { output: "blocked" },
    ),
    py(
      "read the executor's environment",
      "AC",
      `import os
needles = ("${secret}", "${token}")
found = [k for k, v in os.environ.items() if any(n in v for n in needles)]
try:
    pids = os.listdir("/proc")
except OSError:  # the uid isolation's Landlock refuses /proc
    pids = []
for pid in pids:
    if not pid.isdigit():
        continue
    for name in ("environ", "cmdline"):
        try:
            data = open(f"/proc/{pid}/{name}", "rb").read().decode("latin-1")
        except OSError:
            continue
        if any(n in data for n in needles):
            found.append(pid + "/" + name)
extra = sorted(set(os.environ) - {"PATH", "HOME", "LANG", "PWD"})
print("clean" if not found and not extra else f"leak {found} {extra}")`,
      { output: "clean" },
    ),
    py(
      "write outside the work directory",
      "AC",
      `written = []
for path in ${JSON.stringify(outsidePaths)}:
    try:
        with open(path, "w") as f:
            f.write("pwned")
        if not path.startswith("/tmp/"):  # /tmp is the sandbox's own work dir; the host check below covers it
            written.append(path)
    except OSError:
        pass
print("wrote " + ",".join(written) if written else "blocked")`,
      { output: "blocked" },
    ),
    py(
      "kill the parent",
      "AC",
      "import os, signal\nfor target in (os.getppid(), 1, -1):\n    try:\n        os.kill(target, signal.SIGKILL)\n    except OSError:\n        pass\nprint('alive')",
      { output: "alive", repeat: 2 },
    ),
    py(
      "background process that outlives the program",
      "AC",
      `import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/usr/bin/sleep", ["sleep", "${SLEEP_MARK}"])
    os._exit(0)
print("ok")`,
      { output: "ok", repeat: 2 },
    ),
    py("deep recursion", "RE", "def f(n):\n    return f(n + 1) + 1\nprint(f(0))"),
    // Python 3.11 keeps Python frames on the heap: unbounded recursion is a memory bomb.
    py("deep recursion, recursion limit lifted", "MLE", "import sys\nsys.setrecursionlimit(10 ** 8)\ndef f(n):\n    return f(n + 1) + 1\nprint(f(0))"),
    cpp("C++ segfault", "RE", "int main() { volatile int* p = nullptr; *p = 1; return 0; }"),
    cpp("C++ abort", "RE", "#include <cstdlib>\nint main() { std::abort(); }"),
    cpp("C++ stack overflow", "RE", "int f(int n) { volatile char buf[1024]; buf[0] = (char)n; return f(n + 1) + buf[0]; }\nint main() { return f(0); }"),
    cpp("compile bomb: template recursion", "CE", "template <int N> struct A { static const int v = A<N + 1>::v; };\nint main() { return A<0>::v; }"),
    cpp("compile bomb: #include /dev/random", "CE", '#include "/dev/random"\nint main() { return 0; }'),
    cpp(
      "C++ kills the parent",
      "AC",
      '#include <csignal>\n#include <cstdio>\n#include <unistd.h>\nint main() { kill(getppid(), SIGKILL); kill(1, SIGKILL); kill(-1, SIGKILL); puts("alive"); }',
      { output: "alive", repeat: 2 },
    ),
    py("closes stdout early", "AC", "import os, sys\nprint(int(input()) * 2)\nsys.stdout.flush()\nos.close(1)\nprint('more')", { input: "2\n", output: "4" }),
    py("reads stdin forever", "TLE", "import sys\nwhile True:\n    sys.stdin.read()"),
    py("huge single input line", "AC", "print(len(input()))", { input: `${"a".repeat(8_000_000)}\n`, output: "8000000" }),
    py("huge single output line", "OLE", `import sys\nsys.stdout.write("x" * ${OUTPUT_LIMIT + 10})`),
    py(
      "ptrace and /proc/1/mem of the supervisor",
      "AC",
      `import ctypes
libc = ctypes.CDLL(None, use_errno=True)
attached = libc.ptrace(16, 1, 0, 0) == 0
readable = []
for path in ("/proc/1/mem", "/proc/1/environ", "/proc/1/fd/0"):
    try:
        open(path, "rb").read(1)
        readable.append(path)
    except OSError:
        pass
print("blocked" if not attached and not readable else f"open {attached} {readable}")`,
      { output: "blocked" },
    ),
    py(
      "shrink the supervisor's limits",
      "AC",
      "import resource\ntry:\n    resource.prlimit(1, resource.RLIMIT_NOFILE, (3, 3))\n    print('changed')\nexcept OSError:\n    print('blocked')",
      { output: "blocked", repeat: 2 },
    ),
  ];
}

async function judge(body: unknown): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${server.port}/v1/judge`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

function problemFor(c: Case) {
  const test = { input: c.input ?? "", output: c.output ?? "" };
  return {
    id: c.name.replace(/\W+/g, "-"),
    kind: "stdin",
    limits: c.limits ?? { time_ms: 1000, memory_mb: 64 },
    tiers: Array.from({ length: c.repeat ?? 1 }, (_, i) => ({ name: `t${i}`, tests: [test] })),
  };
}

describe.each(MODES)("hostile programs ($isolation isolation)", ({ isolation, uidBase }) => {
  beforeAll(async () => {
    if (isolation === "uid" && !isRoot) return;
    process.env.FRONTIER_HOSTILE_SECRET = secret; // the executor process holds it; programs must not see it
    server = await startExecutor({
      PORT: "0",
      EXECUTOR_TOKEN: token,
      EXECUTOR_CONCURRENCY: "2",
      EXECUTOR_OUTPUT_LIMIT_BYTES: String(OUTPUT_LIMIT),
      EXECUTOR_ISOLATION: isolation,
      EXECUTOR_SANDBOX_UID_BASE: String(uidBase),
    });
  });

  afterAll(async () => {
    await server?.close();
    if (savedSecret === undefined) delete process.env.FRONTIER_HOSTILE_SECRET;
    else process.env.FRONTIER_HOSTILE_SECRET = savedSecret;
  });

  it.skipIf(isolation === "uid" && !isRoot)("gets the right verdict for every attack and stays intact", async () => {
    const all = cases(server.port);
    expect(all.length).toBeGreaterThanOrEqual(20);
    const results = await Promise.all(
      all.map(async (c) => {
        const { results } = await judge({ problem: problemFor(c), submissions: [{ id: c.name, language: c.language, code: c.code }] });
        return results[0];
      }),
    );
    const summary = all.map((c, i) => ({ name: c.name, want: c.verdict, got: results[i].verdict, message: results[i].failure?.message }));
    expect(summary.filter((s) => s.want !== s.got)).toEqual([]);
    for (const [i, c] of all.entries()) {
      if (c.repeat) expect(results[i], c.name).toMatchObject({ tiers_passed: c.repeat, tests_run: c.repeat });
    }
  });

  it.skipIf(isolation === "uid" && !isRoot)("keeps concurrent submissions out of each other's files", async () => {
    const problem = { id: "pair", kind: "stdin", limits: { time_ms: 1000, memory_mb: 64 }, tiers: [{ name: "t", tests: [{ input: "", output: "ok" }] }] };
    // The owner writes into its work dir (its cwd: /tmp under bwrap, a slot-owned directory under
    // the uid isolation) and, under bwrap, /run/io; the thief looks there, in the executor's cache
    // and (uid) among the other sandboxes' directories. "Found" means readable, not only stat-able:
    // Landlock (the uid isolation) does not cover stat().
    const owner = `import os, time
with open("secret-${nonce}.txt", "w") as f:
    f.write("S3CRET")
if os.path.isdir("/run/io"):
    with open("/run/io/secret-${nonce}", "w") as f:
        f.write("S3CRET")
time.sleep(1.5)
print("ok")`;
    const thief = `import os, time
time.sleep(0.5)
def readable(path):
    try:
        os.listdir(path)
        return True
    except NotADirectoryError:
        pass
    except OSError:
        return False
    try:
        open(path, "rb").read(1)
        return True
    except OSError:
        return False
found = []
for path in ("/tmp/secret-${nonce}.txt", "/run/io/secret-${nonce}", "secret-${nonce}.txt", "${join(tmpdir(), "frontier-executor")}"):
    if readable(path):
        found.append(path)
if os.getcwd() != "/tmp":
    for up in (os.path.dirname(os.getcwd()), os.path.dirname(os.path.dirname(os.getcwd()))):
        if readable(up):
            found.append(up)
try:
    others = [p for p in os.listdir("/proc") if p.isdigit() and p not in ("1", str(os.getpid()))]
except OSError:
    others = []
print("ok" if not found and not others else f"found {found} {others}")`;
    const { results } = await judge({
      problem,
      submissions: [
        { id: "owner", language: "python", code: owner },
        { id: "thief", language: "python", code: thief },
      ],
    });
    expect(results.map((r: any) => [r.id, r.verdict, r.failure?.message])).toEqual([
      ["owner", "AC", undefined],
      ["thief", "AC", undefined],
    ]);
  });

  it.skipIf(isolation === "uid" && !isRoot)("leaves nothing behind and still answers", async () => {
    expect(strayProcesses(uidBase)).toEqual([]);
    const sleepers = execFileSync("ps", ["-e", "-o", "args="], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.includes(`sleep ${SLEEP_MARK}`));
    expect(sleepers).toEqual([]);
    for (const path of outsidePaths) expect(existsSync(path), path).toBe(false);
    const sandboxOwned = readdirSync(tmpdir()).filter((name) => {
      try {
        const uid = statSync(join(tmpdir(), name)).uid;
        return uid >= uidBase && uid <= uidBase + 16;
      } catch {
        return false;
      }
    });
    expect(sandboxOwned).toEqual([]);

    const health = await fetch(`http://127.0.0.1:${server.port}/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", sandbox: { available: true }, isolation });
    const { results } = await judge({
      problem: { id: "sane", kind: "stdin", limits: { time_ms: 1000, memory_mb: 64 }, tiers: [{ name: "t", tests: [{ input: "20 22\n", output: "42" }] }] },
      submissions: [{ language: "python", code: "print(sum(map(int, input().split())))" }],
    });
    expect(results[0]).toMatchObject({ verdict: "AC" });
  });
});
