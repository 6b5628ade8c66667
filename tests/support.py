"""Helpers shared by the tests: a clock the test moves, and quick database access."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import AuditEvent, Base
from storage.unit_of_work import UnitOfWork


class MutableClock:
    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 3, 2, 2, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, moment: datetime) -> None:
        self._now = moment


@asynccontextmanager
async def unit_of_work(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[UnitOfWork]:
    async with factory() as session:
        yield UnitOfWork(session)


async def row_counts(factory: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Rows per table except the audit log, where conversations stand (written just after
    each reply) and the ids of MAX messages the bot sent: "nothing changed" means these stay
    equal."""
    counts: dict[str, int] = {}
    async with factory() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in ("audit_log", "conversation_states", "max_messages"):
                continue
            counts[table.name] = int(
                await session.scalar(select(func.count()).select_from(table)) or 0
            )
    return counts


async def audit_actions(factory: async_sessionmaker[AsyncSession]) -> list[tuple[str, str]]:
    async with factory() as session:
        rows = await session.execute(
            select(AuditEvent.action, AuditEvent.outcome).order_by(AuditEvent.id)
        )
        return [(action, outcome) for action, outcome in rows]


COORDINATOR_MENU = [
    "/help",
    "/digest",
    "/report",
    "/my",
    "/ask",
    "/requests",
    "/export",
    "/calendar",
    "/email",
    "/settings",
    "/import",
    "/measures",
    "/indicators",
    "/roadmaps",
    "/people",
    "/organisations",
    "/invite",
    "/memo",
    "/template",
    "/lang",
]
RESPONSIBLE_MENU = [
    "/help",
    "/report",
    "/my",
    "/calendar",
    "/export",
    "/email",
    "/settings",
    "/cancel",
    "/lang",
]
