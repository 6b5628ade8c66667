"""The stand-in's webhook: setWebhook as Telegram checks it, delivery with the secret header,
retries until a 2xx, each chat's updates in order, and getUpdates refused meanwhile."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramConflictError
from aiohttp import web

from standin import SimulatedUser, StandInServer
from standin.webhook import SECRET_HEADER
from tests.standin.test_protocol import make_bot


class Receiver:
    """A webhook endpoint that fails the first ``failures`` requests, then records updates."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[dict[str, Any]] = []
        self.secrets: list[str | None] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        self.secrets.append(request.headers.get(SECRET_HEADER))
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=500)
        self.received.append(await request.json())
        return web.Response(status=200)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/hook"

    async def stop(self) -> None:
        assert self._runner is not None
        await self._runner.cleanup()


@pytest.fixture
async def bot(standin: StandInServer) -> AsyncIterator[Bot]:
    bot = make_bot(standin)
    yield bot
    await bot.session.close()


async def test_updates_arrive_with_the_secret_and_polling_is_refused(
    standin: StandInServer, bot: Bot
) -> None:
    receiver = Receiver()
    await receiver.start()
    try:
        assert await bot.set_webhook(receiver.url, secret_token="s3cret_token-1")
        info = await bot.get_webhook_info()
        assert info.url == receiver.url
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()
        user = SimulatedUser.join(standin.world, "Мария")
        await user.send("/start")
        await standin.world.wait_until(lambda: len(receiver.received) == 1, 5)
        assert receiver.received[0]["message"]["text"] == "/start"
        assert receiver.secrets == ["s3cret_token-1"]
        assert (await bot.get_webhook_info()).pending_update_count == 0

        assert await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == []  # polling works again
    finally:
        await receiver.stop()


async def test_a_failing_webhook_gets_the_update_again_and_order_per_chat_is_kept(
    standin: StandInServer, bot: Bot
) -> None:
    receiver = Receiver(failures=2)
    await receiver.start()
    try:
        await bot.set_webhook(receiver.url, secret_token="abc")
        user = SimulatedUser.join(standin.world, "Пётр")
        for text in ("первое", "второе", "третье"):
            await user.send(text)
        await standin.world.wait_until(lambda: len(receiver.received) == 3, 10)
        assert [u["message"]["text"] for u in receiver.received] == ["первое", "второе", "третье"]
        assert len(receiver.secrets) == 5  # two refusals, then three deliveries
        info = await bot.get_webhook_info()
        assert info.last_error_message is not None and "500" in info.last_error_message
    finally:
        await receiver.stop()


async def test_set_webhook_refuses_a_bad_secret_or_url(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="unallowed characters"):
        await bot.set_webhook("https://bot.example.ru/hook", secret_token="пароль с пробелом")
    with pytest.raises(TelegramBadRequest, match="HTTPS URL must be provided"):
        await bot.set_webhook("ftp://bot.example.ru/hook")


async def test_updates_wait_while_the_webhook_is_unreachable(
    standin: StandInServer, bot: Bot
) -> None:
    await bot.set_webhook("http://127.0.0.1:9/nothing-listens-here", secret_token="abc")
    user = SimulatedUser.join(standin.world, "Анна")
    await user.send("привет")
    await asyncio.sleep(0.5)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1  # not lost: delivered once a webhook answers
    assert info.last_error_message is not None
