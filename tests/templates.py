"""Databases migrated once per test process, copied for each test that would migrate its own
(tests/conftest.py's ``db_url``); and PostgreSQL's test databases dropped beside the tests.

A test database of PostgreSQL is dropped in a thread of its own: ``DROP DATABASE`` waits for a
checkpoint, up to two seconds on a loaded machine, and nothing in the next test waits for it.
"""

from __future__ import annotations

import asyncio
import queue
import tempfile
import threading
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.engine import create_engine
from storage.migrate import upgrade


class Templates:
    def __init__(self) -> None:
        self._sqlite: bytes | None = None
        self._postgresql: tuple[str, str] | None = None  # the server's URL, the template's name
        self._dropping: queue.Queue[tuple[str, str] | None] | None = None
        self._dropper: threading.Thread | None = None
        self._failures: list[BaseException] = []

    async def sqlite(self) -> bytes:
        """The SQLite file ``upgrade`` makes from nothing."""
        if self._sqlite is None:
            with tempfile.TemporaryDirectory(prefix="tests-template-") as folder:
                database = Path(folder) / "template.sqlite3"
                engine = create_engine(f"sqlite+aiosqlite:///{database}")
                try:
                    await upgrade(engine)
                finally:
                    await engine.dispose()
                self._sqlite = database.read_bytes()
        return self._sqlite

    async def postgresql(self, server_url: str) -> str:
        """The name of a database on the server that ``upgrade`` migrated from nothing."""
        if self._postgresql is None or self._postgresql[0] != server_url:
            import asyncpg

            name = f"roadmap_template_{uuid.uuid4().hex[:12]}"
            admin = await asyncpg.connect(_admin_dsn(server_url))
            try:
                await admin.execute(f'CREATE DATABASE "{name}"')
            finally:
                await admin.close()
            url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
            engine = create_engine(url)
            try:
                await upgrade(engine)
            finally:
                await engine.dispose()  # a template takes no connections while it is copied
            self._postgresql = (server_url, name)
        return self._postgresql[1]

    def drop_later(self, server_url: str, name: str) -> None:
        if self._dropping is None:
            self._dropping = queue.Queue()
            self._dropper = threading.Thread(target=self._drop_all, daemon=True)
            self._dropper.start()
        self._dropping.put((server_url, name))

    def _drop_all(self) -> None:
        assert self._dropping is not None
        while (item := self._dropping.get()) is not None:
            try:
                asyncio.run(_drop(*item))
            except BaseException as error:  # reported at the end of the session
                self._failures.append(error)

    def close(self) -> None:
        if self._dropping is not None and self._dropper is not None:
            self._dropping.put(None)
            self._dropper.join(120)
            self._dropping = self._dropper = None
        if self._postgresql is not None:
            asyncio.run(_drop(*self._postgresql))
            self._postgresql = None
        if self._failures:
            raise RuntimeError(f"test databases not dropped: {self._failures!r}")


async def _drop(server_url: str, name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(_admin_dsn(server_url))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def _admin_dsn(server_url: str) -> str:
    return make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)


templates = Templates()
