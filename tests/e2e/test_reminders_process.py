"""Reminders sent by the real bot process over HTTP: the right people, faults, SIGKILL."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bench.seeding import seed_due_reminders
from standin import FaultPlan, StandInServer
from storage.engine import create_engine, create_session_factory
from storage.models import Reminder
from tests.e2e.harness import BotProcess, bot_env


def fast_env(standin: StandInServer, db_url: str, **extra: str) -> dict[str, str]:
    return {
        **bot_env(standin, db_url),
        "SCHEDULER__TICK_SECONDS": "0.5",
        "SCHEDULER__PLAN_MINUTES": "60",
        "SCHEDULER__PER_SECOND": "400",
        "SCHEDULER__PER_CHAT_INTERVAL": "0",
        "SCHEDULER__LEASE_SECONDS": "3",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def started_users(standin: StandInServer, count: int) -> list[int]:
    return [standin.world.add_user(f"Директор {i}", started=True).id for i in range(count)]


def received(standin: StandInServer, chats: list[int]) -> dict[int, int]:
    return {chat: len(standin.world.bot_messages(chat)) for chat in chats}


async def reminder_states(db_url: str) -> dict[str, int]:
    """States of the seeded reminders (the planner adds future overdue ones beside them)."""
    engine = create_engine(db_url)
    try:
        async with create_session_factory(engine)() as session:
            rows = await session.execute(
                select(Reminder.state, func.count())
                .where(Reminder.kind == "due")
                .group_by(Reminder.state)
            )
            return dict(rows.all())
    finally:
        await engine.dispose()


async def run_until(bot: BotProcess, standin: StandInServer, done: object, timeout: float) -> None:
    await bot.start(standin)
    try:
        await standin.world.wait_until(done, timeout)  # type: ignore[arg-type]
    finally:
        await standin.api.wake_pollers()
        await bot.stop()


async def test_many_schools_only_those_who_have_not_reported(
    standin: StandInServer, tmp_path: Path
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"
    chats = started_users(standin, 120)
    reported = set(chats[::3])
    await seed_due_reminders(
        db_url, chats, due_at=datetime.now(UTC) - timedelta(minutes=1), reported=reported
    )
    expected = {chat: 0 if chat in reported else 1 for chat in chats}

    bot = BotProcess(fast_env(standin, db_url), tmp_path, tmp_path / "bot.log")
    await run_until(bot, standin, lambda: sum(received(standin, chats).values()) >= 80, 60)
    await asyncio.sleep(1)  # nothing more should arrive

    assert received(standin, chats) == expected
    states = await reminder_states(db_url)
    assert states == {"sent": 80, "cancelled": 40}


async def test_every_reminder_arrives_despite_ten_percent_failures(
    standin: StandInServer, tmp_path: Path
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"
    standin.world.faults = FaultPlan(random_rate=0.10, seed=7)
    chats = started_users(standin, 300)
    await seed_due_reminders(db_url, chats, due_at=datetime.now(UTC) - timedelta(minutes=1))

    bot = BotProcess(fast_env(standin, db_url), tmp_path, tmp_path / "bot.log")
    await run_until(
        bot, standin, lambda: all(n >= 1 for n in received(standin, chats).values()), 120
    )

    counts = received(standin, chats)
    dropped_after_delivery = sum(
        1 for e in standin.world.journal if e.kind == "error" and e.text == "drop_after"
    )
    assert all(n >= 1 for n in counts.values()), "a reminder was lost"
    assert sum(counts.values()) - len(chats) <= dropped_after_delivery  # duplicates only there
    assert standin.world.faults.injected >= 20
    assert (await reminder_states(db_url)).get("sent") == 300


async def test_sigkill_mid_sending_loses_nothing(standin: StandInServer, tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"
    chats = started_users(standin, 1000)
    await seed_due_reminders(db_url, chats, due_at=datetime.now(UTC) - timedelta(minutes=1))
    env = fast_env(standin, db_url, SCHEDULER__PER_SECOND="150")
    bot = BotProcess(env, tmp_path, tmp_path / "bot.log")

    await bot.start(standin)
    await standin.world.wait_until(lambda: sum(received(standin, chats).values()) >= 300, 60)
    await bot.stop(signal.SIGKILL)
    delivered_before = {c for c, n in received(standin, chats).items() if n}
    states = await reminder_states(db_url)
    # In flight: delivered, but the process died before writing it down.
    in_flight = len(delivered_before) - states.get("sent", 0)
    assert 0 < len(delivered_before) < 1000

    await run_until(
        bot, standin, lambda: all(n >= 1 for n in received(standin, chats).values()), 90
    )

    counts = received(standin, chats)
    duplicates = sum(counts.values()) - len(chats)
    assert all(n >= 1 for n in counts.values()), "a reminder was lost"
    assert duplicates <= in_flight
    assert (await reminder_states(db_url)) == {"sent": 1000}
