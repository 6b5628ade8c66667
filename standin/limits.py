"""Telegram's flood limits as token buckets: ~30 messages/s per bot, ~1/s per chat with short
bursts tolerated. ``scale`` multiplies both rates (benchmarks scale them up tenfold)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """Take one token; return 0 on success or the seconds until one is available."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class RateLimits:
    global_per_second: float = 30.0
    global_burst: float = 30.0
    chat_per_second: float = 1.0
    chat_burst: float = 3.0
    scale: float = 1.0
    enabled: bool = True
    monotonic: Callable[[], float] = time.monotonic
    _global: _Bucket | None = field(default=None, init=False)
    _chats: dict[int, _Bucket] = field(default_factory=dict, init=False)

    def check(self, chat_id: int) -> int:
        """0 if a message to ``chat_id`` may go now, else ``retry_after`` in whole seconds."""
        if not self.enabled:
            return 0
        now = self.monotonic()
        if self._global is None:
            self._global = self._bucket(self.global_per_second, self.global_burst, now)
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = self._bucket(self.chat_per_second, self.chat_burst, now)
        # Check the chat first so a refused message does not spend the global budget.
        wait = chat.take(now)
        if wait == 0:
            wait = self._global.take(now)
            if wait:
                chat.tokens += 1  # give back: the message was not sent
        return max(1, math.ceil(wait)) if wait else 0

    def _bucket(self, rate: float, burst: float, now: float) -> _Bucket:
        scaled_burst = burst * self.scale
        return _Bucket(rate * self.scale, scaled_burst, scaled_burst, now)
