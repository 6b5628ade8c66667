"""The database, its backups and evidence files are the bot's user's alone: files 0600,
folders the bot makes 0700, whatever the umask (issue 26, finding 13)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.settings import Settings
from cli.backup import run_backup
from storage.engine import create_engine
from storage.evidence import store_evidence
from tests.support import MutableClock


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most systems have: without care, files would be 0644 (readable by all)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


async def test_a_new_sqlite_database_and_its_wal_are_readable_by_the_bot_alone(
    tmp_path: Path,
) -> None:
    database = tmp_path / "data" / "roadmap.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x TEXT)"))
            await connection.execute(text("INSERT INTO t VALUES ('отчёт')"))
        assert mode(database.parent) == 0o700
        assert mode(database) == 0o600
        wal = database.with_name(database.name + "-wal")
        assert wal.exists() and mode(wal) == 0o600
    finally:
        await engine.dispose()


async def test_an_existing_database_left_readable_is_closed_up(tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite3"
    database.touch(mode=0o644)
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    await engine.dispose()
    assert mode(database) == 0o600


async def test_a_backup_and_its_folder_are_readable_by_the_bot_alone(tmp_path: Path) -> None:
    database = tmp_path / "roadmap.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (x TEXT)"))
    await engine.dispose()

    assert run_backup(Settings(data_dir=str(tmp_path), _env_file=None), None, MutableClock()) == 0
    (copy,) = (tmp_path / "backups").iterdir()
    assert mode(tmp_path / "backups") == 0o700
    assert mode(copy) == 0o600


def test_evidence_files_and_their_folders_are_readable_by_the_bot_alone(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    digest, _size = store_evidence(evidence, "Протокол.pdf", b"%PDF-1.4 protocol")
    stored = evidence / digest[:2] / digest
    assert mode(stored) == 0o600
    assert mode(evidence) == 0o700 and mode(stored.parent) == 0o700
