"""Issue 5: report conversations per second through the full handler stack (real Dispatcher,
middlewares, FSM, SQLite file database), against bare aiogram dispatch to a handler that does
nothing, in the same run. Telegram is replaced by a session that answers every request at once,
so only our side is measured."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import AsyncGenerator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.types import CallbackQuery, Chat, Message, Update, User
from sqlalchemy import select

from bench.results import record
from bench.seeding import seed_due_reminders
from bot.dispatcher import build_dispatcher
from bot.i18n import build_i18n
from bot.settings import BotSection, DbSection, Settings
from storage.engine import create_engine, create_session_factory
from storage.models import Assignment, Occurrence, Person, StatusReport

CONVERSATIONS = int(__import__("os").environ.get("BENCH_CONVERSATIONS", "400"))
BARE_UPDATES = 5000
NOW = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)


class InstantSession(BaseSession):
    """Answers every Bot API call at once with a plausible result (a benchmark's Telegram)."""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        returning = method.__returning__
        if returning is Message or getattr(returning, "__name__", "") == "Message":
            return Message(
                message_id=1,
                date=NOW,
                chat=Chat(id=getattr(method, "chat_id", 1), type="private"),
                text="ok",
            )
        if returning is User:
            return User(id=1, is_bot=True, first_name="bot", username="bench_bot")
        return True

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""  # no downloads happen in this benchmark

    async def close(self) -> None:
        return None


class FixedClock:
    def now(self) -> datetime:
        return NOW


def _user(user_id: int) -> User:
    return User(id=user_id, is_bot=False, first_name="Мария", language_code="ru")


def _message(update_id: int, user_id: int, text: str) -> Update:
    return Update(
        update_id=update_id,
        message=Message(
            message_id=update_id,
            date=NOW,
            chat=Chat(id=user_id, type="private"),
            from_user=_user(user_id),
            text=text,
        ),
    )


def _press(update_id: int, user_id: int, data: str) -> Update:
    message = Message(message_id=1, date=NOW, chat=Chat(id=user_id, type="private"), text="…")
    return Update(
        update_id=update_id,
        callback_query=CallbackQuery(
            id=str(update_id),
            from_user=_user(user_id),
            chat_instance="1",
            message=message,
            data=data,
        ),
    )


async def bare_updates_per_second(bot: Bot) -> float:
    dispatcher = Dispatcher()
    router = Router()

    @router.message()
    async def nothing(message: Message) -> None:
        return None

    dispatcher.include_router(router)
    updates = [_message(n, 1000 + n % 50, "привет") for n in range(BARE_UPDATES)]
    started = time.perf_counter()
    for update in updates:
        await dispatcher.feed_update(bot, update)
    return BARE_UPDATES / (time.perf_counter() - started)


async def conversations_per_second(bot: Bot, workdir: Path) -> tuple[float, int]:
    db_url = f"sqlite+aiosqlite:///{workdir / 'reports.sqlite3'}"
    chats = list(range(50_000, 50_000 + CONVERSATIONS))
    await seed_due_reminders(db_url, chats, due_at=NOW - timedelta(minutes=1))
    engine = create_engine(db_url)
    factory = create_session_factory(engine)
    async with factory() as session:
        occurrence_of = dict(
            (
                await session.execute(
                    select(Person.chat_address, Occurrence.id)
                    .join(Assignment, Assignment.organisation_id == Person.organisation_id)
                    .join(Occurrence, Occurrence.assignment_id == Assignment.id)
                )
            ).all()
        )
    settings = Settings(
        bot=BotSection(token="1:x"),
        db=DbSection(url=db_url),
        evidence_dir=str(workdir / "evidence"),
        _env_file=None,
    )
    dispatcher = build_dispatcher(
        settings=settings, session_factory=factory, i18n=build_i18n("ru"), clock=FixedClock()
    )
    update_id = 0

    def next_id() -> int:
        nonlocal update_id
        update_id += 1
        return update_id

    async def converse(chat: int) -> None:
        occurrence = occurrence_of[chat]
        for update in (
            _press(next_id(), chat, f"v1rep:{occurrence}:done"),
            _message(next_id(), chat, "Дорожная карта направлена в УО"),
            _press(next_id(), chat, "v1rs:skip_evidence"),
            _press(next_id(), chat, "v1rs:save"),
        ):
            await dispatcher.feed_update(bot, update)

    started = time.perf_counter()
    for chat in chats:
        await converse(chat)
    elapsed = time.perf_counter() - started
    async with factory() as session:
        saved = len(list(await session.scalars(select(StatusReport.id))))
    await engine.dispose()
    return CONVERSATIONS / elapsed, saved


async def run() -> None:
    bot = Bot("1:x", session=InstantSession())
    workdir = Path(tempfile.mkdtemp(prefix="roadmap-bench-reports-"))
    bare = await bare_updates_per_second(bot)
    conversations, saved = await conversations_per_second(bot, workdir)
    print(f"bare aiogram dispatch, a handler that does nothing: {bare:,.0f} updates/s")
    print(
        f"report conversations (4 updates each: status, text, no evidence, save), SQLite file: "
        f"{conversations:,.0f} conversations/s = {conversations * 4:,.0f} updates/s; {saved} reports saved"
    )
    record(
        "report conversations, updates through the full stack",
        conversations * 4,
        "updates/s",
        baseline=bare,
        target=">= 0.25",
    )
    print(
        f"share of bare dispatch: {conversations * 4 / bare:.2f} by updates, {conversations / bare:.3f} "
        f"by whole conversations (target >= 0.25)"
    )


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
