"""The restore drill: a backup taken while reports come in, restored into a fresh folder, the
bot started on it: every row and every evidence file is there."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bot.settings import Settings
from cli.backup import run_restore
from demo.documents import seed_document, to_docx
from domain.roles import Role
from standin import StandInServer
from standin.users import SimulatedUser
from storage.backup.archive import SQLITE_MEMBER
from storage.models import StatusReport
from tests.conftest import make_settings, start_bot
from tests.support import MutableClock

TABLES = ("people", "organisations", "measures", "occurrences", "status_reports", "audit_log")


def drill_settings(standin: StandInServer, folder: Path) -> Settings:
    settings = make_settings(
        standin, f"sqlite+aiosqlite:///{folder / SQLITE_MEMBER}", folder / "evidence"
    )
    return settings.model_copy(update={"data_dir": str(folder)})


def everything(database: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(database) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in TABLES
        }


async def report_with_file(head: SimulatedUser, content: bytes, name: str) -> None:
    await head.press("Выполнено")
    await head.next_message()
    await head.ask("Сделано, приказ прилагаю")
    await head.upload(content, name, "application/pdf")
    await head.next_message()
    await head.press("Сохранить")
    await head.next_message()


async def test_backup_while_reporting_restore_into_a_fresh_folder_and_start(
    standin: StandInServer, clock: MutableClock, tmp_path: Path
) -> None:
    live = drill_settings(standin, tmp_path / "live")
    async with start_bot(standin, live, clock) as bot:
        coordinator = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
        maria = await bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
        petr = await bot.join_as("Пётр", "Петров Пётр Петрович", Role.RESPONSIBLE, "СОШ № 2")
        await coordinator.upload(to_docx(seed_document("ust_kut")), "карта.docx")
        await coordinator.next_message()
        await coordinator.press("Подтвердить")
        await coordinator.next_message()
        bot.clock.set(datetime(2026, 4, 3, 2, 0, tzinfo=UTC))
        await maria.next_message(timeout=15)
        await petr.next_message(timeout=15)
        await report_with_file(maria, b"%PDF-1.4 maria", "СОШ 1.pdf")

        # The nightly job while Пётр reports: the copy is consistent whichever comes first.
        during, _ = await asyncio.gather(
            bot.app.backup.run(), report_with_file(petr, b"%PDF-1.4 petr", "СОШ 2.pdf")
        )
        assert during is not None
        # The same day's next archive replaces it in the rotation: keep this one to restore.
        during = Path(shutil.copy(during, tmp_path / during.name))
        bot.clock.set(datetime(2026, 4, 3, 20, 0, tzinfo=UTC))
        after = await bot.app.backup.run()  # quiet now: holds everything
        assert after is not None
        async with bot.session_factory() as session:
            reports = list(await session.scalars(select(StatusReport)))
        assert len(reports) == 2

    fresh = drill_settings(standin, tmp_path / "fresh")
    assert run_restore(fresh, during, clock) == 0
    # Taken mid-report: each report the copy holds has its file.
    for (sha,) in sqlite3.connect(tmp_path / "fresh" / SQLITE_MEMBER).execute(
        "SELECT evidence_sha256 FROM status_reports"
    ):
        assert (tmp_path / "fresh" / "evidence" / sha[:2] / sha).is_file()

    newest = drill_settings(standin, tmp_path / "newest")
    assert run_restore(newest, after, clock) == 0
    assert everything(tmp_path / "newest" / SQLITE_MEMBER) == everything(
        tmp_path / "live" / SQLITE_MEMBER
    )
    live_files = sorted(
        p.relative_to(tmp_path / "live") for p in (tmp_path / "live" / "evidence").rglob("*")
    )
    new_files = sorted(
        p.relative_to(tmp_path / "newest") for p in (tmp_path / "newest" / "evidence").rglob("*")
    )
    assert (
        live_files == new_files and len([p for p in new_files if p.parent.name != "evidence"]) >= 2
    )
    for report in reports:
        sha = str(report.evidence_sha256)
        assert (tmp_path / "newest" / "evidence" / sha[:2] / sha).is_file()

    # The bot starts on the restored folder and knows everyone.
    async with start_bot(standin, newest, clock) as restored:
        answer = await maria.ask("/start")
        assert "Здравствуйте, Мария Петровна" in str(answer["text"])
        async with restored.session_factory() as session:
            assert len(list(await session.scalars(select(StatusReport)))) == 2
