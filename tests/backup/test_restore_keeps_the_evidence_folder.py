"""``roadmap-bot restore`` where the evidence folder is a disk or a Docker volume of its own
(compose.yaml mounts one there): the folder stays, only its files are swapped. Moving the
folder itself failed on a mount point («Device or resource busy») half-way through, with the
database already set aside and the evidence folder emptied."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.settings import Settings
from cli.backup import run_backup, run_restore
from storage.evidence import store_evidence
from tests.support import MutableClock


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_evidence_folder_stays_and_only_its_files_change(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    settings = Settings(data_dir=str(data), _env_file=None)
    evidence = Path(settings.evidence_dir)
    with sqlite3.connect(data / "roadmap.sqlite3") as connection:
        connection.execute("CREATE TABLE people (full_name TEXT)")
    order, _ = store_evidence(evidence, "Приказ.pdf", b"%PDF-1.4 order")
    clock = MutableClock(datetime(2026, 4, 20, 2, 30, tzinfo=UTC))
    assert run_backup(settings, None, clock) == 0
    (archive,) = settings.backup_dir.iterdir()
    later, _ = store_evidence(evidence, "План.pdf", b"%PDF-1.4 plan")
    folder = evidence.stat()

    clock.set(datetime(2026, 4, 21, 9, 0, tzinfo=UTC))
    assert run_restore(settings, archive, clock) == 0

    assert evidence.stat().st_ino == folder.st_ino  # the same folder: a mount point stays one
    assert files_in(evidence) == {f"{order[:2]}/{order}"}
    (aside,) = data.glob("before-restore-*")
    assert files_in(aside / "evidence") == {f"{order[:2]}/{order}", f"{later[:2]}/{later}"}
    assert (data / "roadmap.sqlite3").is_file() and (aside / "roadmap.sqlite3").is_file()
