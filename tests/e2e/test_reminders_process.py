"""Reminders sent by the real bot process over HTTP: the right people, faults, SIGKILL; in
Telegram and in MAX (a MAX-only process), against each messenger's stand-in."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.seeding import seed_due_reminders
from domain.messengers import max_address, native_id
from standin import FaultPlan, StandInServer, World
from standin.max import MaxStandIn, MaxWorld
from standin.world import Happenings
from storage.engine import create_engine, create_session_factory
from storage.models import Reminder
from tests.e2e.harness import BotProcess, base_env, bot_env, max_env
from tests.e2e.preloaded import Preloaded


@dataclass
class Messenger:
    """One messenger's stand-in as these tests need it: people, what they got, an env."""

    name: str
    world: Happenings
    add_started: Callable[[int], list[int]]  # n people who opened the bot; their chat addresses
    received: Callable[[list[int]], dict[int, int]]  # messages per chat address
    env: Callable[[str], dict[str, str]]
    start: Callable[[BotProcess], object]
    wake: Callable[[], object]


@pytest.fixture(params=["telegram", "max"])
async def messenger(request: pytest.FixtureRequest) -> AsyncIterator[Messenger]:
    if request.param == "telegram":
        async with StandInServer(World()) as standin:
            world = standin.world
            yield Messenger(
                "telegram",
                world,
                lambda n: started_users(standin, n),
                lambda chats: received(standin, chats),
                lambda db_url: bot_env(standin, db_url),
                lambda bot: bot.start(standin),
                standin.api.wake_pollers,
            )
        return
    async with MaxStandIn(MaxWorld()) as max_standin:
        max_world = max_standin.world

        def add_started(n: int) -> list[int]:
            users = [max_world.add_user(f"Директор {i}") for i in range(n)]
            for user in users:
                user.started = True
            return [max_address(user.user_id) for user in users]

        def env(db_url: str) -> dict[str, str]:
            return {**base_env(db_url), **max_env(max_standin)}  # MAX alone: no BOT__TOKEN

        yield Messenger(
            "max",
            max_world,
            add_started,
            lambda chats: {c: len(max_world.bot_messages(native_id(c))) for c in chats},
            env,
            lambda bot: bot.start(None, max_standin=max_standin),
            max_standin.wake_pollers,
        )


def started_users(standin: StandInServer, count: int) -> list[int]:
    return [standin.world.add_user(f"Директор {i}", started=True).id for i in range(count)]


def received(standin: StandInServer, chats: list[int]) -> dict[int, int]:
    return {chat: len(standin.world.bot_messages(chat)) for chat in chats}


def fast_env(standin: StandInServer, db_url: str, **extra: str) -> dict[str, str]:
    """Telegram's stand-in, sending as fast as it can (the replica tests use it)."""
    return {**messenger_env(bot_env(standin, db_url)), **extra}


def messenger_env(env: dict[str, str], per_second: str = "400") -> dict[str, str]:
    return {
        **env,
        "SCHEDULER__TICK_SECONDS": "0.5",
        "SCHEDULER__PLAN_MINUTES": "60",
        "SCHEDULER__PER_SECOND": per_second,
        "SCHEDULER__PER_CHAT_INTERVAL": "0",
        "MAX__PER_SECOND": per_second,
        "MAX__PER_CHAT_INTERVAL": "0",
        "SCHEDULER__LEASE_SECONDS": "3",
        "LOG_LEVEL": "WARNING",
    }


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


async def run_until(bot: BotProcess, messenger: Messenger, done: object, timeout: float) -> None:
    await messenger.start(bot)  # type: ignore[misc]
    try:
        await messenger.world.wait_until(done, timeout)  # type: ignore[arg-type]
    finally:
        await messenger.wake()  # type: ignore[misc]
        await bot.stop()


async def test_many_schools_only_those_who_have_not_reported(
    messenger: Messenger, tmp_path: Path, preloaded: Preloaded
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"
    chats = messenger.add_started(120)
    reported = set(chats[::3])
    await seed_due_reminders(
        db_url, chats, due_at=datetime.now(UTC) - timedelta(minutes=1), reported=reported
    )
    expected = {chat: 0 if chat in reported else 1 for chat in chats}

    bot = BotProcess(
        messenger_env(messenger.env(db_url)), tmp_path, tmp_path / "bot.log", preloaded
    )
    await run_until(bot, messenger, lambda: sum(messenger.received(chats).values()) >= 80, 60)
    await asyncio.sleep(1)  # nothing more should arrive

    assert messenger.received(chats) == expected
    states = await reminder_states(db_url)
    assert states == {"sent": 80, "cancelled": 40}


async def test_every_reminder_arrives_despite_ten_percent_failures(
    messenger: Messenger, tmp_path: Path, preloaded: Preloaded
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"
    messenger.world.faults = FaultPlan(random_rate=0.10, seed=7)
    chats = messenger.add_started(300)
    await seed_due_reminders(db_url, chats, due_at=datetime.now(UTC) - timedelta(minutes=1))

    bot = BotProcess(
        messenger_env(messenger.env(db_url)), tmp_path, tmp_path / "bot.log", preloaded
    )
    await run_until(
        bot, messenger, lambda: all(n >= 1 for n in messenger.received(chats).values()), 120
    )

    counts = messenger.received(chats)
    dropped_after_delivery = sum(
        1 for e in messenger.world.journal if e.kind == "error" and e.text == "drop_after"
    )
    assert all(n >= 1 for n in counts.values()), "a reminder was lost"
    assert sum(counts.values()) - len(chats) <= dropped_after_delivery  # duplicates only there
    assert messenger.world.faults.injected >= 20
    assert (await reminder_states(db_url)).get("sent") == 300


async def test_sigkill_mid_sending_loses_nothing(
    messenger: Messenger, tmp_path: Path, preloaded: Preloaded
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"
    chats = messenger.add_started(1000)
    await seed_due_reminders(db_url, chats, due_at=datetime.now(UTC) - timedelta(minutes=1))
    bot = BotProcess(
        messenger_env(messenger.env(db_url), "150"), tmp_path, tmp_path / "bot.log", preloaded
    )

    await messenger.start(bot)  # type: ignore[misc]
    await messenger.world.wait_until(lambda: sum(messenger.received(chats).values()) >= 300, 60)
    await bot.stop(signal.SIGKILL)
    delivered_before = {c for c, n in messenger.received(chats).items() if n}
    states = await reminder_states(db_url)
    # In flight: delivered, but the process died before writing it down.
    in_flight = len(delivered_before) - states.get("sent", 0)
    assert 0 < len(delivered_before) < 1000

    await run_until(
        bot, messenger, lambda: all(n >= 1 for n in messenger.received(chats).values()), 90
    )

    counts = messenger.received(chats)
    duplicates = sum(counts.values()) - len(chats)
    assert all(n >= 1 for n in counts.values()), "a reminder was lost"
    assert duplicates <= in_flight
    assert (await reminder_states(db_url)) == {"sent": 1000}
