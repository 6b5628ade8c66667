"""Parsing a spreadsheet someone sent in a process of its own, bounded in memory and time.

openpyxl holds the interpreter lock for seconds on a large workbook: in a thread, every other
chat's answer waited behind it (another head's /help took 0.22 s while a 140,000-cell form was
checked, 1.7 s before forms were measured). In a worker process it cannot delay the bot, a
workbook that needs more than ``MEMORY_BYTES`` fails there with ``MemoryError`` instead of
bringing the OOM killer onto the bot, and one that takes longer than its timeout has its worker
killed. What is too large is refused before this by ``formats.sheet_measure``.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import resource
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import TypeVar

T = TypeVar("T")
MEMORY_BYTES = 1 << 30  # the worker's address space: a few hundred thousand cells fit
_pool: ProcessPoolExecutor | None = None
_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


class ParsingAbortedError(RuntimeError):
    """The worker ran out of time or memory, or died; the file is taken as too large."""


def _bound_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def _workers() -> ProcessPoolExecutor:
    global _pool  # one pool for the process, started at the first file
    if _pool is None:
        # One worker: the bot keeps the other core. Spawned, never forked from a process
        # with threads and an event loop.
        _pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_bound_memory,
        )
    return _pool


async def run_bounded(function: Callable[..., T], *args: object, timeout: float = 60) -> T:
    """``function(*args)`` in the worker process (both must pickle); ``ParsingAbortedError``
    when it runs out of time or memory.

    Files take turns here, not in the pool's queue: the timeout then counts only a file's own
    work, and a worker killed for one file never cancels another school's file waiting behind
    it (both seen by the outside review when the pool held the queue)."""
    async with _turn():
        pool = _workers()
        try:
            return await asyncio.wait_for(
                asyncio.get_running_loop().run_in_executor(pool, partial(function, *args)),
                timeout,
            )
        except (TimeoutError, MemoryError, BrokenProcessPool) as error:
            _discard(pool)
            raise ParsingAbortedError(type(error).__name__) from None


def _turn() -> asyncio.Semaphore:
    """One file at a time per event loop (a semaphore belongs to the loop that first uses it)."""
    loop = asyncio.get_running_loop()
    turn = _turns.get(loop)
    if turn is None:
        turn = _turns[loop] = asyncio.Semaphore(1)
    return turn


def _discard(pool: ProcessPoolExecutor) -> None:
    """Kill a worker that is stuck or broken; the next file starts a fresh one."""
    global _pool
    if _pool is pool:
        _pool = None
    # The executor has no public way to stop a running task: its processes are terminated.
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(Exception):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
