"""Telegram errors are ours to handle (aiogram retries only its polling loop).

Every request the bot makes goes through this session middleware: a 429 waits the
``retry_after`` Telegram asks for, 5xx and network errors are retried with backoff; all of it
a bounded number of times, after which the error reaches the caller.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType

logger = logging.getLogger(__name__)


class RetryRequestMiddleware(BaseRequestMiddleware):
    def __init__(
        self, *, attempts: int = 4, base_delay: float = 0.5, max_retry_after: float = 60.0
    ) -> None:
        self._attempts = attempts
        self._base_delay = base_delay
        self._max_retry_after = max_retry_after

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, GetUpdates):  # the polling loop has its own backoff
            return await make_request(bot, method)  # type: ignore[arg-type]
        for attempt in range(1, self._attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if attempt == self._attempts or error.retry_after > self._max_retry_after:
                    raise
                delay: float = error.retry_after
            except (TelegramServerError, TelegramNetworkError):
                if attempt == self._attempts:
                    raise
                delay = self._base_delay * 2 ** (attempt - 1)
            logger.info("%s failed (attempt %d), retrying in %.1fs", _name(method), attempt, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # the loop either returns or raises


def _name(method: Any) -> str:
    return type(method).__name__
