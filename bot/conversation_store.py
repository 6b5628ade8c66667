"""aiogram's conversation storage over the bot's own database: a report half-written survives
a restart on the default (single process, SQLite) setup. With Redis configured, RedisStorage
is used instead (shared by replicas, as before).

Writes are held until the update has been handled (``ConversationFlushMiddleware``): a handler
keeps its database session open while it changes the state, and on SQLite (one pooled
connection, every transaction holding the write lock) a second session opened inside it would
wait for the first, which waits for the handler: until the pool's timeout. The read happens in aiogram's
FSM middleware, before the handler's session opens; after that, reads come from memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from aiogram.types import TelegramObject
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from storage.usecases.conversations import (
    forget_conversation,
    read_conversation,
    write_conversation,
)

logger = logging.getLogger(__name__)


@dataclass
class _Entry:
    state: str | None
    data: dict[str, Any]
    changed: set[str] = field(default_factory=set)  # "state", "data": what to write


class DatabaseStorage(BaseStorage):
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, ttl: timedelta
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._ttl = ttl
        self._keys = DefaultKeyBuilder(with_destiny=True)
        self._entries: dict[str, _Entry] = {}  # keys whose update is being handled

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        entry = await self._entry(key)
        entry.state = state.state if isinstance(state, State) else state
        entry.changed.add("state")

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._entry(key)).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        entry = await self._entry(key)
        entry.data = dict(data)
        entry.changed.add("data")

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict((await self._entry(key)).data)

    async def flush(self, key: StorageKey) -> None:
        """Write what the update changed, then forget the key (the database has it)."""
        name = self._keys.build(key)
        entry = self._entries.pop(name, None)
        if entry is None or not entry.changed:
            return
        values = {column: getattr(entry, column) for column in entry.changed}
        for attempt in range(5):
            try:
                if entry.state is None and not entry.data:
                    await forget_conversation(self._sessions, name)
                else:
                    await write_conversation(self._sessions, name, self._clock.now(), **values)
                return
            except OperationalError as error:  # «database is locked» beyond the busy timeout
                logger.warning("saving a conversation failed (%s), retrying", error.orig)
                await asyncio.sleep(0.1 * 2**attempt)
        logger.error("a conversation's state could not be saved", extra={"event": "fsm_lost"})

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""

    async def _entry(self, key: StorageKey) -> _Entry:
        name = self._keys.build(key)
        entry = self._entries.get(name)
        if entry is None:
            state, data = await read_conversation(
                self._sessions, name, self._clock.now(), self._ttl
            )
            entry = self._entries.setdefault(name, _Entry(state, data))
        return entry


class ConversationFlushMiddleware(BaseMiddleware):
    """Outside the handler's database session: save the conversation once it is done with."""

    def __init__(self, storage: DatabaseStorage) -> None:
        self._storage = storage

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(event, data)
        finally:
            context = data.get("state")
            if isinstance(context, FSMContext):
                await self._storage.flush(context.key)
