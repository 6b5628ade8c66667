"""Issue 4 (a): 10,000 reminders to 10,000 chats through the stand-in, with Telegram's limits
scaled up tenfold (300 messages/s in total, 10/s per chat). Achieved rate as a share of the
limit; every reminder delivered exactly once."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy import func, select

from bench.results import record_delivery
from bench.seeding import seed_due_reminders
from bot.clock import SystemClock
from bot.i18n import build_i18n
from handlers.report.reminders import ReminderTexts
from scheduler.outbox import ReminderOutbox
from scheduler.sender import ChatSender
from standin import RateLimits, StandInServer, World
from storage.engine import create_engine, create_session_factory
from storage.models import Reminder

CHATS = int(os.environ.get("BENCH_CHATS", "10000"))
SCALE = 10
LIMIT = 30 * SCALE  # messages per second Telegram would allow, scaled


async def run() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="roadmap-bench-send-"))
    db_url = f"sqlite+aiosqlite:///{workdir / 'send.sqlite3'}"
    world = World(limits=RateLimits(scale=SCALE))
    chats = [world.add_user(f"Директор {i}", started=True).id for i in range(CHATS)]
    await seed_due_reminders(db_url, chats, due_at=datetime.now(UTC) - timedelta(minutes=1))
    async with StandInServer(world) as standin:
        bot = Bot(
            world.token, session=AiohttpSession(api=TelegramAPIServer.from_base(standin.base_url))
        )
        engine = create_engine(db_url)
        outbox = ReminderOutbox(
            create_session_factory(engine),
            ChatSender(bot, per_second=LIMIT, per_chat_interval=1 / SCALE),
            ReminderTexts(build_i18n("ru")),
            SystemClock(),
            batch=2000,
            concurrency=64,
        )
        started = time.perf_counter()
        stats = await outbox.dispatch_due_reminders()
        elapsed = time.perf_counter() - started
        async with create_session_factory(engine)() as session:
            sent_rows = await session.scalar(
                select(func.count()).select_from(Reminder).where(Reminder.state == "sent")
            )
        await engine.dispose()
        await bot.session.close()
    delivered = [len(world.bot_messages(chat)) for chat in chats]
    rate, lost, duplicated = record_delivery(
        "reminders sent through the stand-in (x10 limits)", delivered, elapsed, LIMIT
    )
    rejected = sum(1 for entry in world.journal if entry.kind == "error" and "429" in entry.text)
    print(
        f"sending: {sum(delivered):,} reminders to {CHATS:,} chats in {elapsed:.1f} s = {rate:.0f} msg/s "
        f"= {rate / LIMIT:.2f} of the {LIMIT}/s limit (target >= 0.9)"
    )
    print(
        f"  lost: {lost}, duplicated: {duplicated}, "
        f"429s from the stand-in: {rejected}, rows marked sent: {sent_rows}, retried: {stats.retried}"
    )


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
