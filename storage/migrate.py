"""Apply Alembic migrations from code: on start-up and from ``roadmap-bot db upgrade``."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Replicas started together all migrate on start-up; on PostgreSQL they queue on this lock (held
# to the end of the migration's transaction), and each one after the first finds nothing to do.
MIGRATION_LOCK = 0x526F61646D6170  # "Roadmap"
SQLITE_MIGRATION_WAIT = 120.0  # seconds a starting replica waits for another's migration


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    await _run(engine, lambda cfg: command.upgrade(cfg, revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    await _run(engine, lambda cfg: command.downgrade(cfg, revision))


async def _run(engine: AsyncEngine, action: object) -> None:
    """On SQLite the replicas queue on the database's write lock instead: one that waited past
    the busy timeout (a long migration on a loaded machine) tries again, and then finds the
    work done."""
    deadline = time.monotonic() + SQLITE_MIGRATION_WAIT
    while True:
        try:
            await _run_once(engine, action)
            return
        except OperationalError as error:
            locked = engine.dialect.name == "sqlite" and "locked" in str(error.orig)
            if not locked or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def _run_once(engine: AsyncEngine, action: object) -> None:
    def run_sync(connection: Connection) -> None:
        config = alembic_config()
        # env.py uses this connection instead of opening its own (Alembic's asyncio cookbook).
        config.attributes["connection"] = connection
        assert callable(action)
        action(config)

    async with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table: it drops the old one, and SQLite's implicit
            # DELETE would cascade to every row that refers to it (all of a person's
            # invitations and accounts, when ``people`` is rebuilt). The pragma only takes
            # effect outside a transaction, so it is set before the migration's begins.
            await connection.run_sync(_foreign_keys, False)
        try:
            async with connection.begin():
                if connection.dialect.name == "postgresql":
                    await connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                    )
                await connection.run_sync(run_sync)
        finally:
            if sqlite:
                await connection.run_sync(_foreign_keys, True)


def _foreign_keys(connection: Connection, on: bool) -> None:
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()
