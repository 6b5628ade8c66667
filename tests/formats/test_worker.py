"""The worker process that opens a spreadsheet: its answer comes back, and what runs out of
memory or time is stopped there (the worker is replaced), never in the bot's process."""

from __future__ import annotations

import time

import pytest

from formats.worker import MEMORY_BYTES, ParsingAbortedError, run_bounded


def add(a: int, b: int) -> int:
    return a + b


def hog() -> int:
    return len(bytearray(2 * MEMORY_BYTES))


def stall() -> None:
    time.sleep(30)


async def test_a_task_runs_in_the_worker_and_what_overruns_is_stopped() -> None:
    assert await run_bounded(add, 2, 3) == 5
    with pytest.raises(ParsingAbortedError):
        await run_bounded(hog)
    started = time.perf_counter()
    with pytest.raises(ParsingAbortedError):
        await run_bounded(stall, timeout=1)
    assert time.perf_counter() - started < 5
    assert await run_bounded(add, 1, 1) == 2  # a fresh worker after a stopped one


def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


async def test_a_file_stopped_for_overrunning_leaves_the_next_one_to_run_in_full() -> None:
    """One school's file that overruns is stopped; another school's file sent just after it
    waits its turn, then gets its whole time, and is neither cancelled nor timed out."""
    import asyncio

    stuck = asyncio.ensure_future(run_bounded(stall, timeout=1.5))
    await asyncio.sleep(0.1)
    waiting = asyncio.ensure_future(run_bounded(nap, 1.0, timeout=15))
    with pytest.raises(ParsingAbortedError):
        await stuck
    assert await waiting == 1.0
