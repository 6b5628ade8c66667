"""An aiogram session that speaks MAX: the bot's calls, made in MAX's API.

Handlers call ``message.answer``, ``bot.send_document``, ``query.answer``... as they do for
Telegram; this session turns each call into MAX's requests and MAX's answers into aiogram's
types. Calls MAX has no counterpart for (chat actions, per-chat command menus) succeed and do
nothing; a call this session does not know is refused, never sent half-made.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    DeleteMyCommands,
    DeleteWebhook,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    SendChatAction,
    SendDocument,
    SendMessage,
    SendPhoto,
    SetMyCommands,
    SetWebhook,
    TelegramMethod,
)
from aiogram.types import BotCommandScopeDefault, File, InputFile, Message, User
from aiohttp import ClientError, ClientResponse, ClientTimeout
from yarl import URL

from domain.clock import Clock
from domain.messengers import is_group_address, max_address, native_id
from messengers.max.api import NOT_READY, Json, MaxApi
from messengers.max.convert import (
    CALLBACK_PREFIX,
    FILE_PREFIX,
    keyboard_attachment,
    message_json,
    split_text,
)
from messengers.pacing import ChatPacer
from storage.usecases.max_messages import MaxMessageIds

logger = logging.getLogger(__name__)
TEXT_LIMIT = 4000
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # as Telegram's: the bot refuses larger files the same way
UPDATE_TYPES = ("message_created", "message_callback", "bot_started")
MAX_REDIRECTS = 3
REDIRECTS = (301, 302, 303, 307, 308)

Call = Callable[[Bot, Any], Awaitable[Any]]


class MaxSession(BaseSession):
    def __init__(
        self,
        api: MaxApi,
        ids: MaxMessageIds,
        clock: Clock,
        *,
        upload_attempts: int = 8,
        upload_pause: float = 0.5,
        file_timeout: float = 30,
        file_hosts: tuple[str, ...] = (),
        pacer: ChatPacer | None = None,
    ) -> None:
        """``file_hosts``: where files people send may be fetched from (each host and its
        subdomains), besides the API's own host."""
        super().__init__()
        self.max_api = api
        self._ids = ids
        self._clock = clock
        self._upload_attempts = upload_attempts
        self._upload_pause = upload_pause
        self._file_timeout = file_timeout
        self._file_hosts = FileHosts(file_hosts, URL(api.base_url).host or "")
        self._pacer = pacer or ChatPacer(0, 0)
        self._calls: dict[type[Any], Call] = {
            GetMe: self._get_me,
            SendMessage: self._send_message,
            EditMessageText: self._edit_text,
            EditMessageReplyMarkup: self._edit_markup,
            DeleteMessage: self._delete,
            AnswerCallbackQuery: self._answer_callback,
            SendDocument: self._send_document,
            SendPhoto: self._send_photo,
            GetFile: self._get_file,
            SetMyCommands: self._set_commands,
            DeleteMyCommands: _nothing,
            SendChatAction: _nothing,
            SetWebhook: self._subscribe,
            DeleteWebhook: self._unsubscribe,
        }

    async def close(self) -> None:
        await self.max_api.close()
        await self._ids.flush()

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        call = self._calls.get(type(method))
        if call is None:
            raise TelegramBadRequest(method, f"{type(method).__name__} is not available in MAX")
        return await call(bot, method)

    # --- the bot and its menu ---------------------------------------------------------------

    async def _get_me(self, bot: Bot, method: GetMe) -> User:
        me = await self.max_api.call(method, "GET", "/me")
        return User(
            id=max_address(int(me["user_id"])),
            is_bot=True,
            first_name=me.get("first_name") or me.get("name") or "bot",
            username=me.get("username"),
        )

    async def _set_commands(self, bot: Bot, method: SetMyCommands) -> bool:
        # MAX has one command list for everyone: the default one, in the default language.
        if method.scope not in (None, BotCommandScopeDefault()) or method.language_code:
            return True
        commands = [{"name": c.command, "description": c.description} for c in method.commands]
        await self.max_api.call(method, "PATCH", "/me", body={"commands": commands})
        return True

    # --- messages ---------------------------------------------------------------------------

    async def _send_message(self, bot: Bot, method: SendMessage) -> Message:
        chat = int(method.chat_id)
        keyboard = keyboard_attachment(method.reply_markup)
        parts = split_text(method.text, TEXT_LIMIT)
        sent: Json = {}
        for number, part in enumerate(parts, 1):
            body: Json = {"text": part, "attachments": []}
            if keyboard is not None and number == len(parts):
                body["attachments"] = [keyboard]
            _format(body, method.parse_mode)
            sent = await self._post(method, chat, body)
        return await self._message(bot, sent)

    async def _edit_text(self, bot: Bot, method: EditMessageText) -> bool:
        keyboard = keyboard_attachment(method.reply_markup)
        body: Json = {"text": method.text, "attachments": [keyboard] if keyboard else []}
        _format(body, method.parse_mode)
        mid = await self._mid(method, method.chat_id, method.message_id)
        await self.max_api.call(method, "PUT", "/messages", query={"message_id": mid}, body=body)
        return True

    async def _edit_markup(self, bot: Bot, method: EditMessageReplyMarkup) -> bool:
        keyboard = keyboard_attachment(method.reply_markup)
        mid = await self._mid(method, method.chat_id, method.message_id)
        body = {"attachments": [keyboard] if keyboard else []}
        await self.max_api.call(method, "PUT", "/messages", query={"message_id": mid}, body=body)
        return True

    async def _delete(self, bot: Bot, method: DeleteMessage) -> bool:
        mid = await self._mid(method, method.chat_id, method.message_id)
        await self.max_api.call(method, "DELETE", "/messages", query={"message_id": mid})
        return True

    async def _answer_callback(self, bot: Bot, method: AnswerCallbackQuery) -> bool:
        if not method.text:
            return True  # MAX wants no empty answer: the press is answered by what follows it
        callback_id = method.callback_query_id.removeprefix(CALLBACK_PREFIX)
        await self.max_api.call(
            method,
            "POST",
            "/answers",
            query={"callback_id": callback_id},
            body={"notification": method.text},
        )
        return True

    async def _post(self, method: TelegramMethod[Any], chat: int, body: Json) -> Json:
        # A person's dialog is addressed by the person; a group chat (told only that the bot
        # works in private chats) by the chat.
        key = "chat_id" if is_group_address(chat) else "user_id"
        await self._pacer.wait_turn(chat)  # each part of a long text is a message of its own
        answer = await self.max_api.call(
            method, "POST", "/messages", query={key: native_id(chat)}, body=body
        )
        return cast(Json, answer["message"])

    async def _message(self, bot: Bot, raw: Json) -> Message:
        data, chat = message_json(raw)
        self._ids.remember([(chat, data["message_id"], str(raw["body"]["mid"]))], self._clock.now())
        return Message.model_validate(data, context={"bot": bot})

    async def _mid(self, method: TelegramMethod[Any], chat_id: Any, message_id: Any) -> str:
        mid = None
        if chat_id is not None and message_id is not None:
            mid = await self._ids.mid(int(chat_id), int(message_id))
        if mid is None:
            raise TelegramBadRequest(method, "Bad Request: message to edit not found")
        return mid

    # --- files ------------------------------------------------------------------------------

    async def _send_document(self, bot: Bot, method: SendDocument) -> Message:
        return await self._send_file(bot, method, method.document, "file")

    async def _send_photo(self, bot: Bot, method: SendPhoto) -> Message:
        return await self._send_file(bot, method, method.photo, "image")

    async def _send_file(
        self, bot: Bot, method: SendDocument | SendPhoto, file: InputFile | str, kind: str
    ) -> Message:
        if not isinstance(file, InputFile):
            raise TelegramBadRequest(method, "MAX takes files as uploads, not as file ids")
        content = b"".join([chunk async for chunk in file.read(bot)])
        target = await self.max_api.call(method, "POST", "/uploads", query={"type": kind})
        uploaded = await self.max_api.upload(
            method, str(target["url"]), content, file.filename or "file"
        )
        payload = {"token": uploaded["token"]} if "token" in uploaded else uploaded
        body: Json = {
            "text": (method.caption or "")[:TEXT_LIMIT],
            "attachments": [{"type": kind, "payload": payload}],
        }
        keyboard = keyboard_attachment(method.reply_markup)
        if keyboard is not None:
            body["attachments"].append(keyboard)
        chat = int(method.chat_id)
        for attempt in range(self._upload_attempts):
            try:
                return await self._message(bot, await self._post(method, chat, body))
            except TelegramBadRequest as error:
                if NOT_READY not in error.message:
                    raise
                # MAX processes a file for a moment after the upload; the send waits for it.
                await asyncio.sleep(self._upload_pause * 2 ** min(attempt, 4))
        raise TelegramBadRequest(method, f"{NOT_READY}: MAX did not finish processing the file")

    async def _get_file(self, bot: Bot, method: GetFile) -> File:
        if not method.file_id.startswith(FILE_PREFIX):
            raise TelegramBadRequest(method, "Bad Request: invalid file_id")
        return File(
            file_id=method.file_id, file_unique_id=method.file_id[-32:], file_path=method.file_id
        )

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        """A file someone sent, from its URL; more than ``DOWNLOAD_LIMIT`` is refused as
        Telegram refuses it, and a URL that does not answer is a file that could not be got."""
        method = GetFile(file_id=url)
        received = 0
        limit = ClientTimeout(total=min(timeout, self._file_timeout))
        try:
            async with self._fetch(method, URL(url.removeprefix(FILE_PREFIX)), limit) as response:
                async for chunk in response.content.iter_chunked(chunk_size):
                    received += len(chunk)
                    if received > DOWNLOAD_LIMIT:
                        raise TelegramBadRequest(method, "Bad Request: file is too big")
                    yield chunk
        except (ClientError, TimeoutError, ValueError) as error:
            raise TelegramBadRequest(
                method, f"file could not be fetched: {type(error).__name__}"
            ) from None

    @asynccontextmanager
    async def _fetch(
        self, method: GetFile, url: URL, limit: ClientTimeout
    ) -> AsyncIterator[ClientResponse]:
        """GET a file from MAX's hosts only: a URL in an update is what a sender's client put
        there, and the bot must not be made to fetch from (or be redirected into) anywhere
        else, such as the bot's own network. Redirects are followed by hand, each checked."""
        for _hop in range(MAX_REDIRECTS + 1):
            if not self._file_hosts.allows(url):
                raise TelegramBadRequest(method, "file could not be fetched: host not allowed")
            async with self.max_api.http().get(
                url, timeout=limit, allow_redirects=False
            ) as response:
                location = response.headers.get("Location")
                if response.status in REDIRECTS and location:
                    url = url.join(URL(location))
                    continue
                if response.status != 200:
                    raise TelegramBadRequest(
                        method, f"file could not be fetched: {response.status}"
                    )
                yield response
                return
        raise TelegramBadRequest(method, "file could not be fetched: too many redirects")

    # --- webhooks ---------------------------------------------------------------------------

    async def _subscribe(self, bot: Bot, method: SetWebhook) -> bool:
        body: Json = {"url": method.url, "update_types": list(UPDATE_TYPES)}
        if method.secret_token:
            body["secret"] = method.secret_token
        await self.max_api.call(method, "POST", "/subscriptions", body=body)
        return True

    async def _unsubscribe(self, bot: Bot, method: DeleteWebhook) -> bool:
        found = await self.max_api.call(method, "GET", "/subscriptions")
        for subscription in found.get("subscriptions", []):
            await self.max_api.call(
                method, "DELETE", "/subscriptions", query={"url": subscription["url"]}
            )
        return True


async def _nothing(bot: Bot, method: Any) -> bool:
    return True


class FileHosts:
    """Hosts files may come from: each named host and its subdomains, over https (plain http
    only for the API's own host, as a local stand-in is)."""

    def __init__(self, hosts: tuple[str, ...], api_host: str) -> None:
        self._api = api_host.lower()
        self._hosts = tuple(h.lower().strip(".") for h in (*hosts, api_host) if h.strip("."))

    def allows(self, url: URL) -> bool:
        host = (url.host or "").lower().rstrip(".")
        if not host or url.scheme not in ("https", "http"):
            return False
        if url.scheme == "http" and host != self._api:
            return False
        return any(host == h or host.endswith("." + h) for h in self._hosts)


def _format(body: Json, parse_mode: Any) -> None:
    mode = str(parse_mode or "").lower()
    if mode == "html":
        body["format"] = "html"
    elif mode.startswith("markdown"):
        body["format"] = "markdown"
