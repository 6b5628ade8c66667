"""The MAX session on its own: aiogram's calls made in MAX's API, against the MAX stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from yarl import URL

from bot.settings import MaxSection
from domain.messengers import max_address
from messengers.max.api import MaxApi
from messengers.max.session import FileHosts, MaxSession
from messengers.pacing import ChatPacer
from messengers.session import MessengerSession
from standin import Fault
from standin.max import MaxStandIn, MaxUser, as_seen
from standin.max.world import max_limits
from standin.serving import serve_locally
from storage.engine import create_reader_engine
from storage.usecases.max_messages import MaxMessageIds
from tests.support import MutableClock

NOW = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)


def max_bot(
    standin: MaxStandIn, ids: MaxMessageIds, *, upload_attempts: int = 4, file_timeout: float = 1
) -> Bot:
    api = MaxApi(standin.base_url, standin.world.token, retry_after=1)
    session = MaxSession(
        api,
        ids,
        MutableClock(NOW),
        upload_attempts=upload_attempts,
        upload_pause=0.01,
        file_timeout=file_timeout,
    )
    return Bot("1:max-only", session=MessengerSession(None, session))


@pytest.fixture
async def ids(
    session_factory: async_sessionmaker[AsyncSession], db_url: str
) -> AsyncIterator[MaxMessageIds]:
    kept = MaxMessageIds(session_factory, create_reader_engine(db_url))
    yield kept
    await kept.close()


@pytest.fixture
async def bot(max_standin: MaxStandIn, ids: MaxMessageIds) -> AsyncIterator[Bot]:
    made = max_bot(max_standin, ids)
    yield made
    await made.session.close()


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=f"v1x:{t}")] for t in labels]
    )


def started(standin: MaxStandIn, name: str = "Мария") -> MaxUser:
    user = MaxUser.join(standin.world, name)
    user.record.started = True
    return user


async def test_a_long_text_is_split_under_maxs_limit_with_the_buttons_on_the_last_part(
    bot: Bot, max_standin: MaxStandIn
) -> None:
    maria = started(max_standin)
    lines = [f"{n:04d} " + "мероприятие " * 8 for n in range(120)]  # 101 characters each

    sent = await bot.send_message(
        max_address(maria.id), "\n".join(lines), reply_markup=keyboard("Да")
    )

    parts = maria.inbox()
    assert len(parts) == 4 and all(len(p["text"]) <= 4000 for p in parts)  # 39 lines a part
    assert "\n".join(p["text"] for p in parts) == "\n".join(lines)
    assert [("reply_markup" in p) for p in parts] == [False, False, False, True]
    assert sent.message_id == parts[-1]["raw"]["body"]["seq"]
    assert sent.chat.id == max_address(maria.id)


async def test_an_edit_after_a_restart_finds_its_message_in_the_database(
    max_standin: MaxStandIn,
    session_factory: async_sessionmaker[AsyncSession],
    db_url: str,
    ids: MaxMessageIds,
) -> None:
    maria = started(max_standin)
    first = max_bot(max_standin, ids)
    sent = await first.send_message(
        max_address(maria.id), "Напоминание", reply_markup=keyboard("Выполнено")
    )
    await first.session.close()  # the process ends; its memory with it

    fresh_ids = MaxMessageIds(session_factory, create_reader_engine(db_url))
    second = max_bot(max_standin, fresh_ids)
    try:
        await second.edit_message_reply_markup(
            chat_id=max_address(maria.id), message_id=sent.message_id, reply_markup=None
        )
        with pytest.raises(TelegramBadRequest, match="not found"):
            await second.edit_message_text("x", chat_id=max_address(maria.id), message_id=12345)
    finally:
        await second.session.close()
        await fresh_ids.close()
    (message,) = maria.inbox()
    assert "reply_markup" not in message and message["text"] == "Напоминание"


async def test_maxs_errors_become_the_exceptions_the_outbox_knows(
    bot: Bot, max_standin: MaxStandIn
) -> None:
    maria = started(max_standin)
    chat = max_address(maria.id)
    faults = max_standin.world.faults
    faults.inject(Fault.retry(), method="post_message")
    with pytest.raises(TelegramRetryAfter) as flood:
        await bot.send_message(chat, "1")
    assert flood.value.retry_after == 1  # MAX says no wait: the configured one
    faults.inject(Fault.server_error(), method="post_message")
    with pytest.raises(TelegramServerError):
        await bot.send_message(chat, "2")
    faults.inject(Fault.drop(), method="post_message")
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(chat, "3")
    maria.block()
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(chat, "4")
    stranger = MaxUser.join(max_standin.world, "Никто")  # never opened the bot
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(max_address(stranger.id), "5")
    assert maria.inbox() == []


async def test_a_document_waits_until_max_has_processed_the_upload(
    bot: Bot, max_standin: MaxStandIn
) -> None:
    maria = started(max_standin)
    max_standin.world.not_ready_uploads = 2

    await bot.send_document(
        max_address(maria.id),
        BufferedInputFile(b"PK\x03\x04 report", "Отчёт.xlsx"),
        caption="Сводный отчёт",
    )

    (message,) = maria.inbox()
    assert message["document"]["file_name"] == "Отчёт.xlsx"
    assert message["caption"] == "Сводный отчёт"
    assert maria.file_content(message) == b"PK\x03\x04 report"
    assert max_standin.world.calls["post_message"] == 3  # two refused as not ready


async def test_an_upload_that_never_becomes_ready_is_an_error_not_a_lost_message(
    max_standin: MaxStandIn, ids: MaxMessageIds
) -> None:
    maria = started(max_standin)
    max_standin.world.not_ready_uploads = 100
    bot = max_bot(max_standin, ids, upload_attempts=3)
    try:
        with pytest.raises(TelegramBadRequest, match=r"attachment\.not\.ready"):
            await bot.send_photo(max_address(maria.id), BufferedInputFile(b"\x89PNG", "chart.png"))
    finally:
        await bot.session.close()
    assert maria.inbox() == []


async def test_files_people_send_are_fetched_from_their_url_within_the_limits(
    bot: Bot, max_standin: MaxStandIn
) -> None:
    maria = started(max_standin)
    sent = await maria.upload(b"%PDF-1.4 evidence", "Протокол.pdf")
    url = sent["body"]["attachments"][0]["payload"]["url"]

    file = await bot.get_file(f"max:{url}")
    assert file.file_path is not None
    content = await bot.download_file(file.file_path)
    assert content is not None and content.read() == b"%PDF-1.4 evidence"

    silent = await maria.upload(b"never", "Тишина.pdf")
    max_standin.world.unavailable_files.add(silent["body"]["attachments"][0]["payload"]["token"])
    silent_url = silent["body"]["attachments"][0]["payload"]["url"]
    started_at = asyncio.get_running_loop().time()
    with pytest.raises(TelegramBadRequest, match="could not be fetched"):
        await bot.download_file(f"max:{silent_url}")
    assert asyncio.get_running_loop().time() - started_at < 5  # MAX__FILE_TIMEOUT, not forever


async def test_a_press_is_answered_only_when_there_is_something_to_say(
    bot: Bot, max_standin: MaxStandIn
) -> None:
    maria = started(max_standin)
    await bot.send_message(max_address(maria.id), "Карточка", reply_markup=keyboard("Да"))
    pressing = asyncio.create_task(maria.press("Да"))
    await max_standin.world.wait_until(lambda: max_standin.world.callback_answers, 5)
    (callback_id,) = max_standin.world.callback_answers

    assert await bot.answer_callback_query(f"max:{callback_id}") is True  # nothing sent
    assert max_standin.world.calls.get("post_answer", 0) == 0
    await bot.answer_callback_query(f"max:{callback_id}", text="Кнопка устарела", show_alert=True)
    answer = await pressing
    assert answer["answered"] and answer["notification"] == "Кнопка устарела"


async def test_the_menu_is_one_list_for_everyone(bot: Bot, max_standin: MaxStandIn) -> None:
    from aiogram.types import BotCommand, BotCommandScopeChat

    await bot.set_my_commands([BotCommand(command="help", description="Справка")])
    await bot.set_my_commands(
        [BotCommand(command="digest", description="Сводка")],
        scope=BotCommandScopeChat(chat_id=max_address(42)),
    )
    assert max_standin.world.commands == [{"name": "help", "description": "Справка"}]
    me = await bot.get_me()
    assert me.username == max_standin.world.bot_username and me.id == max_address(900_001)


def test_views_of_max_messages_read_like_telegrams() -> None:
    raw = {
        "body": {
            "mid": "mid.1",
            "seq": 7,
            "text": "Текст",
            "attachments": [
                {
                    "type": "inline_keyboard",
                    "payload": {"buttons": [[{"type": "callback", "text": "Да", "payload": "p"}]]},
                }
            ],
        }
    }
    seen = as_seen(raw)
    assert seen["reply_markup"]["inline_keyboard"] == [[{"text": "Да", "callback_data": "p"}]]


async def test_a_stretch_of_429s_pauses_max_sending_and_loses_nothing(
    max_standin: MaxStandIn, ids: MaxMessageIds
) -> None:
    from scheduler.sender import ChatSender, Outcome

    maria = started(max_standin)
    max_standin.world.faults.inject(Fault.retry(), method="post_message", times=2)
    bot = max_bot(max_standin, ids)
    sender = ChatSender(bot, per_second=30, per_chat_interval=0)
    try:
        started_at = asyncio.get_running_loop().time()
        result = await sender.send(max_address(maria.id), "Напоминание", None)
        waited = asyncio.get_running_loop().time() - started_at
        maria.block()
        blocked = await sender.send(max_address(maria.id), "Ещё", None)
    finally:
        await bot.session.close()
    assert result.outcome is Outcome.SENT
    assert waited >= 2  # two pauses of MAX__RETRY_AFTER_SECONDS, for everyone
    assert [m["text"] for m in maria.inbox()] == ["Напоминание"]  # once
    assert blocked.outcome is Outcome.UNREACHABLE


async def test_files_are_fetched_only_from_maxs_hosts_and_never_through_a_redirect_elsewhere(
    bot: Bot, max_standin: MaxStandIn
) -> None:
    """A URL in an update is whatever the sender's client put there: the bot must not fetch
    from another host (its own network, a metadata service), nor be redirected to one."""
    hits: list[str] = []

    async def secret(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(body=b"internal")

    async def redirect(request: web.Request) -> web.Response:
        hits.append(request.path)
        port = request.url.port
        raise web.HTTPFound(f"http://localhost:{port}/secret")

    app = web.Application()
    app.router.add_get("/secret", secret)
    app.router.add_get("/redirect", redirect)
    runner, base = await serve_locally(app)  # on 127.0.0.1, the API's own (allowed) host
    port = base.rsplit(":", 1)[1]
    try:
        with pytest.raises(TelegramBadRequest, match="host not allowed"):
            await bot.download_file(f"max:http://localhost:{port}/secret")
        with pytest.raises(TelegramBadRequest, match="host not allowed"):
            await bot.download_file(f"max:{base}/redirect")
        with pytest.raises(TelegramBadRequest, match="host not allowed"):
            await bot.download_file("max:file:///etc/passwd")
    finally:
        await runner.cleanup()
    assert hits == ["/redirect"]  # the redirect was read, never followed to another host


def test_maxs_file_hosts_are_its_cdn_and_subdomains_over_https_only() -> None:
    hosts = FileHosts(MaxSection().file_host_list, "platform-api2.max.ru")
    assert hosts.allows(URL("https://i.oneme.ru/i?r=abc"))
    assert hosts.allows(URL("https://fu.okcdn.ru/file/xyz"))
    assert hosts.allows(URL("https://platform-api2.max.ru/files/1"))
    assert not hosts.allows(URL("http://i.oneme.ru/i"))  # plain http: not from MAX
    assert not hosts.allows(URL("https://oneme.ru.evil.example/i"))
    assert not hosts.allows(URL("https://evilmax.ru/i"))
    assert not hosts.allows(URL("https://169.254.169.254/latest/meta-data"))
    assert MaxSection(file_hosts="files.example.ru, max.ru").file_host_list == (
        "files.example.ru",
        "max.ru",
    )


async def test_a_burst_to_one_chat_keeps_within_maxs_two_messages_a_second(
    max_standin: MaxStandIn, ids: MaxMessageIds
) -> None:
    """Answers go back to the chat they answer as fast as handlers write them; the session
    paces them so that MAX (2 messages a second per chat) never answers 429."""
    max_standin.world.limits = max_limits()
    api = MaxApi(max_standin.base_url, max_standin.world.token, retry_after=1)
    pacer = ChatPacer(telegram_interval=1.0, max_interval=0.5)
    session = MaxSession(api, ids, MutableClock(NOW), pacer=pacer)
    bot = Bot("1:max-only", session=MessengerSession(None, session))
    maria = started(max_standin)
    started_at = asyncio.get_running_loop().time()
    try:
        await asyncio.gather(
            *(bot.send_message(max_address(maria.id), f"Ответ {n}") for n in range(6))
        )
    finally:
        await bot.session.close()
    elapsed = asyncio.get_running_loop().time() - started_at
    assert [e for e in max_standin.world.journal if e.kind == "error"] == []
    assert sorted(m["text"] for m in maria.inbox()) == [f"Ответ {n}" for n in range(6)]
    assert elapsed >= 2.4  # six messages, half a second apart
