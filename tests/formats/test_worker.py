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
