"""One aiogram session for both messengers: each call goes where its chat is.

The bot every handler and job holds is one ``Bot`` over this session. A call names its chat
(``chat_id``), its button press (``callback_query_id``) or its file (``file_id``), and the
address says the messenger (``domain.messengers``). Calls about no chat (the bot's own name,
its default menu) go to Telegram if it is configured, else to MAX; the default menu goes to
both.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import DeleteMyCommands, SendChatAction, SetMyCommands, TelegramMethod
from aiogram.types import BotCommandScopeChat

from domain.messengers import Messenger, messenger_of
from messengers.max.convert import CALLBACK_PREFIX, FILE_PREFIX
from messengers.max.session import MaxSession
from messengers.pacing import ChatPacer


@dataclass(frozen=True)
class TwoMessengerServer(TelegramAPIServer):
    """Telegram's URLs, except that a MAX file's path is already its URL."""

    def file_url(self, token: str, path: str | Path) -> str:
        if str(path).startswith(FILE_PREFIX):
            return str(path)
        return super().file_url(token, path)


class MessengerSession(BaseSession):
    def __init__(
        self,
        telegram: AiohttpSession | None,
        max_session: MaxSession | None,
        pacer: ChatPacer | None = None,
    ) -> None:
        """``pacer``: Telegram's per-chat limit for messages sent there (MAX's session paces
        its own, as one call may be several messages there)."""
        api = telegram.api if telegram is not None else PRODUCTION
        super().__init__(api=TwoMessengerServer(base=api.base, file=api.file))
        if telegram is None and max_session is None:
            raise ValueError("at least one messenger is needed")
        self.telegram = telegram
        self.max = max_session
        self._pacer = pacer or ChatPacer(0, 0)

    async def close(self) -> None:
        for session in (self.telegram, self.max):
            if session is not None:
                await session.close()

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        if isinstance(method, (SetMyCommands, DeleteMyCommands)) and not isinstance(
            method.scope, BotCommandScopeChat
        ):
            # The default menu: every messenger's.
            result: Any = True
            for session in (self.telegram, self.max):
                if session is not None:
                    result = await session.make_request(bot, method, timeout)
            return result
        messenger = route(method)
        target = self._session(messenger)
        if target is None:
            raise TelegramBadRequest(
                method, f"Bad Request: chat not found ({messenger} is not configured)"
            )
        chat = getattr(method, "chat_id", None)
        if messenger is Messenger.TELEGRAM and isinstance(chat, int) and _sends(method):
            await self._pacer.wait_turn(chat)
        return await target.make_request(bot, method, timeout)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        messenger = Messenger.MAX if url.startswith(FILE_PREFIX) else Messenger.TELEGRAM
        session = self._session(messenger)
        if session is None:
            raise TelegramBadRequest(_download(url), f"{messenger.value} is not configured")
        async for chunk in session.stream_content(
            url, headers, timeout, chunk_size, raise_for_status
        ):
            yield chunk

    def _session(self, messenger: Messenger | None) -> BaseSession | None:
        if messenger is None:
            return self.telegram or self.max
        return self.max if messenger is Messenger.MAX else self.telegram


def route(method: TelegramMethod[Any]) -> Messenger | None:
    """The messenger a call belongs to; ``None`` when it belongs to no chat."""
    chat = getattr(method, "chat_id", None)
    scope = getattr(method, "scope", None)
    if isinstance(scope, BotCommandScopeChat):
        chat = scope.chat_id
    if isinstance(chat, int):
        return messenger_of(chat)
    for name in ("callback_query_id", "file_id"):
        value = getattr(method, name, None)
        if isinstance(value, str):
            prefix = CALLBACK_PREFIX if name == "callback_query_id" else FILE_PREFIX
            return Messenger.MAX if value.startswith(prefix) else Messenger.TELEGRAM
    return None


def _sends(method: TelegramMethod[Any]) -> bool:
    """A call that puts a message into a chat (what the per-chat limit counts)."""
    return type(method).__name__.startswith("Send") and not isinstance(method, SendChatAction)


def _download(url: str) -> TelegramMethod[Any]:
    from aiogram.methods import GetFile

    return GetFile(file_id=url)
