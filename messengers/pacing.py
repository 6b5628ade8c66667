"""Every message to one chat within its messenger's per-chat limit, whoever sends it.

Telegram allows about one message a second per chat, MAX two. The reminder sender paces
itself (``scheduler.sender``), but answers went straight back to the chat they answered: a
stranger's burst of ten messages drew ten answers and four 429s from MAX. So the bot's
session makes each message to a chat wait its turn here; one pacer is shared by every bot
the process holds, so an answer and a reminder to the same chat wait for each other too.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from domain.messengers import Messenger, messenger_of


class ChatPacer:
    """A minimum interval between two messages to the same chat, per messenger (0: none)."""

    def __init__(
        self,
        telegram_interval: float,
        max_interval: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._intervals = {Messenger.TELEGRAM: telegram_interval, Messenger.MAX: max_interval}
        self._clock = clock
        self._next: dict[int, float] = {}

    async def wait_turn(self, chat: int) -> None:
        interval = self._intervals[messenger_of(chat)]
        if interval <= 0:
            return
        # No await between reading and booking the slot: concurrent senders queue in order.
        now = self._clock()
        start = max(now, self._next.get(chat, 0.0))
        self._next[chat] = start + interval
        if len(self._next) > 100_000:  # forget chats whose turn is long past
            self._next = {c: t for c, t in self._next.items() if t > now}
        if start > now:
            await asyncio.sleep(start - now)
