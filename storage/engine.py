"""Engine and session factory, with SQLite tuned for a bot that writes from several tasks."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.private_files import private_dir, private_file

SQLITE_BUSY_TIMEOUT_MS = 5_000
# How long a transaction waits for another process's write (an import) before it fails.
SQLITE_LOCKED_PATIENCE_MS = 120_000

logger = logging.getLogger(__name__)


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)

    if parsed.database and parsed.database != ":memory:":
        # The database holds everyone's reports: readable by the bot's user alone (SQLite
        # gives its -wal and -shm files the database file's mode).
        database = Path(parsed.database)
        private_dir(database.parent)
        private_file(database)
    # One connection, handed from task to task by the pool's queue. Every transaction takes the
    # write lock at BEGIN (below), so a second connection could only wait on SQLite's busy
    # handler, which sleeps in steps of up to 100 ms: under a burst of updates that turned 5 ms
    # answers into 1-2 s ones. Waiting in the pool's queue hands the connection on at once.
    engine = create_async_engine(
        url, echo=echo, pool_size=1, max_overflow=0, pool_timeout=60, hide_parameters=True
    )
    _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: AsyncEngine) -> None:
    """WAL so readers never block the writer, a busy timeout instead of instant 'locked' errors,
    and BEGIN IMMEDIATE so two read-then-write transactions cannot both read stale data and
    then collide (pysqlite's default deferred BEGIN loses such updates)."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so "begin" below is the only BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Another process (``roadmap-bot import``, ``people``, a backup) may hold the write lock
        # for longer than the busy timeout: wait on, as long as SQLITE_LOCKED_PATIENCE, rather
        # than fail the chat update with «database is locked». Each attempt waits inside SQLite
        # (its busy handler, off the event loop); the lock is taken here, at BEGIN, so nothing
        # of the transaction has run yet and trying again is safe.
        for attempt in range(SQLITE_LOCKED_PATIENCE_MS // SQLITE_BUSY_TIMEOUT_MS):
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as error:
                if "locked" not in str(error.orig) and "busy" not in str(error.orig):
                    raise
                logger.warning(
                    "the database is locked by another writer; waiting on",
                    extra={"event": "db_locked", "attempt": attempt + 1},
                )
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_reader_engine(url: str) -> AsyncEngine:
    """Connections that only read and never wait: on SQLite they take no write lock (WAL lets
    them read beside the writer), so a reader inside a writer's transaction cannot deadlock."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True, pool_size=2, hide_parameters=True)
    engine = create_async_engine(url, hide_parameters=True)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
