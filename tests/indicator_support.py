"""Figures for indicator tests: a roadmap, indicators with targets, a collection carried by a
measure of kind «indicator» with one occurrence per school, and each school's figures with the
status report that brought them."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

import docx
import openpyxl
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import build_i18n
from handlers.export.report_files import write_document, write_export
from storage.models import (
    INDICATOR_MEASURE,
    Assignment,
    Indicator,
    IndicatorCollection,
    IndicatorTarget,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Roadmap,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.export import export_scope
from storage.usecases.indicator_counting import record_figure, uncount_returned

T = TypeVar("T")
IRKUTSK = ZoneInfo("Asia/Irkutsk")
NOW = datetime(2026, 12, 21, 3, 0, tzinfo=UTC)
AS_OF = date(2026, 12, 20)


class Seeder:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: T) -> T:
        self.session.add(row)
        await self.session.flush()
        return row

    async def roadmap(self) -> Roadmap:
        roadmap = Roadmap(
            title="Дорожная карта",
            period_start_on=date(2026, 1, 1),
            period_end_on=date(2030, 12, 31),
            timezone="Asia/Irkutsk",
            created_at=NOW,
        )
        await self.add(roadmap)
        return roadmap

    async def indicator(
        self, roadmap: Roadmap, number: str, name: str, direction: str, targets: dict[int, str]
    ) -> Indicator:
        indicator = Indicator(
            roadmap_id=roadmap.id,
            number=number,
            position=int(number),
            name=name,
            unit="%",
            direction=direction,
        )
        await self.add(indicator)
        for position, (year, value) in enumerate(targets.items()):
            await self.add(
                IndicatorTarget(
                    indicator_id=indicator.id, position=position, year=year, value=value
                )
            )
        return indicator

    async def collected_from(
        self, roadmap: Roadmap, indicator: Indicator, schools: list[Organisation]
    ) -> list[Occurrence]:
        measure = Measure(
            roadmap_id=roadmap.id,
            number=f"П-{indicator.number}",
            position=100 + indicator.position,
            title=indicator.name,
            kind=INDICATOR_MEASURE,
        )
        await self.add(measure)
        await self.add(
            IndicatorCollection(
                indicator_id=indicator.id,
                measure_id=measure.id,
                reporters={"kind": "all"},
                shape="share",
                numerator_question="Сколько?",
                denominator_question="Сколько всего?",
                aggregate="ratio",
                as_of=[AS_OF.isoformat()],
            )
        )
        occurrences = []
        for school in schools:
            assignment = Assignment(measure_id=measure.id, organisation_id=school.id)
            await self.add(assignment)
            occurrence = Occurrence(
                assignment_id=assignment.id, measure_id=measure.id, due_on=AS_OF
            )
            await self.add(occurrence)
            occurrences.append(occurrence)
        return occurrences

    async def figures(
        self,
        indicator: Indicator,
        occurrence: Occurrence,
        school: Organisation,
        head: Person,
        numerator: float,
        denominator: float,
        review: str = "pending",
    ) -> None:
        report = StatusReport(
            occurrence_id=occurrence.id,
            person_id=head.id,
            status="done",
            text=f"{numerator:g} из {denominator:g}",
            review=review,
            created_at=NOW,
        )
        await self.add(report)
        await record_figure(
            UnitOfWork(self.session),
            indicator_id=indicator.id,
            organisation_id=school.id,
            as_of_on=AS_OF,
            numerator=numerator,
            denominator=denominator,
            status_report_id=report.id,
            person_id=head.id,
            now=NOW,
        )
        if review == "returned":
            await uncount_returned(UnitOfWork(self.session), report.id)


async def printed_indicators(
    factory: async_sessionmaker[AsyncSession], as_of: date
) -> tuple[list[list[str]], list[tuple[object, ...]]]:
    """«Таблица 1» of the .docx (its data rows' cell texts) and the «Показатели» sheet's rows,
    as the coordinator's /export writes them on ``as_of``, in Russian."""
    i18n = build_i18n("ru")
    target = io.BytesIO()
    with i18n.context(), i18n.use_locale("ru"):
        async with factory() as session:
            uow = UnitOfWork(session)
            roadmap = await only_roadmap(uow)
            data = await write_document(uow, export_scope(as_of, IRKUTSK), None, roadmap)
            await write_export(uow, export_scope(as_of, IRKUTSK), target, roadmap)
    table1 = docx.Document(io.BytesIO(data)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table1.rows[2:]]
    sheet = openpyxl.load_workbook(io.BytesIO(target.getvalue()))["Показатели"]
    return rows, list(sheet.iter_rows(values_only=True))


async def only_roadmap(uow: UnitOfWork) -> Roadmap:
    """The one roadmap of a test's database (the report is always of one roadmap)."""
    roadmaps = list(await uow.session.scalars(select(Roadmap)))
    assert len(roadmaps) == 1, roadmaps
    return roadmaps[0]
