"""The daily backup job: archives rotated, copied to a share; a failure told once."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scheduler.backup_job import BackupPlan, DailyBackup
from tests.support import MutableClock


def plan(tmp_path: Path, **changes: object) -> BackupPlan:
    database = tmp_path / "roadmap.sqlite3"
    if not database.exists():
        with sqlite3.connect(database) as connection:
            connection.execute("CREATE TABLE t (x TEXT)")
    fields: dict[str, object] = {
        "db_url": f"sqlite+aiosqlite:///{database}",
        "evidence_dir": tmp_path / "evidence",
        "folder": tmp_path / "backups",
        "keep_days": 2,
        "keep_weeks": 1,
        "keep_months": 1,
    }
    return BackupPlan(**(fields | changes))  # type: ignore[arg-type]


async def test_each_night_an_archive_old_ones_rotated_and_a_copy_on_the_share(
    tmp_path: Path,
) -> None:
    clock = MutableClock(datetime(2026, 4, 1, 18, 30, tzinfo=UTC))
    told: list[str] = []

    async def tell(problem: str) -> None:
        told.append(problem)

    job = DailyBackup(plan(tmp_path, copy_to=tmp_path / "share"), clock, tell)
    for _night in range(5):
        assert await job.run() is not None
        clock.advance(timedelta(days=1))
    kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
    # Two days, and the newest of this week and month (the same archive).
    assert kept == ["roadmap-20260404-183000.tar.gz", "roadmap-20260405-183000.tar.gz"]
    assert sorted(p.name for p in (tmp_path / "share").iterdir()) == kept
    assert told == []


async def test_a_target_not_writable_keeps_the_bot_running_and_is_told_once(
    tmp_path: Path,
) -> None:
    clock = MutableClock(datetime(2026, 4, 1, 18, 30, tzinfo=UTC))
    told: list[str] = []

    async def tell(problem: str) -> None:
        told.append(problem)

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backups should go", encoding="utf-8")
    job = DailyBackup(plan(tmp_path, folder=blocker / "backups"), clock, tell)
    assert await job.run() is None
    clock.advance(timedelta(days=1))
    assert await job.run() is None
    assert len(told) == 1 and f"cannot write to {blocker}/backups" in told[0]

    # The share fails (full, unmounted): the archive is still made locally; told once again.
    share = tmp_path / "share-file"
    share.write_text("not a folder", encoding="utf-8")
    fixed = DailyBackup(plan(tmp_path, copy_to=share / "x"), clock, tell)
    assert await fixed.run() is None
    assert len(list((tmp_path / "backups").iterdir())) == 1
    assert len(told) == 2 and "could not be copied to" in told[1]
