"""Kernels forked from a warm template: a sweep worker's runs skip the interpreter start and the
notebook's imports.

Every run still gets a kernel process of its own, started for it and stopped after it: nothing
one run does reaches another. What changes is how that process comes to be. A normal kernel is
a new interpreter that imports ipykernel, IPython, pandas, matplotlib and btm before the first
cell runs, about two seconds of CPU for a TCO run, more than half of what the run costs.
Here each sweep worker keeps one *template* process that has imported those modules once and
never runs any notebook code; a kernel is a ``fork()`` of it, ready at once (the modules are
shared copy-on-write). The kernel then starts exactly as ``python -m ipykernel_launcher -f
<connection file>`` would, in its own session, with the run's working folder and environment;
random generators are reseeded in it, as in a fresh interpreter.

Only on Linux, only for the ``python -m ipykernel_launcher`` kernel of this interpreter, and
only where a caller asked for it (:func:`enable`; sweep workers do). ``BTM_FORK_KERNELS=0``
turns it off; anything else falls back to the normal launch. jupyter_client documents
overriding ``KernelManager._async_launch_kernel`` for launching kernels differently; that is
the one hook used (:mod:`btm.runs`).
"""

from __future__ import annotations

import ast
import functools
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["enable", "disable", "available", "preload", "fork_kernel", "ForkedKernel",
           "notebook_imports", "BASE_MODULES"]

#: What every kernel imports before the first cell (ipykernel, IPython, the inline backend)
#: and what every btm notebook uses.
BASE_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython",
                "matplotlib_inline.backend_inline", "matplotlib.pyplot", "numpy", "pandas",
                "btm")

_INLINE = "module://matplotlib_inline.backend_inline"
_server: _Server | None = None
_lock = threading.Lock()


def available() -> bool:
    """Whether forked kernels can be used here (Linux, not turned off by BTM_FORK_KERNELS=0)."""
    return sys.platform.startswith("linux") and os.environ.get("BTM_FORK_KERNELS", "1") != "0"


def enable(modules: Iterable[str] = BASE_MODULES) -> bool:
    """Start this process's template (if not yet running) and import `modules` into it.

    Returns whether forked kernels are now in use. Failing to start is not an error: kernels
    are then launched the normal way.
    """
    global _server
    if not available():
        return False
    with _lock:
        if _server is None or not _server.alive():
            try:
                _server = _Server()
            except (OSError, ValueError):
                _server = None
                return False
    preload(modules)
    return True


def disable() -> None:
    """Stop this process's template; later kernels are launched the normal way."""
    global _server
    with _lock:
        if _server is not None:
            _server.close()
        _server = None


def preload(modules: Iterable[str]) -> list[str]:
    """Import `modules` into the template (those it already has cost nothing).

    Returns the names that could not be imported (the kernel imports them itself, as usual).
    """
    server = _server
    wanted = [m for m in dict.fromkeys(modules) if server is not None and m not in server.loaded]
    if server is None or not wanted:
        return []
    try:
        reply = server.ask({"op": "preload", "modules": wanted})
    except (OSError, ValueError):
        disable()
        return wanted
    server.loaded.update(wanted)
    return list(reply.get("failed", []))


@functools.cache
def notebook_imports(path: str) -> tuple[str, ...]:
    """The modules a notebook's code cells import at top level (``import a.b``, ``from a.b
    import c``: ``a.b``, and ``a.b.c`` where that is a module), for :func:`preload`."""
    import nbformat

    names: list[str] = []
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return ()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                           for line in cell.source.splitlines())  # magics and shell lines
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
                if node.module == "btm" or node.module.startswith("btm."):
                    names += [f"{node.module}.{a.name}" for a in node.names]
    return tuple(dict.fromkeys(names))


class ForkedKernel:
    """A Popen-like handle on a kernel forked by the template (not this process's child).

    The template reaps its children, so a kernel that has exited is simply gone; its exit code
    is not known and reads as 0. The handle holds a pidfd on the kernel (Linux 5.3+,
    :func:`os.pidfd_open`), so it keeps referring to that process even if its pid is reused
    after it exits: polling and signalling can never reach an unrelated process. Where no
    pidfd can be had, the process's start time (``/proc/<pid>/stat``) tells a reused pid apart.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None
        self._pidfd = _pidfd(pid)
        self._started = _start_time(pid) if self._pidfd is None else None

    def _gone(self) -> bool:
        if self._pidfd is not None:
            import select

            return bool(select.select([self._pidfd], [], [], 0)[0])  # readable once it exits
        try:
            os.kill(self.pid, 0)
        except (ProcessLookupError, PermissionError):  # gone (or pid reused by another user)
            return True
        return self._started is not None and _start_time(self.pid) != self._started

    def _close(self) -> None:
        fd, self._pidfd = self._pidfd, None
        if fd is not None:
            os.close(fd)

    def __del__(self) -> None:
        self._close()

    def poll(self) -> int | None:
        if self.returncode is None and self._gone():
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.05)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        import signal

        if self.poll() is None:
            try:
                if self._pidfd is not None:
                    signal.pidfd_send_signal(self._pidfd, signum)
                else:
                    os.kill(self.pid, signum)
            except ProcessLookupError:
                self.returncode = 0

    def terminate(self) -> None:
        import signal

        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)


def _pidfd(pid: int) -> int | None:
    """A pidfd on `pid`, or None where the platform or kernel has none."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (``/proc/<pid>/stat`` field 22)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def fork_kernel(kernel_cmd: Sequence[str], *, cwd: str | os.PathLike[str] | None,
                env: dict[str, str] | None, stderr: str | os.PathLike[str] | None
                ) -> ForkedKernel | None:
    """Fork a kernel for `kernel_cmd` from the template, or None when this command cannot be
    served (not this interpreter's ipykernel, no template): launch it the normal way then."""
    server = _server
    if server is None or not _forkable(kernel_cmd):
        return None
    connection_file = kernel_cmd[list(kernel_cmd).index("-f") + 1]
    extra = [a for i, a in enumerate(kernel_cmd[3:], start=3)
             if a != "-f" and kernel_cmd[i - 1] != "-f"]
    try:
        reply = server.ask({"op": "fork", "connection_file": str(connection_file),
                            "extra": extra, "cwd": str(cwd) if cwd else None,
                            "env": dict(env if env is not None else os.environ),
                            "stderr": str(stderr) if stderr else None})
    except (OSError, ValueError):
        disable()
        return None
    pid = reply.get("pid")
    return ForkedKernel(int(pid)) if isinstance(pid, int) else None


def _forkable(cmd: Sequence[str]) -> bool:
    if len(cmd) < 5 or list(cmd[1:3]) != ["-m", "ipykernel_launcher"] or "-f" not in cmd[3:]:
        return False
    try:
        return os.path.samefile(cmd[0], sys.executable)
    except OSError:
        return False


class _Server:
    """The template process, spoken to by one JSON line a request on its stdin/stdout."""

    def __init__(self) -> None:
        env = {**os.environ}
        env.setdefault("MPLBACKEND", _INLINE)  # what ipykernel sets before any import of it
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from btm.kernels import _serve; _serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, bufsize=1,
            start_new_session=True)
        self.loaded: set[str] = set()
        self.ask({"op": "ping"})

    def alive(self) -> bool:
        return self.proc.poll() is None

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise OSError("the kernel template process has stopped")
        reply = json.loads(line)
        if not isinstance(reply, dict):
            raise ValueError("bad reply")
        return reply

    def close(self) -> None:
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


# --------------------------------------------------------------------------- the template


def _serve() -> None:  # pragma: no cover - runs in the template process
    """The template's loop: import what it is asked to, fork kernels; exit when its parent
    (the worker) closes the pipe or dies."""
    import importlib
    import signal
    import warnings

    warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the system
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the worker's to handle
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    # The protocol gets a descriptor of its own; fd 1 then points at stderr, so that nothing an
    # import prints (Python or C level) can reach the worker as a reply.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        request = json.loads(line)
        op = request.get("op")
        if op == "preload":
            failed = []
            for name in request["modules"]:
                try:
                    importlib.import_module(name)
                except Exception:
                    failed.append(name)
            reply: dict[str, Any] = {"failed": failed}
        elif op == "fork":
            reply = {"pid": _fork(request, out)}
        else:
            reply = {"ok": True}
        out.write(json.dumps(reply) + "\n")
        out.flush()


def _fork(request: dict[str, Any], out: Any) -> int:  # pragma: no cover - template process
    import signal

    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        os.setsid()
        for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        if request.get("stderr"):
            log = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            os.dup2(log, 2)
        os.dup2(2, 1)
        out.close()
        env = dict(request["env"])
        env["JPY_PARENT_PID"] = str(os.getppid())
        os.environ.clear()
        os.environ.update(env)
        if request.get("cwd"):
            os.chdir(request["cwd"])
        import random

        random.seed()
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        argv = ["-f", request["connection_file"], *request.get("extra", []),
                f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = [sys.executable, *argv]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)

