"""A batch that takes longer than the lease (a slow pace, a 429 pause) keeps its claim: another
replica's outbox must not take the rest of it over and send it twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.seeding import seed_due_reminders
from bot.clock import SystemClock
from bot.i18n import build_i18n
from handlers.report.reminders import ReminderTexts
from scheduler.outbox import ReminderOutbox
from scheduler.sender import ChatSender
from standin import StandInServer
from storage.engine import create_session_factory

CHATS = 30
LEASE = timedelta(seconds=0.6)


@pytest.fixture
async def bots(standin: StandInServer) -> AsyncIterator[list[Bot]]:
    bots = [
        Bot(
            standin.world.token,
            session=AiohttpSession(api=TelegramAPIServer.from_base(standin.base_url)),
        )
        for _ in range(2)
    ]
    yield bots
    for bot in bots:
        await bot.session.close()


async def test_a_slow_batch_is_not_taken_over_by_another_replica(
    standin: StandInServer, engine: AsyncEngine, db_url: str, bots: list[Bot]
) -> None:
    chats = [standin.world.add_user(f"Директор {n}", started=True).id for n in range(CHATS)]
    await seed_due_reminders(db_url, chats, due_at=datetime.now(UTC) - timedelta(minutes=1))
    texts = ReminderTexts(build_i18n("ru"))

    def replica(bot: Bot) -> ReminderOutbox:
        # 20 messages/s: the 30-reminder batch takes 1.5 s, well past the 0.6 s lease.
        sender = ChatSender(bot, per_second=20, per_chat_interval=0)
        return ReminderOutbox(
            create_session_factory(engine), sender, texts, SystemClock(), batch=CHATS, lease=LEASE
        )

    first, second = replica(bots[0]), replica(bots[1])
    sending = asyncio.create_task(first.dispatch_due_reminders())
    await asyncio.sleep(0.3)
    for _ in range(4):  # the other replica's ticks while the first is still sending
        await asyncio.sleep(LEASE.total_seconds() / 2)
        assert (await second.dispatch_due_reminders()).sent == 0
    assert (await sending).sent == CHATS
    assert [len(standin.world.bot_messages(chat)) for chat in chats] == [1] * CHATS


async def test_a_stopping_replica_hands_its_unsent_batch_back_at_once(
    standin: StandInServer, engine: AsyncEngine, db_url: str, bots: list[Bot]
) -> None:
    """Told to stop mid-batch (a deploy), a replica sends nothing more, writes down what it
    sent, and hands the rest back as pending: the other replica sends those at once, each
    exactly once, instead of the whole batch having to finish inside the drain."""
    chats = [standin.world.add_user(f"Директор {n}", started=True).id for n in range(CHATS)]
    await seed_due_reminders(db_url, chats, due_at=datetime.now(UTC) - timedelta(minutes=1))
    texts = ReminderTexts(build_i18n("ru"))

    def replica(bot: Bot, per_second: float) -> ReminderOutbox:
        sender = ChatSender(bot, per_second=per_second, per_chat_interval=0)
        return ReminderOutbox(
            create_session_factory(engine),
            sender,
            texts,
            SystemClock(),
            batch=CHATS,
            lease=timedelta(minutes=5),  # longer than the test: only a hand-back frees them
        )

    stopping, other = replica(bots[0], 10), replica(bots[1], 100)  # 30 take the first 3 s
    sending = asyncio.create_task(stopping.dispatch_due_reminders())
    await standin.world.wait_until(
        lambda: sum(len(standin.world.bot_messages(c)) for c in chats) >= 5, 10
    )
    await stopping.drain(timeout=2)  # well under the 3 s the whole batch would need
    first = await sending
    assert 0 < first.sent < CHATS
    second = await other.dispatch_due_reminders()
    assert first.sent + second.sent == CHATS
    assert [len(standin.world.bot_messages(chat)) for chat in chats] == [1] * CHATS
