"""MAX message ids: the string ``mid`` MAX edits by, kept under the number handlers use.

Written behind the caller's back and read without waiting on anyone: a handler sends or
edits while its own transaction is open, and on SQLite that transaction holds the only
connection and the write lock. So ``remember`` keeps ids in memory at once and writes them
in a background task (which waits its turn in the pool's queue), and ``mid`` looks in memory,
then reads through a separate connection that never takes the write lock. What the database
holds serves a restart and the other replicas.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.bulk import insert_ignoring_duplicates
from storage.models import MaxMessageId

logger = logging.getLogger(__name__)
MEMORY = 50_000  # recent messages: what buttons are pressed on, almost always
Row = tuple[int, int, str]  # (chat address, message number, mid)


class MaxMessageIds:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], reader: AsyncEngine
    ) -> None:
        self._sessions = session_factory
        self._reader = reader
        self._memory: OrderedDict[tuple[int, int], str] = OrderedDict()
        self._pending: list[tuple[Row, datetime]] = []
        self._writer: asyncio.Task[None] | None = None

    def remember(self, rows: list[Row], now: datetime) -> None:
        for chat, number, mid in rows:
            self._memory[(chat, number)] = mid
            self._memory.move_to_end((chat, number))
            self._pending.append(((chat, number, mid), now))
        while len(self._memory) > MEMORY:
            self._memory.popitem(last=False)
        if self._pending and (self._writer is None or self._writer.done()):
            self._writer = asyncio.create_task(self._write(), name="max-message-ids")

    async def mid(self, chat_address: int, message_id: int) -> str | None:
        known = self._memory.get((chat_address, message_id))
        if known is not None:
            return known
        async with self._reader.connect() as connection:
            return await connection.scalar(
                select(MaxMessageId.mid).where(
                    MaxMessageId.chat_address == chat_address,
                    MaxMessageId.message_id == message_id,
                )
            )

    async def flush(self) -> None:
        """Wait until what was remembered is in the database."""
        while self._writer is not None and not self._writer.done():
            await self._writer
        if self._pending:
            await self._write()

    async def close(self) -> None:
        await self.flush()
        await self._reader.dispose()

    async def forget_before(self, moment: datetime) -> int:
        """Drop ids of messages older than ``moment`` (their buttons are long answered)."""
        async with self._sessions() as session:
            result = await session.execute(
                delete(MaxMessageId).where(MaxMessageId.created_at < moment)
            )
            await session.commit()
            return max(result.rowcount or 0, 0)  # type: ignore[attr-defined]

    async def _write(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            values = [
                {"chat_address": chat, "message_id": number, "mid": mid, "created_at": at}
                for (chat, number, mid), at in batch
            ]
            try:
                async with self._sessions() as session:
                    await insert_ignoring_duplicates(session, MaxMessageId.__table__, values)  # type: ignore[arg-type]
                    await session.commit()
            except Exception:  # the ids stay in memory; a restart would lose only these
                logger.exception("keeping %d MAX message ids failed", len(values))
                return
