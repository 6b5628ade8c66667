"""Issue 14: 10,000 reminders to 10,000 MAX dialogs through the MAX stand-in, with MAX's limits
scaled up tenfold (300 requests/s per bot, 20 messages/s per chat), through the same outbox and
the MAX session the bot uses. Achieved rate as a share of the limit; every reminder delivered
exactly once."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiogram import Bot
from sqlalchemy import func, select

from bench.results import record_delivery
from bench.seeding import seed_due_reminders
from bot.clock import SystemClock
from bot.i18n import build_i18n
from domain.messengers import max_address
from handlers.report.reminders import ReminderTexts
from messengers.max.api import MaxApi
from messengers.max.session import MaxSession
from messengers.session import MessengerSession
from scheduler.outbox import ReminderOutbox
from scheduler.sender import ChatSender
from standin.max import MaxStandIn, MaxWorld, max_limits
from storage.engine import create_engine, create_reader_engine, create_session_factory
from storage.models import Reminder
from storage.usecases.max_messages import MaxMessageIds

CHATS = int(os.environ.get("BENCH_CHATS", "10000"))
SCALE = 10
LIMIT = 30 * SCALE  # requests per second MAX would allow a bot, scaled
PER_CHAT = 2 * SCALE


async def run() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="roadmap-bench-max-"))
    db_url = f"sqlite+aiosqlite:///{workdir / 'send.sqlite3'}"
    world = MaxWorld(limits=max_limits(scale=SCALE))
    users = [world.add_user(f"Директор {i}") for i in range(CHATS)]
    for user in users:
        user.started = True
    chats = [max_address(user.user_id) for user in users]
    await seed_due_reminders(db_url, chats, due_at=datetime.now(UTC) - timedelta(minutes=1))
    async with MaxStandIn(world) as standin:
        engine = create_engine(db_url)
        sessions = create_session_factory(engine)
        ids = MaxMessageIds(sessions, create_reader_engine(db_url))
        session = MaxSession(MaxApi(standin.base_url, world.token), ids, SystemClock())
        bot = Bot("1:max-only", session=MessengerSession(None, session))
        outbox = ReminderOutbox(
            sessions,
            ChatSender(bot, per_second=LIMIT, per_chat_interval=1 / PER_CHAT),
            ReminderTexts(build_i18n("ru")),
            SystemClock(),
            batch=2000,
            concurrency=64,
        )
        started = time.perf_counter()
        stats = await outbox.dispatch_due_reminders()
        elapsed = time.perf_counter() - started
        await bot.session.close()
        await ids.close()
        async with sessions() as db:
            sent_rows = await db.scalar(
                select(func.count()).select_from(Reminder).where(Reminder.state == "sent")
            )
        await engine.dispose()
    delivered = [len(world.bot_messages(user.user_id)) for user in users]
    rate, lost, duplicated = record_delivery(
        "reminders sent through the MAX stand-in (x10 limits)",
        delivered,
        elapsed,
        LIMIT,
        prefix="MAX ",
    )
    refused = sum(1 for entry in world.journal if entry.kind == "error")
    print(
        f"MAX sending: {sum(delivered):,} reminders to {CHATS:,} dialogs in {elapsed:.1f} s = "
        f"{rate:.0f} msg/s = {rate / LIMIT:.2f} of the {LIMIT}/s limit (target >= 0.9)"
    )
    print(
        f"  lost: {lost}, duplicated: {duplicated}, refused by the stand-in (429): {refused}, "
        f"rows marked sent: {sent_rows}, retried: {stats.retried}"
    )


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
