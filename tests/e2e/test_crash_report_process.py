"""``kill -9`` at random moments around «Сохранить», twenty times: no report saved twice, none
lost. Half the kills fall just after the report's commit (the test watches the database for
it), before the head is told and before the conversation is ended; the others at a random
moment after the press. After each, the bot starts again; a press it never answered is
pressed again, as a head who saw no answer would.

The bot is ``roadmap-bot run`` in a real process of its own, forked from a process that has
already imported it (``tests/e2e/fork_server.py``), so that twenty restarts take seconds."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.seeding import seed_due_reminders
from handlers.common.callbacks import ReportCb
from standin import SimulatedUser, StandInServer
from tests.e2e.harness import bot_env

pytestmark = pytest.mark.process

ROUNDS = 20
ROOT = Path(__file__).resolve().parents[2]
SAVED = "сохранён и отправлен координатору"


class ForkedBot:
    """``roadmap-bot run`` processes forked on demand; one alive at a time."""

    def __init__(self, server: asyncio.subprocess.Process, standin: StandInServer) -> None:
        self._server = server
        self._standin = standin
        self.pid = 0

    async def start(self) -> None:
        world = self._standin.world
        polls = world.calls.get("getupdates", 0)
        assert self._server.stdin is not None and self._server.stdout is not None
        self._server.stdin.write(b"start\n")
        await self._server.stdin.drain()
        self.pid = int(await asyncio.wait_for(self._server.stdout.readline(), 10))
        await world.wait_until(lambda: world.calls.get("getupdates", 0) > polls, 30)

    async def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        for _ in range(500):  # gone once the kernel has reaped it (and released its locks)
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the killed bot did not go away")


def _reports(database: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(database, timeout=5)) as connection:
        return [
            text for (text,) in connection.execute("SELECT text FROM status_reports ORDER BY id")
        ]


async def _poll(condition: Callable[[], bool], seconds: float) -> None:
    """Watch the database every millisecond or so (another process writes it)."""
    for _ in range(int(seconds * 1000)):
        if condition():
            return
        await asyncio.sleep(0.001)


def _conversation(database: Path) -> str | None:
    with contextlib.closing(sqlite3.connect(database, timeout=5)) as connection:
        row = connection.execute("SELECT state FROM conversation_states").fetchone()
    return row[0] if row else None


def _confirmed(head: SimulatedUser, since: int) -> bool:
    return any(SAVED in str(m.get("text")) for m in head.inbox()[since:])


async def _new_message(head: SimulatedUser, since: int) -> None:
    await head.world.wait_until(lambda: len(head.inbox()) > since, 15)


async def test_kill_9_around_save_never_doubles_or_loses_a_report(
    standin: StandInServer, tmp_path: Path
) -> None:
    started = time.monotonic()
    # Crashes are the subject here, not pacing: no waiting out Telegram's per-chat limit.
    standin.world.limits.enabled = False
    database = tmp_path / "crash.sqlite3"
    db_url = f"sqlite+aiosqlite:///{database}"
    head = SimulatedUser.join(standin.world, "Мария", label="head")
    head.record.started = True
    await seed_due_reminders(db_url, [head.id], due_at=datetime.now(UTC) - timedelta(minutes=1))
    with contextlib.closing(sqlite3.connect(database)) as connection:
        (occurrence_id,) = connection.execute("SELECT id FROM occurrences").fetchone()
    env = {
        **bot_env(standin, db_url),
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
        "SCHEDULER__TICK_SECONDS": "0.5",
        # The bot's own pacing per chat (a second by default) made every step of a round wait
        # a second; a fifth of one still holds the confirmation back after the commit.
        "SCHEDULER__PER_CHAT_INTERVAL": "0.2",
    }
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.e2e.fork_server",
        str(tmp_path / "bot.log"),
        env=env,
        cwd=tmp_path,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert server.stdout is not None
    assert (await asyncio.wait_for(server.stdout.readline(), 60)).strip() == b"ready"
    bot = ForkedBot(server, standin)
    rng = random.Random(26)
    between = 0  # kills that fell after the commit and before the head was told
    try:
        await bot.start()
        await head.next_message(timeout=30)  # the reminder
        for round_ in range(ROUNDS):
            text = f"Этап {round_}"
            seen = len(head.inbox())
            await head.press_data(
                ReportCb(occurrence_id=occurrence_id, action="in_progress").pack()
            )
            await _new_message(head, seen)
            seen = len(head.inbox())
            await head.send(text)
            await _new_message(head, seen)
            seen = len(head.inbox())
            await head.press("Без файла и ссылки")
            await _new_message(head, seen)
            seen = len(head.inbox())
            # The summary is on the screen; its conversation is written just after it.
            await _poll(lambda: _conversation(database) == "ReportForm:confirm", 10)

            press = asyncio.create_task(head.press("Сохранить", timeout=5))
            if round_ % 2 == 0:  # just after the commit, give or take a few milliseconds
                await _poll(lambda: len(_reports(database)) > round_, 5)  # noqa: B023
                await asyncio.sleep(rng.uniform(0, 0.01))
            else:
                await asyncio.sleep(rng.uniform(0, 0.15))
            await bot.kill()
            # A press the bot had not answered will not be answered now: no waiting out its time.
            press.cancel()
            with contextlib.suppress(AssertionError, TimeoutError, asyncio.CancelledError):
                await press
            committed = len(_reports(database)) > round_
            between += committed and not _confirmed(head, seen)

            await bot.start()
            # A press left unanswered comes again: delivered again, or pressed again.
            with contextlib.suppress(TimeoutError):
                await head.world.wait_until(lambda: _confirmed(head, seen), 0.5)  # noqa: B023
            answer = None
            if not _confirmed(head, seen):
                answer = await head.press("Сохранить", timeout=15)
                with contextlib.suppress(TimeoutError):
                    await head.world.wait_until(lambda: _confirmed(head, seen), 15)  # noqa: B023
            assert _confirmed(head, seen), (
                round_,
                answer,
                [m.get("text") for m in head.inbox()[-4:]],
            )
            assert _reports(database) == [f"Этап {n}" for n in range(round_ + 1)], round_
    finally:
        with contextlib.suppress(ProcessLookupError, AssertionError):
            await bot.kill()
        if server.stdin is not None:
            server.stdin.close()
        await asyncio.wait_for(server.wait(), 10)
        await standin.api.wake_pollers()
    print(
        f"{ROUNDS} kills, {between} between a commit and its confirmation, "
        f"{time.monotonic() - started:.1f} s"
    )
    assert between >= ROUNDS // 4  # the kills did fall where a report could be doubled
