"""MAX message ids: the string ``mid`` MAX edits by, kept under the number handlers use."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.bulk import insert_ignoring_duplicates
from storage.models import MaxMessageId


class MaxMessageIds:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def remember(self, rows: list[tuple[int, int, str]], now: datetime) -> None:
        """(chat address, message number, mid) of messages seen; known ones stay as they are."""
        if not rows:
            return
        values = [
            {"chat_address": chat, "message_id": number, "mid": mid, "created_at": now}
            for chat, number, mid in rows
        ]
        async with self._sessions() as session:
            await insert_ignoring_duplicates(session, MaxMessageId.__table__, values)  # type: ignore[arg-type]
            await session.commit()

    async def mid(self, chat_address: int, message_id: int) -> str | None:
        async with self._sessions() as session:
            return await session.scalar(
                select(MaxMessageId.mid).where(
                    MaxMessageId.chat_address == chat_address,
                    MaxMessageId.message_id == message_id,
                )
            )

    async def forget_before(self, moment: datetime) -> int:
        """Drop ids of messages older than ``moment`` (their buttons are long answered)."""
        async with self._sessions() as session:
            result = await session.execute(
                delete(MaxMessageId).where(MaxMessageId.created_at < moment)
            )
            await session.commit()
            return max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
