"""Conversation state rows: read, upsert and forget, each in one short transaction of its own.

The state and the data are written separately (aiogram sets them in separate calls), so an
upsert touches only its own column. A row untouched for longer than ``ttl`` reads as empty: a
report abandoned a month ago is not resumed by an unrelated message.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ConversationState


async def read_conversation(
    sessions: async_sessionmaker[AsyncSession], key: str, now: datetime, ttl: timedelta
) -> tuple[str | None, dict[str, Any]]:
    async with sessions() as session:
        row = (
            await session.execute(
                select(
                    ConversationState.state,
                    ConversationState.data,
                    ConversationState.updated_at,
                ).where(ConversationState.key == key)
            )
        ).first()
    if row is None or row.updated_at < now - ttl:
        return None, {}
    return row.state, dict(row.data or {})


async def write_conversation(
    sessions: async_sessionmaker[AsyncSession], key: str, now: datetime, **values: Any
) -> None:
    """Upsert ``state=`` or ``data=`` (or both) for ``key``."""
    async with sessions() as session:
        dialect = session.get_bind().dialect.name
        module: Any = postgresql if dialect == "postgresql" else sqlite
        insert = module.insert(ConversationState).values(
            key=key, updated_at=now, **{"state": None, "data": {}, **values}
        )
        await session.execute(
            insert.on_conflict_do_update(
                index_elements=[ConversationState.key], set_={**values, "updated_at": now}
            )
        )
        await session.commit()


async def forget_conversation(sessions: async_sessionmaker[AsyncSession], key: str) -> None:
    """The conversation ended (no state, no data): its row goes."""
    async with sessions() as session:
        await session.execute(delete(ConversationState).where(ConversationState.key == key))
        await session.commit()
