# The supervisor inside one bubblewrap sandbox (PID 1 of its pid namespace).
#
# Talks to the executor over fds 0/1 with length-prefixed frames (4-byte big-endian length).
#   executor -> runner: config (JSON), then per test: header (JSON), input (bytes)
#   runner -> executor: ready (JSON), then per test: result (JSON), stdout (bytes)
# Modes:
#   python        warm interpreter: the submission is compiled once here, each test is a fork
#   spawn-python  baseline: a fresh python3 per test (bench only)
#   exec          each test execs a prebuilt binary (C++)
#   compile       run one command (g++) once and report
# Being PID 1 matters: processes of the namespace cannot SIGKILL it, and kill(-1) from here reaches
# every other process in the sandbox and nothing outside it.
#
# Isolation "uid" (config `isolation`, where bubblewrap cannot create its namespaces): the runner is
# started directly by the executor (root) and stays root; each test process drops to the slot's own
# uid after its rlimits, a Landlock ruleset (read-only /usr, its work dir writable, nothing else; no
# TCP; no signals outside its domain) and a seccomp filter (no sockets but AF_UNIX, no io_uring, no
# prlimit on other processes). The program cannot signal, ptrace or re-limit the root supervisor,
# and "kill everything else" kills every process of the slot uid.
import builtins
import io
import json
import os
import resource
import select
import signal
import stat
import struct
import sys
import time
import types

import traceback

IO_DIR = "/run/io"
WORK_DIR = "/tmp"
CHILD_STATUS_FD = 3
# Where a test process reports a failed execve (close-on-exec, so silence means the exec worked).
EXEC_ERROR_FD = 1000
# Where a pre-forked test process reads its test's header (runner `prepare`), then closes.
GO_FD = 1001
CLK_TCK = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024

PROTO_IN = os.dup(0)
PROTO_OUT = os.dup(1)
_null = os.open("/dev/null", os.O_RDWR)
os.dup2(_null, 0)
os.dup2(_null, 1)
os.close(_null)


def make_undumpable():
    # Same uid as the program: without this the program could ptrace us or read /proc/1/mem.
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:
        pass


def read_exact(n):
    chunks = []
    while n > 0:
        chunk = os.read(PROTO_IN, min(n, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame():
    head = read_exact(4)
    if head is None:
        return None
    (length,) = struct.unpack(">I", head)
    return read_exact(length) if length else b""


def write_frame(data):
    if isinstance(data, str):
        data = data.encode()
    write_all(struct.pack(">I", len(data)) + data)


def write_all(data):
    view = memoryview(data)
    while view:
        written = os.write(PROTO_OUT, view)
        view = view[written:]


def send_json(obj):
    write_frame(json.dumps(obj, separators=(",", ":")))


RLIMIT_NAMES = ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_STACK", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_CORE")


def own_limits():
    return [resource.getrlimit(getattr(resource, name)) for name in RLIMIT_NAMES]


def apply_limits(lim):
    # A backstop only: the supervisor polls CPU time and stops the test at the exact limit.
    cpu_s = max(1, -(-lim["cpu_ms"] // 1000)) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    address_space = lim["as_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    stack = lim["stack_bytes"]
    resource.setrlimit(resource.RLIMIT_STACK, (stack, stack))
    resource.setrlimit(resource.RLIMIT_NPROC, (lim["nproc"], lim["nproc"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (lim["fsize_bytes"], lim["fsize_bytes"]))
    resource.setrlimit(resource.RLIMIT_NOFILE, (lim["nofile"], lim["nofile"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def process_cpu_ms(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 // CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0


def kill_everything_else():
    if ISOLATION is not None:
        kill_uid(ISOLATION["uid"], ISOLATION["gid"])
    else:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return
        except InterruptedError:
            continue


def kill_uid(uid, gid):
    # kill(-1) as the slot uid reaches every process of that uid (and nothing else) but the killer.
    # The kernel signals them under the task list lock, so a fork bomb cannot outrun one round.
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)
            for _ in range(2):
                try:
                    os.kill(-1, signal.SIGKILL)
                except OSError:
                    break
        finally:
            os._exit(0)


def landlock(iso):
    # Landlock (Linux >= 5.13) through raw syscalls: every file access is refused except the rules
    # below; ABI 4 adds TCP bind/connect, ABI 6 scopes signals and abstract unix sockets.
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    L = ctypes.c_long
    abi = libc.syscall(L(444), None, L(0), L(1))
    if abi < 1:
        return 0
    fs = (1 << 13) - 1
    if abi >= 2:
        fs |= 1 << 13
    if abi >= 3:
        fs |= 1 << 14
    if abi >= 5:
        fs |= 1 << 15
    attr = struct.pack("=QQQ", fs, 3 if abi >= 4 else 0, 3 if abi >= 6 else 0)[: 8 if abi < 4 else 16 if abi < 6 else 24]
    attr_buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = libc.syscall(L(444), attr_buf, L(len(attr)), L(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    read_exec = 1 | 4 | 8  # EXECUTE | READ_FILE | READ_DIR
    file_rights = 1 | 2 | 4 | (1 << 14 if abi >= 3 else 0) | (1 << 15 if abi >= 5 else 0)
    rules = [(p, read_exec) for p in iso["read"]] + [(p, fs) for p in iso["write"]] + [(p, 2 | 4) for p in iso["devices"]]
    for path, access in rules:
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            access &= file_rights
        rule = ctypes.create_string_buffer(struct.pack("=Qi", access, fd), 12)
        failed = libc.syscall(L(445), L(ruleset), L(1), rule, L(0)) != 0
        os.close(fd)
        if failed:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        raise OSError(ctypes.get_errno(), "no_new_privs")
    if libc.syscall(L(446), L(ruleset), L(0)) != 0:
        raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    os.close(ruleset)
    return abi


def drop_to_slot(iso):
    # Order: Landlock (needs root's view to open the rule paths), then the uid, then seccomp.
    import base64
    import ctypes

    landlock(iso)
    gid, uid = iso["gid"], iso["uid"]
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(4, 1, 0, 0, 0)  # dumpable again: the program may read its own /proc/self
    libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS (seccomp needs it without CAP_SYS_ADMIN)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    bpf = base64.b64decode(iso["seccomp"])
    program = ctypes.create_string_buffer(bpf, len(bpf))
    fprog = SockFprog(len(bpf) // 8, ctypes.addressof(program))
    if libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
        raise OSError(ctypes.get_errno(), "seccomp")


def wipe_dir(path, keep=frozenset()):
    # Tests of one submission must not pass state to each other through files.
    for entry in os.scandir(path):
        if entry.name in keep:
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                wipe_dir(entry.path)
                os.rmdir(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            pass


# The supervisor's own files in IO_DIR; anything else there was left by a program (bwrap: the
# sandbox's uid may write to /run/io) and is removed like WORK_DIR's files.
IO_FILES = frozenset(("in", "out", "err", "main.py"))


def wipe_io_extras():
    wipe_dir(IO_DIR, keep=IO_FILES)


def head_and_tail(path, limit=4096):
    try:
        with open(path, "rb") as f:
            head = f.read(limit)
            size = f.seek(0, os.SEEK_END)
            if size <= limit:
                return size, head, head
            f.seek(max(0, size - limit))
            return size, head, f.read()
    except OSError:
        return 0, b"", b""


def setup_child_fds(status_fd):
    in_fd = os.open(f"{IO_DIR}/in", os.O_RDONLY)
    out_fd = os.open(f"{IO_DIR}/out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err_fd = os.open(f"{IO_DIR}/err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(in_fd, 0)
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    os.dup2(status_fd, CHILD_STATUS_FD)
    os.closerange(CHILD_STATUS_FD + 1, EXEC_ERROR_FD)
    os.closerange(GO_FD + 1, 1 << 16)
    os.set_inheritable(CHILD_STATUS_FD, True)
    os.chdir(WORK_DIR)


def mark(code, payload=b""):
    data = code + payload
    try:
        while data:
            data = data[os.write(CHILD_STATUS_FD, data):]
    except OSError:
        pass


class Python:
    """The warm interpreter: the submission's code object, run in a fresh __main__ per fork."""

    def __init__(self, cfg):
        self.kind = cfg["kind"]
        self.function = cfg.get("function")
        self.code = compile(cfg["code"], "main.py", "exec", dont_inherit=True)

    def setup(self):
        # Before the test's header arrives (a prepared process): nothing here depends on the test.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.stdin = sys.__stdin__ = io.open(0, "r", encoding="utf-8", newline="\n", closefd=False)
        sys.stdout = sys.__stdout__ = io.open(1, "w", encoding="utf-8", newline="\n", closefd=False)
        sys.stderr = sys.__stderr__ = io.open(
            2, "w", buffering=1, encoding="utf-8", errors="backslashreplace", newline="\n", closefd=False
        )
        sys.argv = ["main.py"]
        module = types.ModuleType("__main__")
        module.__file__ = "main.py"
        module.__builtins__ = builtins
        sys.modules["__main__"] = module
        self.scope = module.__dict__

    def child(self, header):
        os.close(EXEC_ERROR_FD)
        scope = self.scope
        exit_code = 0
        stage = "program"
        try:
            exec(self.code, scope)
            stage = "test"
            if self.kind == "functional":
                self.call_function(scope, sys.stdin.read())
            elif self.kind == "assert":
                exec(compile(header.get("test_code", ""), "test.py", "exec", dont_inherit=True), scope)
                mark(b"D")
        except SystemExit as e:
            exit_code = system_exit_code(e)
        except MemoryError:
            mark(b"M")
            exit_code = 1
            print_exception()
        except AssertionError:
            if stage == "test" and self.kind == "assert":
                mark(b"A")
            exit_code = 1
            print_exception()
        except BaseException:
            exit_code = 1
            print_exception()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        os._exit(exit_code)

    def call_function(self, scope, text):
        try:
            args = [json.loads(line) for line in text.split("\n") if line.strip()]
        except ValueError as e:
            mark(b"I", str(e).encode())
            raise SystemExit(0)
        name = self.function
        solution = scope.get("Solution")
        target = None
        if isinstance(solution, type) and hasattr(solution, name):
            target = getattr(solution(), name)
        elif callable(scope.get(name)):
            target = scope[name]
        if target is None:
            mark(b"F", name.encode())
            raise SystemExit(0)
        result = target(*args)
        mark(b"R", json.dumps(result, default=json_fallback).encode())


def json_fallback(value):
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if hasattr(value, "__iter__"):
        return list(value)
    return str(value)


def system_exit_code(e):
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        print(code, file=sys.stderr)
    except BaseException:
        pass
    return 1


def print_exception():
    # Like an uncaught exception in a fresh interpreter: the supervisor's own frames left out.
    try:
        kind, value, tb = sys.exc_info()
        while tb is not None and tb.tb_frame.f_code.co_filename == "<string>":
            tb = tb.tb_next
        traceback.print_exception(kind, value, tb)
    except BaseException:
        try:
            os.write(2, b"exception (traceback unavailable)\n")
        except OSError:
            pass


def exec_child(argv, env):
    for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)
    os.execve(argv[0], argv, env)


class Prepared:
    """A test process forked ahead of its test: fds, rlimits (and, uid, the slot) set up; it waits
    on GO_FD for the test's header, so the fork and the set-up overlap the executor's checking of
    the previous result instead of adding to the next test's time."""

    def __init__(self, pid, status_fd, err_r, go_w):
        self.pid, self.status_fd, self.err_r, self.go_w = pid, status_fd, err_r, go_w


def prepare(cfg, child_main, child_setup=None):
    """`child_setup` runs in the prepared process before it waits: the part of a test's set-up that
    does not depend on the test (the warm interpreter's stdio and __main__)."""
    lim = cfg["limits"]
    status_path = f"{IO_DIR}/status"
    status_fd = os.open(status_path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    os.unlink(status_path)
    err_r, err_w = os.pipe2(os.O_CLOEXEC)
    go_r, go_w = os.pipe2(os.O_CLOEXEC)
    pid = os.fork()
    if pid == 0:
        try:
            os.close(go_w)
            os.dup2(err_w, EXEC_ERROR_FD, inheritable=False)
            os.dup2(go_r, GO_FD, inheritable=False)
            setup_child_fds(status_fd)
            apply_limits(lim)
            if ISOLATION is not None:
                drop_to_slot(ISOLATION)
            if child_setup is not None:
                child_setup()
            chunks = []
            while True:
                chunk = os.read(GO_FD, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
            os.close(GO_FD)
            if not chunks:  # the supervisor is done with this sandbox
                os._exit(0)
            child_main(json.loads(b"".join(chunks)))
        except OSError as e:
            try:
                os.write(EXEC_ERROR_FD, str(e.errno).encode())
            except OSError:
                pass
        except BaseException:
            pass
        os._exit(127)
    os.close(go_r)
    os.close(err_w)
    return Prepared(pid, status_fd, err_r, go_w)


def run_one(cfg, header, child_main, prepared=None):
    """Runs one test in a (pre-)forked process and waits for it; returns the result dict."""
    lim = cfg["limits"]
    if prepared is None:
        with open(f"{IO_DIR}/in", "wb"):
            pass
        prepared = prepare(cfg, child_main)
    pid, status_fd, err_r = prepared.pid, prepared.status_fd, prepared.err_r
    start = time.monotonic()
    try:
        os.write(prepared.go_w, json.dumps(header).encode())
    except OSError:
        pass
    os.close(prepared.go_w)
    pidfd = os.pidfd_open(pid)
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    wall_deadline = start + lim["wall_ms"] / 1000
    stopped_by = None
    polled_cpu_ms = 0
    while True:
        remaining = wall_deadline - time.monotonic()
        if remaining <= 0:
            stopped_by = "wall"
            break
        if poller.poll(min(remaining, 0.05) * 1000):
            break
        polled_cpu_ms = process_cpu_ms(pid)
        if polled_cpu_ms > lim["cpu_ms"]:
            stopped_by = "cpu"
            break
    if stopped_by:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status, usage = os.wait4(pid, 0)
    wall_ms = (time.monotonic() - start) * 1000
    os.close(pidfd)
    kill_everything_else()
    exec_error = os.read(err_r, 64).decode() or None
    os.close(err_r)
    marker = os.pread(status_fd, cfg["limits"]["fsize_bytes"], 0)
    os.close(status_fd)
    try:
        out_size = os.stat(f"{IO_DIR}/out").st_size
    except OSError:
        out_size = 0
    try:
        has_err = os.stat(f"{IO_DIR}/err").st_size > 0
    except OSError:
        has_err = False
    err_size, err_head, err_tail = head_and_tail(f"{IO_DIR}/err") if has_err else (0, b"", b"")
    wipe_dir(WORK_DIR)
    wipe_io_extras()
    if ISOLATION is None and os.path.isdir("/dev/shm"):  # bwrap's /dev is the sandbox's own tmpfs
        wipe_dir("/dev/shm")
    return {
        "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        # /proc ticks and rusage disagree by a few ms; a CPU stop reports at least what triggered it.
        "cpu_ms": round(max((usage.ru_utime + usage.ru_stime) * 1000, polled_cpu_ms), 3),
        "wall_ms": round(wall_ms, 3),
        "maxrss_kb": usage.ru_maxrss,
        "stopped_by": stopped_by,
        "exec_errno": int(exec_error) if exec_error and exec_error.isdigit() else None,
        "stdout_bytes": out_size,
        "stderr_bytes": err_size,
        "stderr_head": err_head[:2048].decode("utf-8", "replace"),
        "stderr_tail": err_tail.decode("utf-8", "replace"),
        "marker": marker.decode("utf-8", "replace"),
    }


def read_stdout(size):
    if not size:
        return b""
    try:
        fd = os.open(f"{IO_DIR}/out", os.O_RDONLY)
    except OSError:
        return b""
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


CHILD_ENV = {"PATH": "/usr/bin:/bin", "HOME": WORK_DIR, "LANG": "C.UTF-8"}
ISOLATION = None


def serve(cfg):
    mode = cfg["mode"]
    child_setup = None
    if mode == "python":
        # Warm the modules the submission imports, so each fork finds them loaded (the executor
        # asks for this only when there are several tests to amortise it over).
        for name in cfg.get("preload", []):
            try:
                __import__(name)
            except BaseException:
                pass
        try:
            program = Python(cfg)
        except (SyntaxError, ValueError) as e:
            send_json({"compile_error": "".join(traceback.format_exception_only(type(e), e))})
            return
        child_main = program.child
        child_setup = program.setup
    elif mode == "spawn-python":
        with open(f"{IO_DIR}/main.py", "w") as f:
            f.write(cfg["code"])
        if ISOLATION is not None:  # the test process (the slot uid) reads it, and nothing else here
            os.chmod(f"{IO_DIR}/main.py", 0o644)
            ISOLATION["read"].append(f"{IO_DIR}/main.py")
        python = cfg["python"]

        def child_main(header):
            exec_child([python, f"{IO_DIR}/main.py"], CHILD_ENV)

    elif mode == "exec":
        binaries = cfg["binaries"]

        def child_main(header):
            exec_child([binaries[header.get("binary", 0)]], CHILD_ENV)

    elif mode == "compile":
        argv = cfg["argv"]

        def child_main(header):
            os.chdir(cfg["cwd"])
            exec_child(argv, {**CHILD_ENV, "TMPDIR": WORK_DIR} if ISOLATION is not None else CHILD_ENV)

        send_json(run_one(cfg, {}, child_main))
        return
    else:
        send_json({"error": f"unknown mode {mode}"})
        return

    limits_at_start = own_limits()
    with open(f"{IO_DIR}/in", "wb"):
        pass
    send_json({"ready": True, "python": sys.version.split()[0]})
    prepared = prepare(cfg, child_main, child_setup)
    while True:
        header_bytes = read_frame()
        data = None if header_bytes is None else read_frame()
        if data is None:
            # Done: the prepared process reads EOF and exits; reap it (outside a pid namespace
            # nobody else would).
            os.close(prepared.go_w)
            os.waitpid(prepared.pid, 0)
            return
        header = json.loads(header_bytes)
        # By path, into the inode the prepared process opened (the program may have replaced it).
        in_fd = os.open(f"{IO_DIR}/in", os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(in_fd, view):]
        finally:
            os.close(in_fd)
        result = run_one(cfg, header, child_main, prepared)
        if own_limits() != limits_at_start:
            result["tampered"] = True
        stdout = read_stdout(result["stdout_bytes"])
        # One write for both frames: one wake-up of the executor per test.
        body = json.dumps(result, separators=(",", ":")).encode()
        write_all(struct.pack(">I", len(body)) + body + struct.pack(">I", len(stdout)) + stdout)
        if result.get("tampered"):
            return
        # The next test's process, forked while the executor checks this result (every process
        # of this test is gone: the kill came first). It sets itself up (files, rlimits, the slot,
        # the interpreter's stdio) before its header arrives.
        prepared = prepare(cfg, child_main, child_setup)


def main():
    make_undumpable()
    # PID 1 only receives the signals it handles; Python's SIGINT handler would be one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raw = read_frame()
    if raw is None:
        return
    cfg = json.loads(raw)
    if cfg.get("isolation"):
        global ISOLATION, IO_DIR, WORK_DIR, CHILD_ENV
        ISOLATION = cfg["isolation"]
        IO_DIR, WORK_DIR = ISOLATION["io_dir"], ISOLATION["work_dir"]
        CHILD_ENV = {**CHILD_ENV, "HOME": WORK_DIR}
        os.chdir(WORK_DIR)
        import ctypes  # loaded before any test drops privileges

        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans come back to us
    serve(cfg)


if __name__ == "__main__":
    main()
