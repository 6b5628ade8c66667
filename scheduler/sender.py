"""Sending to people's chats within the messengers' limits, and reading their answers.

Global and per-chat pacing keep under a messenger's limits (Telegram: ~30 messages/s and ~1/s
per chat; MAX: ~30 requests/s and 2/s per chat); a 429 pauses *all* sending through that
messenger for ``retry_after``; 5xx and network errors are retried with backoff a bounded
number of times; 403 and «chat not found» mean the person cannot be reached there and are
not retried. The bot's session takes each message to its messenger; the composition root
gives a pacer per messenger (``pacers``), so nothing here asks which one a chat is in.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup

from scheduler.metrics import ReminderCounters

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    SENT = "sent"
    RETRY_LATER = "retry_later"  # the server kept failing; the outbox tries again later
    UNREACHABLE = "unreachable"  # blocked, deactivated, chat not found
    REJECTED = "rejected"  # Telegram refused the message itself; retrying will not help
    NOT_TRIED = "not_tried"  # the process is stopping: handed back before anything was sent


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    message_id: int | None = None
    error: str = ""


class Pacer:
    """A token bucket for the whole bot plus a minimum interval per chat, and a shared pause."""

    def __init__(
        self,
        per_second: float,
        per_chat_interval: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._interval = 1.0 / per_second
        self._per_chat = per_chat_interval
        self._clock = clock
        self._next_slot = 0.0
        self._chat_next: dict[int, float] = {}
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def wait_turn(self, chat_id: int) -> None:
        async with self._lock:
            now = self._clock()
            start = max(now, self._next_slot, self._paused_until, self._chat_next.get(chat_id, 0.0))
            self._next_slot = start + self._interval
            self._chat_next[chat_id] = start + self._per_chat
            if len(self._chat_next) > 100_000:  # forget chats served long ago
                self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
        delay = start - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)
        # A 429 that arrived while we waited extends the pause, so look again after sleeping.
        while self._paused_until > self._clock():  # noqa: ASYNC110
            await asyncio.sleep(self._paused_until - self._clock())


class ChatSender:
    def __init__(
        self,
        bot: Bot,
        *,
        per_second: float = 25.0,
        per_chat_interval: float = 1.0,
        attempts: int = 4,
        base_delay: float = 0.5,
        counters: ReminderCounters | None = None,
        pacers: Callable[[int], Pacer] | None = None,
    ) -> None:
        """``pacers``: the pacer of a chat's messenger; by default one for all chats."""
        self._bot = bot
        self.counters = counters or ReminderCounters()
        self.pacer = Pacer(per_second, per_chat_interval)
        self._pacer_of = pacers or (lambda _chat: self.pacer)
        self._attempts = attempts
        self._base_delay = base_delay

    async def send(
        self,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None,
        *,
        stopping: Callable[[], bool] | None = None,
    ) -> SendResult:
        """``stopping``: asked once the turn to send has come (pacing can make it seconds):
        true, and nothing is sent (NOT_TRIED), so a stopping process hands the message back."""
        error = ""
        attempt = 0
        while attempt < self._attempts:
            if error:
                self.counters.retried.inc()
            pacer = self._pacer_of(chat_id)
            await pacer.wait_turn(chat_id)
            if attempt == 0 and not error and stopping is not None and stopping():
                return SendResult(Outcome.NOT_TRIED)
            try:
                message = await self._bot.send_message(chat_id, text, reply_markup=markup)
                return SendResult(Outcome.SENT, message.message_id)
            except TelegramRetryAfter as flood:
                # Not an attempt that failed: Telegram asked us to wait. Everyone waits.
                logger.warning("429: pausing all sending there for %ss", flood.retry_after)
                pacer.pause(flood.retry_after)
                error = f"429 retry after {flood.retry_after}"
                continue
            except TelegramForbiddenError as forbidden:
                return SendResult(Outcome.UNREACHABLE, error=forbidden.message)
            except TelegramBadRequest as bad:
                if "chat not found" in bad.message.lower():
                    return SendResult(Outcome.UNREACHABLE, error=bad.message)
                return SendResult(Outcome.REJECTED, error=bad.message)
            except (TelegramServerError, TelegramNetworkError) as failure:
                # A network error may hide a delivered message: retrying risks a duplicate,
                # which is better than a lost reminder.
                error = f"{type(failure).__name__}: {failure}"
            attempt += 1
            if attempt < self._attempts:
                await asyncio.sleep(self._base_delay * 2 ** (attempt - 1))
        return SendResult(Outcome.RETRY_LATER, error=error)
