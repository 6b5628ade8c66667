"""Where a conversation stands, in the database: kept, replaced per column, forgotten, expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.usecases.conversations import (
    forget_conversation,
    read_conversation,
    write_conversation,
)

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
TTL = timedelta(days=30)


async def test_state_and_data_are_written_apart_forgotten_and_expire(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    key = "bot:1:1:1"
    assert await read_conversation(session_factory, key, NOW, TTL) == (None, {})
    await write_conversation(session_factory, key, NOW, state="ReportForm:text")
    await write_conversation(session_factory, key, NOW, data={"occurrence_id": 7})
    assert await read_conversation(session_factory, key, NOW, TTL) == (
        "ReportForm:text",
        {"occurrence_id": 7},
    )
    # A month untouched: a report abandoned long ago is not resumed by an unrelated message.
    assert await read_conversation(session_factory, key, NOW + TTL + timedelta(seconds=1), TTL) == (
        None,
        {},
    )
    await forget_conversation(session_factory, key)
    assert await read_conversation(session_factory, key, NOW, TTL) == (None, {})
