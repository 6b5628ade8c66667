"""``roadmap-bot`` processes without paying for their imports each time: aiogram alone takes
seconds to import, and an end-to-end test starts the bot, and its command line, several times.

The server (``python -m tests.e2e.preloaded``) imports every library ``roadmap-bot run`` loads,
then forgets the project's own modules, so that each child imports them afresh as a new process
does (a replica's name, host:pid, is its own). For each request read from stdin it forks a child
that runs the command line exactly as ``roadmap-bot ARGS`` does, in the request's environment
and folder, its output to the request's files; it prints ``PID`` for each child started and
``exit PID STATUS`` when one ends (STATUS as ``asyncio``'s ``returncode``: -9 for SIGKILL).

``Preloaded`` is the test's side; ``PreloadedProcess`` stands for one child as
``asyncio.subprocess.Process`` does for a process the test started itself. Tests that prove
``python -m bot`` itself starts (tests/e2e/test_join_process.py) still start it in full.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import gc
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path

PROJECT = ("bot", "cli", "messengers", "handlers", "scheduler", "storage", "formats", "domain")
ROOT = Path(__file__).resolve().parents[2]


def serve() -> int:
    # What ``run`` (and every other command) imports on its way, loaded once here.
    import alembic.command  # noqa: F401

    import bot.app  # noqa: F401
    import cli.commands
    import cli.main
    import cli.run  # noqa: F401
    import handlers.routing  # noqa: F401

    for name in [m for m in sys.modules if m.partition(".")[0] in PROJECT]:
        del sys.modules[name]
    # What is loaded stays as it is: no collection walks (and so copies) it in every child.
    gc.collect()
    gc.freeze()

    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes select() through the pipe above
    print("ready", flush=True)
    pending = b""
    while True:
        with contextlib.suppress(InterruptedError):
            readable, _, _ = select.select([0, wake_read], [], [])
        if wake_read in readable:
            os.read(wake_read, 4096)
        _reap()
        if 0 not in readable:
            continue
        chunk = os.read(0, 65536)
        if not chunk:  # the tests are done; tearing thousands of modules down takes seconds
            os._exit(0)
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                code = _child(wake_read, wake_write, **request)
                # As the interpreter ends: its exit handlers run and its streams are flushed;
                # only the teardown of every module (seconds, in pages copied from the server)
                # is skipped.
                atexit._run_exitfuncs()
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
            print(pid, flush=True)


def _reap() -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        print(f"exit {pid} {os.waitstatus_to_exitcode(status)}", flush=True)


def _child(
    wake_read: int,
    wake_write: int,
    argv: list[str],
    env: dict[str, str],
    cwd: str,
    out: str,
    err: str,
) -> int:
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.close(wake_read)
    os.close(wake_write)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd, path in ((1, out), (2, err)):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.argv = ["roadmap-bot", *argv]
    from cli.main import main

    try:
        return main(argv)
    except SystemExit as leaving:
        code = leaving.code
    except BaseException:
        traceback.print_exc()  # as the interpreter does with what nothing caught
        return 1
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)
    return 1


class Preloaded:
    """The server, started once per test process when a test first asks for it."""

    def __init__(self) -> None:
        self._server = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.preloaded"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._server.stdout is not None
        assert self._server.stdout.readline().strip() == "ready"
        self._lock = threading.Lock()
        self._changed = threading.Condition()
        self._started: list[int] = []
        self.exits: dict[int, int] = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self._server.stdout is not None
        for line in self._server.stdout:
            words = line.split()
            with self._changed:
                if words[0] == "exit":
                    self.exits[int(words[1])] = int(words[2])
                else:  # a pid the system gave before to a child that ended is another's now
                    self.exits.pop(int(words[0]), None)
                    self._started.append(int(words[0]))
                self._changed.notify_all()

    def start(
        self, argv: Sequence[str], *, env: Mapping[str, str], cwd: Path, out: Path, err: Path
    ) -> PreloadedProcess:
        request = {
            "argv": list(argv),
            "env": dict(env),
            "cwd": str(cwd),
            "out": str(out),
            "err": str(err),
        }
        assert self._server.stdin is not None
        with self._lock:
            self._server.stdin.write(json.dumps(request) + "\n")
            self._server.stdin.flush()
            with self._changed:
                assert self._changed.wait_for(lambda: self._started, 60), "no child started"
                pid = self._started.pop(0)
        return PreloadedProcess(self, pid)

    async def run(
        self, argv: Sequence[str], *, env: Mapping[str, str], cwd: Path, timeout: float = 60
    ) -> tuple[int, str, str]:
        """``roadmap-bot ARGS`` to its end: its exit status, standard output and error."""
        folder = cwd / ".preloaded"
        folder.mkdir(exist_ok=True)
        stamp = time.monotonic_ns()
        out, err = folder / f"{stamp}.out", folder / f"{stamp}.err"
        process = self.start(argv, env=env, cwd=cwd, out=out, err=err)
        code = await asyncio.wait_for(process.wait(), timeout)
        return code, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")

    def close(self) -> None:
        assert self._server.stdin is not None
        self._server.stdin.close()
        try:
            self._server.wait(10)
        except subprocess.TimeoutExpired:
            self._server.kill()
            self._server.wait()


class PreloadedProcess:
    """A child of the server, as ``asyncio.subprocess.Process`` is a child of the test."""

    def __init__(self, server: Preloaded, pid: int) -> None:
        self._server = server
        self.pid = pid

    @property
    def returncode(self) -> int | None:
        return self._server.exits.get(self.pid)

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    async def wait(self) -> int:
        while (code := self.returncode) is None:  # noqa: ASYNC110 - a thread sees the exit
            await asyncio.sleep(0.02)
        return code


if __name__ == "__main__":
    sys.exit(serve())
