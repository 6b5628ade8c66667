"""Column types that keep time honest, and strings within their columns' length."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData, String
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC.

    Refuses naive datetimes on the way in, and attaches UTC on the way out: SQLite drops the
    timezone even for ``DateTime(timezone=True)``, which would otherwise leak naive values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime refused: {value!r}; pass an aware UTC instant")
        in_utc = value.astimezone(UTC)
        return in_utc.replace(tzinfo=None) if dialect.name == "sqlite" else in_utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class BoundedString(TypeDecorator[str]):
    """``String(length)`` whose values are cut at its length on the way in, by every write
    (the ORM's and Core's ``insert``/``update`` alike).

    SQLite keeps a longer value and PostgreSQL refuses it: a 301-character file name made a
    report impossible to save there, and the error logged what the head wrote."""

    impl = String
    cache_ok = True

    def __init__(self, length: int) -> None:
        super().__init__(length)
        self.length = length

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if isinstance(value, str) and len(value) > self.length:
            return value[: self.length]
        return value


def bound_strings(metadata: MetaData) -> None:
    """Every ``String(n)`` column of ``metadata`` cut at ``n`` when written (its DDL is the
    same ``VARCHAR(n)``). Called once, as the models are defined, so no column is left out."""
    for table in metadata.tables.values():
        for column in table.columns:
            if type(column.type) is String and column.type.length:
                column.type = BoundedString(column.type.length)
