"""The daily backup job: archives rotated, copied to a share; a failure told once."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.settings import BackupSection
from domain.roles import Role
from scheduler.backup_job import BackupPlan, DailyBackup
from standin import StandInServer
from tests.conftest import make_settings, start_bot
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


async def test_the_coordinator_hears_once_in_her_language_when_the_share_is_gone(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> None:
    gone = tmp_path / "share-not-mounted"
    gone.write_text("a file where the share's folder should be", encoding="utf-8")
    settings = make_settings(standin, db_url, tmp_path / "evidence").model_copy(
        update={"data_dir": str(tmp_path), "backup": BackupSection(copy_to=str(gone / "bot"))}
    )
    async with start_bot(standin, settings, clock) as bot:
        anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
        if not db_url.startswith("sqlite"):
            return  # pg_dump's own test is the CLI's
        assert await bot.app.backup.run() is None
        told = await anna.next_message()
        assert told["text"].startswith("⚠️ Не удалось сделать ежедневную резервную копию")
        assert f"could not be copied to {gone / 'bot'}" in told["text"]
        assert "Бот продолжает работать" in told["text"]
        assert await bot.app.backup.run() is None  # the next night: not told again
        await asyncio.sleep(0.5)
        assert anna.unread() == []
        assert len(list((tmp_path / "backups").iterdir())) == 1  # made here all the same
