"""Migrations, time handling and SQLite's transaction mode."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import create_engine, create_session_factory
from storage.migrate import downgrade, upgrade
from storage.models import AuditEvent, Base, Organisation

EXPECTED_TABLES = {
    "organisations",
    "people",
    "invitations",
    "roadmaps",
    "sections",
    "measures",
    "assignments",
    "occurrences",
    "status_reports",
    "reminders",
    "audit_log",
    "job_runs",
}


async def test_stairway_up_down_up(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 's.sqlite3'}")
    try:
        await upgrade(engine)
        await downgrade(engine, "base")
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert tables <= {"alembic_version"}
        await upgrade(engine)
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert tables >= EXPECTED_TABLES
    finally:
        await engine.dispose()


async def test_replicas_starting_together_migrate_a_fresh_database_once(db_url: str) -> None:
    """Each replica migrates on start-up; three at once must neither fail nor half-apply."""
    engines = [create_engine(db_url) for _ in range(3)]
    try:
        async with asyncio.timeout(60):  # without the lock, PostgreSQL's replicas deadlock
            await asyncio.gather(*(upgrade(engine) for engine in engines))
        async with engines[0].connect() as connection:
            versions = (
                await connection.execute(text("SELECT version_num FROM alembic_version"))
            ).all()
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert len(versions) == 1
        assert tables >= EXPECTED_TABLES
    finally:
        for engine in engines:
            await engine.dispose()


async def test_migrations_match_the_models(engine: AsyncEngine) -> None:
    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        assert await connection.run_sync(diff) == []


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """For what only SQLite needs (on PostgreSQL, row locks do this job)."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'only-sqlite.sqlite3'}")
    await upgrade(engine)
    yield engine
    await engine.dispose()


async def test_sqlite_runs_in_wal_with_a_busy_timeout(sqlite_engine: AsyncEngine) -> None:
    engine = sqlite_engine
    async with engine.connect() as connection:
        assert (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar() == 5000
        assert (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1


async def test_naive_datetimes_are_refused(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with factory() as session:
        session.add(AuditEvent(at=datetime(2026, 1, 1), action="x"))  # noqa: DTZ001 - on purpose
        with pytest.raises(StatementError, match="naive datetime"):
            await session.flush()


async def test_instants_come_back_aware_in_utc(engine: AsyncEngine) -> None:
    irkutsk = timezone(timedelta(hours=8))
    factory = create_session_factory(engine)
    async with factory() as session:
        session.add(
            Organisation(name="МБОУ СОШ № 1", created_at=datetime(2026, 4, 17, 10, tzinfo=irkutsk))
        )
        await session.commit()
    async with factory() as session:
        loaded = await session.scalar(select(Organisation.created_at))
    assert loaded == datetime(2026, 4, 17, 2, tzinfo=UTC)
    assert loaded is not None and loaded.tzinfo is UTC


async def test_concurrent_read_modify_write_loses_no_update(sqlite_engine: AsyncEngine) -> None:
    """With BEGIN IMMEDIATE the second writer waits instead of overwriting the first."""
    engine = sqlite_engine
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE counter (value INTEGER)"))
        await connection.execute(text("INSERT INTO counter VALUES (0)"))
    factory = create_session_factory(engine)

    async def increment() -> None:
        async with factory() as session:
            value = (await session.execute(text("SELECT value FROM counter"))).scalar_one()
            await asyncio.sleep(0.01)  # let the other task read too, if it could
            await session.execute(text("UPDATE counter SET value = :v"), {"v": value + 1})
            await session.commit()

    await asyncio.gather(*(increment() for _ in range(10)))
    async with factory() as session:
        assert (await session.execute(text("SELECT value FROM counter"))).scalar_one() == 10


async def test_sqlite_replicas_wait_for_a_slow_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replica whose wait for the write lock runs out (a long migration on a loaded machine:
    here the busy timeout is 1 ms) tries again instead of failing to start."""
    import storage.engine

    monkeypatch.setattr(storage.engine, "SQLITE_BUSY_TIMEOUT_MS", 1)
    url = f"sqlite+aiosqlite:///{tmp_path / 'slow.sqlite3'}"
    engines = [create_engine(url) for _ in range(3)]
    try:
        async with asyncio.timeout(120):
            await asyncio.gather(*(upgrade(engine) for engine in engines))
        async with engines[0].connect() as connection:
            versions = (
                await connection.execute(text("SELECT version_num FROM alembic_version"))
            ).all()
        assert len(versions) == 1
    finally:
        for engine in engines:
            await engine.dispose()
