"""``roadmap-bot ARGS`` inside the test process: the command line's own ``main`` with the
environment, folder, standard streams and logging a process of its own would have, put back
afterwards. A fresh interpreter costs a second or more per command (its imports, and a spawned
worker for each file read), and a test runs up to ten commands; the entry point and what only a
real process shows (exit status, the streams, signals) stay proven by the tests that still start
one (``process=True`` of ``tests.test_settings_and_cli.cli``, ``tests.e2e.harness.run_cli``)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from domain.reminders import calendar


def run_in_process(
    args: Sequence[str], *, env: Mapping[str, str], cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """As ``subprocess.run([python, "-m", "bot", *args], env=env, cwd=cwd, input=stdin,
    capture_output=True, text=True)``: ``env`` is the whole environment, as there."""
    from cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with _as_a_process(env, cwd, stdin, out, err):
        try:
            code = main(list(args))
        except SystemExit as leaving:  # argparse, or a command that exits
            code = _exit_status(leaving.code, err)
        except BaseException:  # the interpreter prints the traceback and exits with 1
            traceback.print_exc(file=err)
            code = 1
    return subprocess.CompletedProcess(["roadmap-bot", *args], code, out.getvalue(), err.getvalue())


async def run_in_process_async(
    args: Sequence[str], *, env: Mapping[str, str], cwd: Path
) -> tuple[int, str, str]:
    """``run_in_process`` from a test's event loop: in a thread (a command runs its own loop),
    so the stand-ins it talks to keep answering."""
    done = await asyncio.to_thread(run_in_process, args, env=env, cwd=cwd)
    return done.returncode, done.stdout, done.stderr


def _exit_status(code: object, err: io.StringIO) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=err)  # sys.exit("message"): printed, status 1
    return 1


@contextlib.contextmanager
def _as_a_process(
    env: Mapping[str, str], cwd: Path, stdin: str, out: io.StringIO, err: io.StringIO
) -> Iterator[None]:
    saved_env = dict(os.environ)
    saved_cwd = Path.cwd()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_days_off = calendar._regional_days_off  # EXTRA_HOLIDAYS: set once per process
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        # The command set logging up for itself (a handler on the streams above).
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        if calendar._regional_days_off != saved_days_off:
            calendar.set_regional_days_off(saved_days_off)
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
