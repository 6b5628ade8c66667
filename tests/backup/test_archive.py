"""The backup archive and ``roadmap-bot restore``: what is refused changes nothing."""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.settings import DbSection, Settings
from cli.backup import run_backup, run_restore
from domain.backup_rotation import archives_to_keep
from storage.backup.lock import LOCK_FILE, bot_running
from storage.evidence import store_evidence
from tests.support import MutableClock


def data_settings(folder: Path) -> Settings:
    return Settings(data_dir=str(folder), _env_file=None)


def make_data(folder: Path) -> tuple[Settings, str]:
    """A data folder with a database of one row and one evidence file."""
    settings = data_settings(folder)
    database = folder / "roadmap.sqlite3"
    folder.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE people (full_name TEXT)")
        connection.execute("INSERT INTO people VALUES ('Иванова Мария Петровна')")
    digest, _size = store_evidence(Path(settings.evidence_dir), "Приказ.pdf", b"%PDF-1.4 order")
    return settings, digest


def names(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [row[0] for row in connection.execute("SELECT full_name FROM people")]


def test_the_data_folder_holds_the_database_the_evidence_and_the_backups(tmp_path: Path) -> None:
    settings = data_settings(tmp_path / "data")
    assert settings.db.url == f"sqlite+aiosqlite:///{tmp_path / 'data' / 'roadmap.sqlite3'}"
    assert settings.evidence_dir == str(tmp_path / "data" / "evidence")
    assert settings.backup_dir == tmp_path / "data" / "backups"


def test_relative_paths_are_read_from_the_checkout_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    checkout = Path(__file__).resolve().parents[2]
    settings = Settings(db=DbSection(url="sqlite+aiosqlite:///./data/x.sqlite3"), _env_file=None)
    assert settings.db.url == f"sqlite+aiosqlite:///{checkout / 'data' / 'x.sqlite3'}"
    assert Settings(_env_file=None).data_dir == str(checkout / "data")


def test_backup_then_restore_puts_back_the_rows_and_the_files(tmp_path: Path) -> None:
    settings, digest = make_data(tmp_path / "data")
    clock = MutableClock(datetime(2026, 4, 20, 2, 30, tzinfo=UTC))
    assert run_backup(settings, None, clock) == 0
    (archive,) = settings.backup_dir.iterdir()
    assert archive.name == "roadmap-20260420-023000.tar.gz"
    assert archive.stat().st_mode & 0o777 == 0o600

    fresh = data_settings(tmp_path / "fresh")
    assert run_restore(fresh, archive, clock) == 0
    assert names(tmp_path / "fresh" / "roadmap.sqlite3") == ["Иванова Мария Петровна"]
    restored = Path(fresh.evidence_dir) / digest[:2] / digest
    assert restored.read_bytes() == b"%PDF-1.4 order"

    # Restored over existing data: what it replaced is kept aside, never deleted.
    with sqlite3.connect(tmp_path / "data" / "roadmap.sqlite3") as connection:
        connection.execute("INSERT INTO people VALUES ('Петров Пётр Петрович')")
    clock.set(datetime(2026, 4, 21, 9, 0, tzinfo=UTC))
    assert run_restore(settings, archive, clock) == 0
    assert names(tmp_path / "data" / "roadmap.sqlite3") == ["Иванова Мария Петровна"]
    (aside,) = (tmp_path / "data").glob("before-restore-*")
    assert len(names(aside / "roadmap.sqlite3")) == 2
    assert (aside / "evidence" / digest[:2] / digest).is_file()


def files_in(folder: Path) -> list[Path]:
    """Every file and folder but the lock (which says nothing about the data)."""
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.name != LOCK_FILE)


def corrupt(archive: Path) -> bytes:
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = b"\x00" * 64
    return bytes(data)


def foreign() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        payload = json.dumps({"format": "something-else"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def escaping() -> bytes:
    """A manifest naming a file outside the folder it is unpacked into."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        manifest = {
            "format": "roadmap-bot-backup",
            "version": 1,
            "database": "roadmap.sqlite3",
            "files": {"roadmap.sqlite3": "0" * 64, "../../etc/evil": "0" * 64},
        }
        payload = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda archive: archive.read_bytes()[: archive.stat().st_size // 2], "damaged or cut off"),
        (corrupt, "damaged"),
        (lambda _archive: b"PK\x03\x04 a zip of something else", "damaged or cut off"),
        (lambda _archive: gzip.compress(b"plain text, not a tar"), "damaged or cut off"),
        (lambda _archive: foreign(), "not a roadmap-bot backup"),
        (lambda _archive: escaping(), "not a roadmap-bot backup"),
    ],
    ids=["truncated", "corrupt", "zip", "not-tar", "foreign", "escaping"],
)
def test_a_bad_archive_is_refused_and_nothing_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: object, said: str
) -> None:
    settings, _digest = make_data(tmp_path / "data")
    clock = MutableClock(datetime(2026, 4, 20, 2, 30, tzinfo=UTC))
    assert run_backup(settings, None, clock) == 0
    (archive,) = settings.backup_dir.iterdir()
    bad = tmp_path / "bad.tar.gz"
    assert callable(damage)
    bad.write_bytes(damage(archive))
    with sqlite3.connect(tmp_path / "data" / "roadmap.sqlite3") as connection:
        connection.execute("INSERT INTO people VALUES ('после копии')")
    before = files_in(tmp_path)
    capsys.readouterr()

    assert run_restore(settings, bad, clock) == 2
    error = capsys.readouterr().err
    assert said in error and "Nothing was changed" in error and "Traceback" not in error
    assert files_in(tmp_path) == before
    assert names(tmp_path / "data" / "roadmap.sqlite3")[-1] == "после копии"
    assert not (tmp_path / "etc").exists()


def test_restore_refuses_while_the_bot_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings, _digest = make_data(tmp_path / "data")
    clock = MutableClock(datetime(2026, 4, 20, 2, 30, tzinfo=UTC))
    assert run_backup(settings, None, clock) == 0
    (archive,) = settings.backup_dir.iterdir()
    with bot_running(settings.lock_dir):
        capsys.readouterr()
        assert run_restore(settings, archive, clock) == 2
    error = capsys.readouterr().err
    assert "the bot is running" in error and "nothing was changed" in error
    assert not list((tmp_path / "data").glob("before-restore-*"))
    assert run_restore(settings, archive, clock) == 0  # stopped: it restores


def test_rotation_keeps_the_newest_of_each_day_week_and_month() -> None:
    moments = [datetime(2026, 1, 1, 2, 30, tzinfo=UTC)]
    moments += [datetime(2026, 3, day, 2, 30, tzinfo=UTC) for day in range(1, 32)]
    moments += [datetime(2026, 3, 31, 14, 0, tzinfo=UTC)]  # a second one the same day (by hand)
    kept = archives_to_keep(moments, days=3, weeks=2, months=3)
    assert kept == {
        datetime(2026, 3, 31, 14, 0, tzinfo=UTC),  # the newest, and its day's, week's, month's
        datetime(2026, 3, 30, 2, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 2, 30, tzinfo=UTC),  # Sunday: the newest of the week before
        datetime(2026, 1, 1, 2, 30, tzinfo=UTC),  # the newest of January (February has none)
    }
