"""``roadmap-bot actual-results export|import``: the coordinator fills in column 6 in a
spreadsheet and reads it back; what someone changed in the bot meanwhile is not overwritten, a
text too long is refused, «=…» stays text. ``report-notes`` sets the typed sections."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from bot.settings import DbSection, Settings
from cli.actual_results import run_actual_results, run_report_notes
from demo.documents import seed_document
from domain.roadmap.build import build_draft
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import Measure, ReportNotes
from storage.unit_of_work import UnitOfWork
from storage.usecases.actual_results import current_result, save_result
from storage.usecases.roadmaps import save_roadmap

NOW = datetime(2026, 4, 20, 1, 0, tzinfo=UTC)


async def imported(url: str) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    async with create_session_factory(engine)() as session:
        uow = UnitOfWork(session)
        draft = build_draft(seed_document("ust_kut"), fallback_year=2026)
        await save_roadmap(uow, draft, now=NOW, timezone="Asia/Irkutsk")
        await uow.commit()
    await engine.dispose()


async def results(url: str, *numbers: str) -> dict[str, str]:
    engine = create_engine(url)
    found = {}
    async with create_session_factory(engine)() as session:
        uow = UnitOfWork(session)
        for number in numbers:
            measure = await session.scalar(select(Measure).where(Measure.number == number))
            assert measure is not None
            found[number] = (await current_result(uow, measure.id)).text
    await engine.dispose()
    return found


async def changed_in_the_bot(url: str, number: str, text: str) -> None:
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        uow = UnitOfWork(session)
        measure = await session.scalar(select(Measure).where(Measure.number == number))
        assert measure is not None
        outcome = await save_result(uow, measure.id, text, seen_version=0, person_id=None, now=NOW)
        assert outcome.saved
        await uow.commit()
    await engine.dispose()


async def test_the_filled_sheet_is_read_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"
    settings = Settings(db=DbSection(url=url))
    await imported(url)
    sheet = tmp_path / "Фактический результат.xlsx"
    assert await run_actual_results(settings, "export", sheet) == 0

    book = openpyxl.load_workbook(io.BytesIO(sheet.read_bytes()))
    rows = {row[0].value: row for row in book["Фактический результат"].iter_rows(min_row=2)}
    assert len(rows) == 22
    rows["П3.2"][3].value = "=СУММ(A1) школ утвердили дорожные карты"
    rows["1.1"][3].value = "я" * 10_000
    rows["П3.3"][3].value = "Дорожные карты размещены на сайтах"
    book.save(sheet)
    # Meanwhile a coordinator writes П3.3 in the chat: the sheet must not overwrite it.
    await changed_in_the_bot(url, "П3.3", "Размещены на сайтах всех школ")

    assert await run_actual_results(settings, "import", sheet) == 1
    said = capsys.readouterr()
    assert "1.1: 10000 characters" in said.err
    assert "П3.3: changed in the bot since the file was written" in said.err
    assert "saved: 1; not saved: 2" in said.out
    assert await results(url, "П3.2", "1.1", "П3.3") == {
        "П3.2": "=СУММ(A1) школ утвердили дорожные карты",
        "1.1": "",
        "П3.3": "Размещены на сайтах всех школ",
    }

    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    assert await run_actual_results(settings, "import", other) == 2
    assert "is not a sheet written by «export»" in capsys.readouterr().err


async def test_report_notes_are_kept_per_roadmap_and_year(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"
    settings = Settings(db=DbSection(url=url))
    await imported(url)
    note = tmp_path / "записка.txt"
    note.write_text("Отчет подготовлен по итогам 2026 года.", encoding="utf-8")
    assert await run_report_notes(settings, year=2026, explanatory=note, conclusions=None) == 0
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        (notes,) = list(await session.scalars(select(ReportNotes)))
    await engine.dispose()
    assert (notes.year, notes.explanatory, notes.conclusions) == (
        2026,
        "Отчет подготовлен по итогам 2026 года.",
        "",
    )
