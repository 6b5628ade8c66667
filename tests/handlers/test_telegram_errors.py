"""Replies survive Telegram's 429, 5xx and dropped connections; a blocked chat does not crash."""

from __future__ import annotations

import asyncio

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from messengers.pacing import ChatPacer
from messengers.session import MessengerSession
from standin import Fault, SimulatedUser, StandInServer
from standin.limits import RateLimits
from tests.conftest import RunningBot


async def test_reply_waits_out_a_429(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")
    running_bot.world.faults.inject(Fault.retry(1), method="sendMessage", chat_id=head.id)

    reply = await head.ask("/help", timeout=10)

    assert "Команды" in reply["text"]
    assert running_bot.world.faults.injected == 1


async def test_reply_survives_server_errors_and_a_dropped_connection(
    running_bot: RunningBot,
) -> None:
    head = await running_bot.joined("Мария")
    already = len(head.inbox())
    running_bot.world.faults.inject(Fault.server_error(), method="sendMessage", times=2)
    running_bot.world.faults.inject(Fault.drop(), method="sendMessage")

    reply = await head.ask("/help", timeout=15)

    assert "Команды" in reply["text"]
    assert len(head.inbox()) == already + 1  # the drop happened before delivery: no duplicate
    assert running_bot.world.faults.injected == 3


async def test_blocked_user_does_not_break_the_bot(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")
    other = await running_bot.joined("Ольга")
    # The head writes, then blocks the bot before the reply goes out: the reply fails with
    # 403, and the bot logs it and keeps serving everyone else.
    await head.send("/help")
    head.block()
    reply = await other.ask("/help")

    assert "Команды" in reply["text"]

    def blocked_seen() -> bool:
        errors = [e.text for e in running_bot.world.journal if e.kind == "error"]
        return any("403 Forbidden: bot was blocked by the user" in text for text in errors)

    assert await running_bot.world.wait_until(blocked_seen, 5)


async def test_a_burst_of_answers_to_one_telegram_chat_keeps_within_a_message_a_second(
    standin: StandInServer,
) -> None:
    """Telegram allows about one message a second per chat (a short burst of three): the
    session paces a handler's burst so that no 429 comes back (issue 26, finding 14)."""
    standin.world.limits = RateLimits()  # Telegram's: ~1/s per chat, bursts of 3
    maria = SimulatedUser.join(standin.world, "Мария")
    maria.record.started = True
    telegram = AiohttpSession(api=TelegramAPIServer.from_base(standin.base_url))
    session = MessengerSession(telegram, None, ChatPacer(telegram_interval=1.0, max_interval=0.5))
    bot = Bot(standin.world.token, session=session)
    try:
        await asyncio.gather(*(bot.send_message(maria.id, f"Ответ {n}") for n in range(5)))
    finally:
        await bot.session.close()
    assert [e for e in standin.world.journal if e.kind == "error"] == []
    assert sorted(m["text"] for m in maria.inbox()) == [f"Ответ {n}" for n in range(5)]
