"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL: idempotent bulk writes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 5_000


async def insert_ignoring_duplicates(
    session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert what is new; rows that hit a unique constraint are skipped. Returns rows written."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    written = 0
    for start in range(0, len(rows), CHUNK):
        chunk = list(rows[start : start + CHUNK])
        statement = module.insert(table).on_conflict_do_nothing()
        if dialect == "postgresql":
            # asyncpg reports no row count for a batch: count the rows it returns instead.
            primary = next(iter(table.primary_key.columns))
            returned = await session.execute(statement.returning(primary), chunk)
            written += len(returned.all())
            continue
        result = await session.execute(statement, chunk)
        written += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    return written
