"""A school's figures for an indicator: what its occurrence asks, the school's own figures a
year before, and saving the answer as a report on the occurrence («103 из 1 000», status done)
with its ``IndicatorFigure`` in the same transaction, under the report's save key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from storage.models import (
    Assignment,
    Indicator,
    IndicatorCollection,
    IndicatorFigure,
    Occurrence,
    Person,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.indicator_counting import record_figure
from storage.usecases.reports.cards import ReportCard
from storage.usecases.reports.reportable import OccurrenceView
from storage.usecases.reports.saving import Evidence, save_report


@dataclass(frozen=True, slots=True)
class AskedFigures:
    """What one occurrence of an indicator's carrier measure asks of its school."""

    occurrence_id: int
    indicator_id: int
    indicator_number: str
    indicator_name: str
    unit: str
    share: bool
    numerator_question: str
    denominator_question: str | None
    as_of_on: date
    organisation_id: int | None


@dataclass(frozen=True, slots=True)
class LastFigures:
    numerator: float
    denominator: float | None


async def asked_figures(uow: UnitOfWork, occurrence_id: int) -> AskedFigures | None:
    """None when the occurrence is no indicator's (a measure, a request)."""
    row = (
        await uow.session.execute(
            select(
                Occurrence.id,
                Indicator.id,
                Indicator.number,
                Indicator.name,
                Indicator.unit,
                IndicatorCollection.shape,
                IndicatorCollection.numerator_question,
                IndicatorCollection.denominator_question,
                Occurrence.due_on,
                Assignment.organisation_id,
            )
            .join(Assignment, Assignment.id == Occurrence.assignment_id)
            .join(IndicatorCollection, IndicatorCollection.measure_id == Occurrence.measure_id)
            .join(Indicator, Indicator.id == IndicatorCollection.indicator_id)
            .where(Occurrence.id == occurrence_id)
        )
    ).first()
    if row is None:
        return None
    share = row[5] == "share"
    return AskedFigures(
        row[0], row[1], row[2], row[3], row[4], share, row[6], row[7] if share else None,
        row[8], row[9],
    )  # fmt: skip


async def last_year(uow: UnitOfWork, asked: AskedFigures) -> LastFigures | None:
    """The school's latest figures as of a date 6 to 18 months before this one."""
    if asked.organisation_id is None:
        return None
    row = (
        await uow.session.execute(
            select(IndicatorFigure.numerator, IndicatorFigure.denominator)
            .where(
                IndicatorFigure.indicator_id == asked.indicator_id,
                IndicatorFigure.organisation_id == asked.organisation_id,
                IndicatorFigure.as_of_on <= asked.as_of_on - timedelta(days=180),
                IndicatorFigure.as_of_on >= asked.as_of_on - timedelta(days=550),
            )
            .order_by(IndicatorFigure.as_of_on.desc(), IndicatorFigure.id.desc())
            .limit(1)
        )
    ).first()
    return LastFigures(row[0], row[1]) if row is not None else None


async def save_figures(
    uow: UnitOfWork,
    view: OccurrenceView,
    asked: AskedFigures,
    person: Person,
    numerator: float,
    denominator: float | None,
    text: str,
    now: datetime,
    *,
    notified: bool,
    save_key: str | None,
    unusual: bool = False,
) -> ReportCard | None:
    """The report (done, ``text`` such as «103 из 1 000») and its figures, or ``None`` when this
    save key saved them already (nothing written)."""
    card = await save_report(
        uow, view, person, "done", text, Evidence(), now, notified=notified, save_key=save_key
    )
    if card is None:
        return None
    # Recorded so that it counts in the municipal value and the school's earlier figure for
    # the date no longer does (storage.usecases.indicator_counting).
    await record_figure(
        uow,
        indicator_id=asked.indicator_id,
        organisation_id=asked.organisation_id,
        as_of_on=asked.as_of_on,
        numerator=numerator,
        denominator=denominator,
        status_report_id=card.report_id,
        person_id=person.id,
        confirmed_unusual=unusual,
        now=now,
    )
    return card


async def figures_of(
    uow: UnitOfWork, indicator_id: int
) -> list[tuple[int | None, date, float, float | None, str]]:
    """(organisation, as-of date, numerator, denominator, the report's review) of every
    figure of the indicator, oldest first: the history a table or a test reads."""
    rows = await uow.session.execute(
        select(
            IndicatorFigure.organisation_id,
            IndicatorFigure.as_of_on,
            IndicatorFigure.numerator,
            IndicatorFigure.denominator,
            StatusReport.review,
        )
        .outerjoin(StatusReport, StatusReport.id == IndicatorFigure.status_report_id)
        .where(IndicatorFigure.indicator_id == indicator_id)
        .order_by(IndicatorFigure.id)
    )
    return [(o, d, n, m, r or "") for o, d, n, m, r in rows]
