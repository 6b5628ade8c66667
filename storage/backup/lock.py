"""The lock a running bot holds on its data, so that ``roadmap-bot restore`` cannot replace
the database under it.

Every running bot holds the lock shared (replicas on one machine may share a data folder);
a restore needs it alone. ``flock`` locks go with the process: a bot that crashed holds
nothing, so a stale file never blocks a restore.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from storage.private_files import private_dir

LOCK_FILE = "roadmap-bot.lock"


class BotRunningError(RuntimeError):
    """The data is in use by a running bot (its process id, when it wrote one)."""

    def __init__(self, pid: str) -> None:
        super().__init__(pid)
        self.pid = pid


@contextlib.contextmanager
def bot_running(folder: Path) -> Iterator[None]:
    """Held for as long as the bot runs on the data in ``folder``."""
    with _locked(folder, fcntl.LOCK_SH) as descriptor:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield


@contextlib.contextmanager
def no_bot_running(folder: Path) -> Iterator[None]:
    """Held while the data is replaced; ``BotRunningError`` when a bot runs on it."""
    locked = _locked(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        locked.__enter__()
    except BlockingIOError:
        pid = (folder / LOCK_FILE).read_text(encoding="ascii", errors="replace").strip()
        raise BotRunningError(pid) from None
    with contextlib.ExitStack() as held:
        held.push(locked)
        yield


@contextlib.contextmanager
def _locked(folder: Path, how: int) -> Iterator[int]:
    private_dir(folder)
    descriptor = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, how)
    except BaseException:
        os.close(descriptor)
        raise
    try:
        yield descriptor
    finally:
        os.close(descriptor)  # closing the file releases its lock
