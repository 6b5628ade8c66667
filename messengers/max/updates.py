"""MAX's updates into the Dispatcher: long polling for development, a webhook route beside
Telegram's for production. Both convert with ``messengers.max.convert`` and feed the one bot that
serves both messengers, so a handler answering a MAX head answers in MAX."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import itertools
import logging
import re
from collections.abc import Awaitable, Callable

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError
from aiogram.types import Update
from aiohttp import web

from domain.clock import Clock
from messengers.max.api import Json, MaxApi
from messengers.max.convert import convert_update
from messengers.max.session import UPDATE_TYPES
from storage.usecases.max_messages import MaxMessageIds

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Max-Bot-Api-Secret"
MAX_BACKOFF = 30.0
_KIND = re.compile(r"[a-z_]{1,40}")


class MaxUpdates:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        api: MaxApi,
        ids: MaxMessageIds,
        clock: Clock,
    ) -> None:
        self._dispatcher = dispatcher
        self._bot = bot
        self._api = api
        self._ids = ids
        self._clock = clock
        self._numbers = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()

    async def feed(self, raw: Json) -> None:
        """Handle one MAX update to the end (what MAX does not use of it is dropped, and so is
        an update of a shape MAX should never send)."""
        update = self._update(raw)
        if update is not None:
            await self._dispatcher.feed_update(self._bot, update)

    def _update(self, raw: Json) -> Update | None:
        if not isinstance(raw, dict):
            logger.warning("a MAX update that is not an object was dropped")
            return None
        try:
            converted = convert_update(raw, next(self._numbers))
            if converted is None:
                logger.debug("MAX update ignored: %s", describe_update(raw))
                return None
            update = Update.model_validate(converted.update, context={"bot": self._bot})
        except Exception:  # any shape at all: the update is dropped, never retried
            # Its type and time only: the exception's text (pydantic's above all) quotes the
            # update's values, which are what people wrote.
            logger.warning("a malformed MAX update was dropped: %s", describe_update(raw))
            return None
        self._ids.remember(converted.mids, self._clock.now())
        return update

    async def poll(self, stopped: asyncio.Event, *, timeout: int) -> None:
        """Long polling until ``stopped``. Updates are handled side by side, as aiogram's own
        polling handles Telegram's; one person's run one at a time (the events isolation)."""
        marker: int | None = None
        failures = 0
        logger.info("MAX: long polling", extra={"event": "max_polling"})
        while not stopped.is_set():
            query = {"timeout": timeout, "limit": 100, "types": ",".join(UPDATE_TYPES)}
            if marker is not None:
                query["marker"] = marker
            try:
                answer = await self._api.call(
                    None, "GET", "/updates", query=query, timeout=timeout + 15
                )
            except TelegramUnauthorizedError:
                logger.error("MAX refused MAX__TOKEN: check it on business.max.ru")
                raise
            except TelegramAPIError as error:
                failures += 1
                delay = min(MAX_BACKOFF, 0.5 * 2**failures)
                logger.warning("MAX polling failed (%s), again in %.1fs", error, delay)
                await _sleep_unless(stopped, delay)
                continue
            failures = 0
            for raw in answer.get("updates") or []:
                task = asyncio.create_task(self._feed_logged(raw))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            marker = answer.get("marker", marker)
        await self.finish()

    async def finish(self) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=30)

    async def _feed_logged(self, raw: Json) -> None:
        try:
            await self.feed(raw)
        except Exception:
            logger.exception("a MAX update failed")

    def webhook_route(self, secret: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        """MAX's deliveries: refused with 401 unless they carry our secret; answered after
        the update was handled, so a replica that dies mid-update gets it sent again."""

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), secret.encode()):
                logger.warning("MAX webhook delivery without the right secret refused")
                return web.json_response({"ok": False}, status=401)
            try:
                raw = await request.json()
            except ValueError:
                raw = None
            if not isinstance(raw, dict):
                # Answered 200 all the same: a refusal would make MAX send it again forever.
                logger.warning("a MAX webhook delivery that is not an update was dropped")
                return web.json_response({"ok": True})
            await self.feed(raw)
            return web.json_response({"ok": True})

        return receive


def describe_update(raw: Json) -> str:
    """An update for the logs by its type and time only (MAX's updates carry no id), each
    shown only when it has the form MAX gives it: nothing a sender wrote can pass."""
    kind = raw.get("update_type")
    stamp = raw.get("timestamp")
    kind_text = kind if isinstance(kind, str) and _KIND.fullmatch(kind) else "?"
    stamp_text = str(stamp) if isinstance(stamp, int) and not isinstance(stamp, bool) else "?"
    return f"type {kind_text}, timestamp {stamp_text}"


async def _sleep_unless(stopped: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopped.wait(), seconds)
