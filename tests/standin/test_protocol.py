"""The stand-in answers aiogram exactly as Telegram would, errors included."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)

from standin import Fault, RateLimits, SimulatedUser, StandInServer


def make_bot(server: StandInServer, token: str | None = None) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
    return Bot(token=token or server.world.token, session=session)


@pytest.fixture
async def bot(standin: StandInServer) -> AsyncIterator[Bot]:
    bot = make_bot(standin)
    yield bot
    await bot.session.close()


async def test_get_me_and_wrong_token(standin: StandInServer, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.username == standin.world.bot_username and me.is_bot
    intruder = make_bot(standin, "999:WRONG")
    with pytest.raises(TelegramUnauthorizedError):
        await intruder.get_me()
    await intruder.session.close()


async def test_polling_delivers_user_messages_and_confirms_by_offset(
    standin: StandInServer, bot: Bot
) -> None:
    user = SimulatedUser.join(standin.world, "Мария")
    await user.send("/start abc")
    updates = await bot.get_updates(timeout=1)
    assert updates[0].message is not None and updates[0].message.text == "/start abc"
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == []


async def test_long_poll_wakes_up_when_a_user_writes(standin: StandInServer, bot: Bot) -> None:
    user = SimulatedUser.join(standin.world, "Мария")
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.2)
    await user.send("Здравствуйте")
    updates = await asyncio.wait_for(poll, 5)
    assert updates[0].message is not None and updates[0].message.text == "Здравствуйте"


async def test_second_poller_gets_409(standin: StandInServer, bot: Bot) -> None:
    other = make_bot(standin)
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(other.get_updates(timeout=1))
    with pytest.raises(TelegramConflictError):
        await first
    assert await second == []
    await other.session.close()


async def test_sending_rules(standin: StandInServer, bot: Bot) -> None:
    user = SimulatedUser.join(standin.world, "Мария")
    with pytest.raises(TelegramForbiddenError, match="can't initiate conversation"):
        await bot.send_message(user.id, "Напоминание")
    await user.send("/start")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(42, "Напоминание")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(user.id, "я" * 4097)
    assert (await bot.send_message(user.id, "я" * 4096)).text == "я" * 4096
    too_long_data = "д" * 33  # 66 bytes: Telegram counts bytes, not characters
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Отчёт", callback_data=too_long_data)]]
    )
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(user.id, "Напоминание", reply_markup=keyboard)
    user.block()
    with pytest.raises(TelegramForbiddenError, match="blocked by the user"):
        await bot.send_message(user.id, "Напоминание")


async def test_buttons_callbacks_and_edits(standin: StandInServer, bot: Bot) -> None:
    user = SimulatedUser.join(standin.world, "Мария")
    await user.send("/start")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Готово", callback_data="v1:done")]]
    )
    sent = await bot.send_message(user.id, "Отметьте выполнение", reply_markup=keyboard)
    press = asyncio.create_task(user.press("Готово"))
    updates = await bot.get_updates(timeout=2)
    query = updates[-1].callback_query
    assert query is not None and query.data == "v1:done"
    await bot.answer_callback_query(query.id, text="Сохранено")
    assert (await press)["text"] == "Сохранено"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)

    edited = await bot.edit_message_text("Выполнено", chat_id=user.id, message_id=sent.message_id)
    assert not isinstance(edited, bool) and edited.text == "Выполнено"
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Выполнено", chat_id=user.id, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=user.id, message_id=999)
    # Editing the text without a keyboard removed the keyboard, as Telegram does.
    assert "reply_markup" not in user.inbox()[-1]
    await bot.edit_message_reply_markup(
        chat_id=user.id, message_id=sent.message_id, reply_markup=keyboard
    )
    assert user.inbox()[-1]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Готово"


async def test_files_upload_and_download(standin: StandInServer, bot: Bot) -> None:
    user = SimulatedUser.join(standin.world, "Мария")
    await user.send("/start")
    content = "Отчёт о реализации".encode() * 1000
    sent = await bot.send_document(
        user.id, BufferedInputFile(content, "отчёт.xlsx"), caption="Готово"
    )
    assert sent.document is not None and sent.document.file_name == "отчёт.xlsx"
    assert standin.world.files[sent.document.file_id].content == content

    uploaded = await user.upload(b"%PDF-1.4 evidence", "протокол.pdf", "application/pdf")
    file = await bot.get_file(uploaded["document"]["file_id"])
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == b"%PDF-1.4 evidence"

    photo = await bot.send_photo(user.id, BufferedInputFile(b"\x89PNG", "chart.png"))
    assert photo.photo is not None
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("nope")


async def test_commands_per_scope_and_language(standin: StandInServer, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand(command="help", description="Помощь")])
    await bot.set_my_commands([BotCommand(command="help", description="Help")], language_code="en")
    assert standin.world.commands[("default", "en")][0]["description"] == "Help"
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])


async def test_injected_faults(standin: StandInServer, bot: Bot) -> None:
    user = SimulatedUser.join(standin.world, "Мария")
    await user.send("/start")
    standin.world.faults.inject(Fault.retry(7), method="sendMessage")
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(user.id, "1")
    assert retry.value.retry_after == 7
    standin.world.faults.inject(Fault.server_error(), method="sendMessage")
    with pytest.raises(TelegramServerError):
        await bot.send_message(user.id, "2")
    standin.world.faults.inject(Fault.drop(after=True), method="sendMessage")
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(user.id, "3")
    # "After" means it was delivered though the answer was lost: the duplicate risk is real.
    assert user.inbox()[-1]["text"] == "3"
    standin.world.faults.inject(Fault.drop(), method="sendMessage")
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(user.id, "4")
    assert user.inbox()[-1]["text"] == "3"


async def test_rate_limits_per_chat_and_global(standin: StandInServer, bot: Bot) -> None:
    standin.world.limits = RateLimits(chat_burst=3, global_burst=5, global_per_second=5)
    users = [SimulatedUser.join(standin.world, f"U{i}") for i in range(4)]
    for user in users:
        await user.send("/start")
    for _ in range(3):
        await bot.send_message(users[0].id, "burst")
    with pytest.raises(TelegramRetryAfter) as per_chat:
        await bot.send_message(users[0].id, "one too many")
    assert per_chat.value.retry_after >= 1
    await bot.send_message(users[1].id, "other chat")
    await bot.send_message(users[2].id, "other chat")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(users[3].id, "over the global limit")
