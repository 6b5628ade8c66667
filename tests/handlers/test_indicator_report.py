"""«Таблица 1» in the report the coordinator signs, before «Таблица 2», with the municipal value
as Σ numerators / Σ denominators and how many schools answered; the «Показатели» sheet with
the values and every school's figures as numbers; the command line's table."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import build_i18n
from cli.indicators import _as_json
from domain.indicators.municipal import Aggregate, MunicipalValue, Reached, Sums
from handlers.digest.weekly import digest_entries
from handlers.export.report_files import write_document, write_export
from storage.models import Organisation, Person, Roadmap
from storage.usecases.export import export_scope
from storage.usecases.indicator_table import IndicatorLine, IndicatorYear
from storage.usecases.progress import load_digest
from tests.indicator_support import AS_OF, NOW, Seeder, only_roadmap
from tests.support import unit_of_work

IRKUTSK = ZoneInfo("Asia/Irkutsk")


async def seed(factory: async_sessionmaker[AsyncSession]) -> Roadmap:
    """A share asked of four schools (three answered: 3/40, 5/60, 4/50) and a lower-is-better
    share asked of two (both answered: 1/100, 2/100)."""
    async with unit_of_work(factory) as uow:
        s = Seeder(uow.session)
        roadmap = await s.roadmap()
        diagnosed = await s.indicator(
            roadmap, "1", "Доля педагогов, прошедших диагностику", "up", {2026: "10 %"}
        )
        second_shift = await s.indicator(
            roadmap, "2", "Доля обучающихся во вторую смену", "down", {2026: "не более 5 %"}
        )
        schools = [
            await s.add(Organisation(name=f"МБОУ СОШ № {n}", created_at=NOW)) for n in range(1, 5)
        ]
        head = await s.add(Person(full_name="Иванова Мария", role="responsible", created_at=NOW))
        asked = await s.collected_from(roadmap, diagnosed, schools)
        for occurrence, school, (n, d) in zip(
            asked, schools, [(3, 40), (5, 60), (4, 50)], strict=False
        ):
            await s.figures(diagnosed, occurrence, school, head, n, d, "accepted")
        asked = await s.collected_from(roadmap, second_shift, schools[:2])
        for occurrence, school, (n, d) in zip(asked, schools, [(1, 100), (2, 100)], strict=False):
            await s.figures(second_shift, occurrence, school, head, n, d)
        await uow.commit()
        return roadmap


def _paragraphs_and_tables(document: docx.document.Document) -> list[str]:
    """The body in order: «P:text» for paragraphs, «T:first cell» for tables."""
    order = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            order.append(
                "P:" + "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
            )
        elif tag == "tbl":
            order.append("T")
    return order


async def test_table_1_stands_before_table_2_with_the_sums(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await seed(session_factory)
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        async with unit_of_work(session_factory) as uow:
            data = await write_document(
                uow, export_scope(AS_OF, IRKUTSK), None, await only_roadmap(uow)
            )
    document = docx.Document(io.BytesIO(data))
    order = _paragraphs_and_tables(document)
    assert order.index("P:Таблица 1") < order.index("P:Таблица 2")
    table1 = document.tables[0]
    header = [cell.text for cell in table1.rows[0].cells]
    assert header == [
        "№ п/п",
        "Наименование результата (показателя)",
        "Показатели результативности",
        "Фактическое значение показателя (по состоянию на 20.12.2026)",
        "Отметка о достижении",
    ]
    rows = [[cell.text for cell in row.cells] for row in table1.rows[2:]]
    assert rows[0][2] == "10 %"
    # 12 of 150 is 8 %, below the target of 10: not reached; three of the four schools answered.
    assert rows[0][3] == "8 % (12 из 150), ответили 3 из 4 школ"
    assert rows[0][4] == "не достигнуто"
    # 3 of 200 is 1,5 %: at most 5 % is reached for a lower-is-better indicator.
    assert rows[1][3] == "1,5 % (3 из 200), ответили 2 из 2 школ"
    assert rows[1][4] == "достигнуто"


async def test_the_indicators_sheet_holds_numbers(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await seed(session_factory)
    target = io.BytesIO()
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        async with unit_of_work(session_factory) as uow:
            await write_export(uow, export_scope(AS_OF, IRKUTSK), target, await only_roadmap(uow))
    book = openpyxl.load_workbook(io.BytesIO(target.getvalue()))
    assert book.sheetnames[:2] == ["Отчет", "Показатели"]
    rows = list(book["Показатели"].iter_rows(values_only=True))
    values = {row[0]: row for row in rows[1:3]}
    assert values["1"][5] == pytest.approx(8.0)
    assert (values["1"][6], values["1"][7], values["1"][8]) == (12, 150, "3 / 4")
    assert values["2"][5] == pytest.approx(1.5)
    figures = rows[
        rows.index(
            (
                "№ п/п",
                "Организация",
                "На дату",
                "Числитель",
                "Знаменатель",
                "Проверка",
                None,
                None,
                None,
                None,
            )
        )
        + 1 :
    ]
    assert sorted((r[1], r[3], r[4]) for r in figures if r[0] == "1") == [
        ("МБОУ СОШ № 1", 3, 40),
        ("МБОУ СОШ № 2", 5, 60),
        ("МБОУ СОШ № 3", 4, 50),
    ]
    assert all(isinstance(r[3], (int, float)) for r in figures)


async def test_a_roadmap_without_indicators_has_no_table_1(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with unit_of_work(session_factory) as uow:
        await Seeder(uow.session).roadmap()
        await uow.commit()
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        async with unit_of_work(session_factory) as uow:
            roadmap = await only_roadmap(uow)
            data = await write_document(uow, export_scope(AS_OF, IRKUTSK), None, roadmap)
            target = io.BytesIO()
            await write_export(uow, export_scope(AS_OF, IRKUTSK), target, roadmap)
    order = _paragraphs_and_tables(docx.Document(io.BytesIO(data)))
    assert "P:Таблица 1" not in order and "P:Таблица 2" in order
    assert "Показатели" not in openpyxl.load_workbook(io.BytesIO(target.getvalue())).sheetnames


def test_json_is_what_another_program_reads() -> None:
    # The shape `roadmap-bot indicators --json` prints, from the same lines.
    line = IndicatorLine(
        id=1,
        number="1",
        name="Доля",
        unit="%",
        percent=True,
        direction=None,
        base_year=2024,
        base_value="8,5",
        targets=((2026, "10"),),
        years=(
            IndicatorYear(
                AS_OF,
                "10",
                MunicipalValue(8.0, Sums(12, 150, 3), 4, Aggregate.RATIO),
                Reached.NO,
            ),
        ),
    )
    printed = json.loads(json.dumps(_as_json(line)))
    assert printed["base"] == {"year": 2024, "value": "8,5"}
    assert printed["years"][0] == {
        "as_of": "2026-12-20",
        "target": "10",
        "value": 8.0,
        "numerator": 12,
        "denominator": 150,
        "answered": 3,
        "expected": 4,
        "reached": "no",
    }


async def test_the_digest_names_indicators_behind_or_missing_figures(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await seed(session_factory)
    async with unit_of_work(session_factory) as uow:
        digest = await load_digest(uow, AS_OF + timedelta(days=1))
    assert [i.number for i in digest.indicators] == ["1"]  # № 2 is reached, all answered
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        text = "\n".join(digest_entries(digest))
    assert "Целевые показатели, требующие внимания (1):" in text
    assert (
        "• 1. Доля педагогов, прошедших диагностику — 8 % при плане 10 %; "
        "нет данных от 1 школы" in text
    )
