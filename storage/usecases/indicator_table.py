"""«Таблица 1» from the database: each indicator of a roadmap with its target and the
municipality's value for every date it is collected on, and every reporter's figures.

The sums are made by the database in one grouped pass over an index of the counted figures
(each reporter's latest for the date, not returned; kept on write): a region's 250,000 figures
never travel to Python one by one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select

from domain.indicators.draft import Direction
from domain.indicators.municipal import (
    Aggregate,
    MunicipalValue,
    Reached,
    Sums,
    is_percent,
    municipal_value,
    needs_attention,
    reached,
    read_target,
    target_for_year,
)
from domain.progress.digest import IndicatorBehind
from storage.models import (
    Indicator,
    IndicatorCollection,
    IndicatorFigure,
    IndicatorTarget,
    Occurrence,
    Organisation,
    Roadmap,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.roadmap_choice import archived_condition


@dataclass(frozen=True, slots=True)
class IndicatorYear:
    as_of: date
    target: str | None  # as printed for that year
    value: MunicipalValue
    reached: Reached


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    id: int
    number: str
    name: str
    unit: str
    percent: bool
    direction: Direction | None
    base_year: int | None
    base_value: str | None
    targets: tuple[tuple[int | None, str], ...]
    years: tuple[IndicatorYear, ...]  # one per collection date, oldest first

    def on(self, day: date) -> IndicatorYear | None:
        """The value «по состоянию на» a report's date: the collection date of that year (the
        latest one with figures, else the first), else the latest one before it."""
        same_year = [y for y in self.years if y.as_of.year == day.year]
        with_data = [y for y in same_year if y.value.value is not None]
        if with_data:
            return with_data[-1]
        if same_year:
            return same_year[0]
        before = [y for y in self.years if y.as_of <= day]
        return before[-1] if before else None


@dataclass(frozen=True, slots=True)
class SchoolFigure:
    indicator_number: str
    organisation: str
    as_of: date
    numerator: float
    denominator: float | None
    review: str | None  # pending | accepted | None for a figure that came with no report


def _counted(roadmap_id: int, *, schools: bool) -> list[ColumnElement[bool]]:
    """The figures that make the municipal value: each reporter's latest, not returned
    (``counted``, kept on write), of the roadmap's indicators; schools' or the department's."""
    reporter = (
        IndicatorFigure.organisation_id.is_not(None)
        if schools
        else IndicatorFigure.organisation_id.is_(None)
    )
    return [
        IndicatorFigure.indicator_id.in_(
            select(Indicator.id).where(Indicator.roadmap_id == roadmap_id)
        ),
        IndicatorFigure.counted.is_(True),
        reporter,
    ]


async def indicator_lines(uow: UnitOfWork, roadmap_id: int) -> list[IndicatorLine]:
    session = uow.session
    indicators = (
        await session.scalars(
            select(Indicator)
            .where(Indicator.roadmap_id == roadmap_id)
            .order_by(Indicator.position, Indicator.id)
        )
    ).all()
    if not indicators:
        return []
    targets: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
    for row in await session.execute(
        select(IndicatorTarget.indicator_id, IndicatorTarget.year, IndicatorTarget.value)
        .join(Indicator, Indicator.id == IndicatorTarget.indicator_id)
        .where(Indicator.roadmap_id == roadmap_id)
        .order_by(IndicatorTarget.indicator_id, IndicatorTarget.position)
    ):
        targets[row.indicator_id].append((row.year, row.value))
    collections = {
        c.indicator_id: c
        for c in (
            await session.scalars(
                select(IndicatorCollection)
                .join(Indicator, Indicator.id == IndicatorCollection.indicator_id)
                .where(Indicator.roadmap_id == roadmap_id)
            )
        ).all()
    }
    sums = await _sums(uow, roadmap_id)
    entered = await _entered(uow, roadmap_id)
    expected = await _expected(uow, roadmap_id)
    lines = []
    for indicator in indicators:
        collection = collections.get(indicator.id)
        own_targets = targets[indicator.id]
        dates = {date.fromisoformat(d) for d in (collection.as_of if collection else [])}
        dates |= {day for (i, day) in sums if i == indicator.id}
        dates |= {day for (i, day) in entered if i == indicator.id}
        aggregate = Aggregate(collection.aggregate) if collection else Aggregate.MANUAL
        percent = is_percent(indicator.unit, [value for _, value in own_targets])
        direction = Direction(indicator.direction) if indicator.direction else None
        years = []
        for day in sorted(dates):
            key = (indicator.id, day)
            value = municipal_value(
                aggregate,
                sums.get(key),
                expected=expected.get(key, 0),
                percent=percent,
                entered=entered.get(key),
            )
            printed = target_for_year(own_targets, day.year)
            target = read_target(printed) if printed is not None else None
            years.append(
                IndicatorYear(day, printed, value, reached(value.value, target, direction))
            )
        lines.append(
            IndicatorLine(
                id=indicator.id,
                number=indicator.number,
                name=indicator.name,
                unit=indicator.unit,
                percent=percent,
                direction=direction,
                base_year=indicator.base_year,
                base_value=indicator.base_value,
                targets=tuple(own_targets),
                years=tuple(years),
            )
        )
    return lines


async def _sums(uow: UnitOfWork, roadmap_id: int) -> dict[tuple[int, date], Sums]:
    rows = await uow.session.execute(
        select(
            IndicatorFigure.indicator_id,
            IndicatorFigure.as_of_on,
            func.sum(IndicatorFigure.numerator),
            func.sum(IndicatorFigure.denominator),
            func.count(),
        )
        .where(*_counted(roadmap_id, schools=True))
        .group_by(IndicatorFigure.indicator_id, IndicatorFigure.as_of_on)
    )
    return {
        (indicator_id, day): Sums(float(numerator), _float(denominator), int(reporters))
        for indicator_id, day, numerator, denominator, reporters in rows
    }


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


async def _entered(uow: UnitOfWork, roadmap_id: int) -> dict[tuple[int, date], float]:
    """The municipal values the coordinator entered herself."""
    rows = await uow.session.execute(
        select(
            IndicatorFigure.indicator_id, IndicatorFigure.as_of_on, IndicatorFigure.numerator
        ).where(*_counted(roadmap_id, schools=False))
    )
    return {(indicator_id, day): float(value) for indicator_id, day, value in rows}


async def _expected(uow: UnitOfWork, roadmap_id: int) -> dict[tuple[int, date], int]:
    """How many reporters are asked for each indicator and date: its open or closed
    occurrences (a cancelled one, of a school no longer asked, does not count)."""
    carriers = dict(
        (
            await uow.session.execute(
                select(IndicatorCollection.measure_id, IndicatorCollection.indicator_id)
                .join(Indicator, Indicator.id == IndicatorCollection.indicator_id)
                .where(
                    Indicator.roadmap_id == roadmap_id, IndicatorCollection.measure_id.is_not(None)
                )
            )
        ).all()
    )
    if not carriers:
        return {}
    rows = await uow.session.execute(
        select(Occurrence.measure_id, Occurrence.due_on, func.count())
        .where(Occurrence.measure_id.in_(carriers), Occurrence.status != "cancelled")
        .group_by(Occurrence.measure_id, Occurrence.due_on)
    )
    return {(carriers[measure_id], day): int(count) for measure_id, day, count in rows}


async def school_figures(uow: UnitOfWork, roadmap_id: int) -> list[SchoolFigure]:
    """Every reporter's current figures, for the «Показатели» sheet."""
    rows = await uow.session.execute(
        select(
            Indicator.number,
            Organisation.name,
            IndicatorFigure.as_of_on,
            IndicatorFigure.numerator,
            IndicatorFigure.denominator,
            StatusReport.review,
        )
        .where(*_counted(roadmap_id, schools=True))
        .join(Indicator, Indicator.id == IndicatorFigure.indicator_id)
        .join(Organisation, Organisation.id == IndicatorFigure.organisation_id)
        .outerjoin(StatusReport, StatusReport.id == IndicatorFigure.status_report_id)
        .order_by(Indicator.position, Indicator.id, IndicatorFigure.as_of_on, Organisation.name)
    )
    return [
        SchoolFigure(number, name, day, float(numerator), _float(denominator), review)
        for number, name, day, numerator, denominator, review in rows
    ]


async def indicators_behind(uow: UnitOfWork, today: date) -> list[IndicatorBehind]:
    """For the weekly digest: every active roadmap's indicators whose value of this year is
    short of its target, or whose collection date has passed with schools' figures missing.
    An archived roadmap's targets are history: nobody is asked for figures any more."""
    found = []
    roadmaps = await uow.session.execute(
        select(Roadmap.id, Roadmap.title)
        .where(Roadmap.id.in_(select(Indicator.roadmap_id)), ~archived_condition(today))
        .order_by(Roadmap.id)
    )
    for roadmap_id, title in roadmaps.all():
        for line in await indicator_lines(uow, roadmap_id):
            year = line.on(today)
            if year is None:
                continue
            value = year.value
            behind, missing = needs_attention(value, year.reached, year.as_of, today)
            if behind or missing:
                found.append(
                    IndicatorBehind(
                        number=line.number,
                        name=line.name,
                        value=value.value,
                        percent=line.percent,
                        target=year.target,
                        answered=value.answered,
                        expected=value.expected,
                        behind=behind,
                        roadmap_id=roadmap_id,
                        roadmap_title=title,
                    )
                )
    return found
