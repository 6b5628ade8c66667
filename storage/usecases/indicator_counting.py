"""Writing a reporter's figures so that the municipal value can be read in one pass: the new
figure counts, the reporter's earlier figures for the same indicator and date stop counting,
and a figure whose report is returned stops counting (the school is asked again; its earlier
figure that was not returned, if any, counts meanwhile)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_, select, update

from storage.models import IndicatorFigure, StatusReport
from storage.unit_of_work import UnitOfWork


async def record_figure(
    uow: UnitOfWork,
    *,
    indicator_id: int,
    organisation_id: int | None,
    as_of_on: date,
    numerator: float,
    denominator: float | None,
    now: datetime,
    status_report_id: int | None = None,
    person_id: int | None = None,
    confirmed_unusual: bool = False,
) -> IndicatorFigure:
    """``organisation_id`` None: the municipal value a coordinator enters herself."""
    reporter = (
        IndicatorFigure.organisation_id.is_(None)
        if organisation_id is None
        else IndicatorFigure.organisation_id == organisation_id
    )
    await uow.session.execute(
        update(IndicatorFigure)
        .where(
            IndicatorFigure.indicator_id == indicator_id,
            IndicatorFigure.as_of_on == as_of_on,
            reporter,
            IndicatorFigure.counted.is_(True),
        )
        .values(counted=False)
        .execution_options(synchronize_session=False)
    )
    figure = IndicatorFigure(
        indicator_id=indicator_id,
        organisation_id=organisation_id,
        as_of_on=as_of_on,
        numerator=numerator,
        denominator=denominator,
        status_report_id=status_report_id,
        person_id=person_id,
        confirmed_unusual=confirmed_unusual,
        counted=True,
        created_at=now,
    )
    uow.session.add(figure)
    await uow.session.flush()
    return figure


async def uncount_returned(uow: UnitOfWork, status_report_id: int) -> None:
    """The report that brought the figures was returned: they no longer count, and the
    reporter's previous figure for the same date that was not returned counts again (an
    accepted figure stays the school's until a correction of it is accepted)."""
    returned = (
        await uow.session.execute(
            update(IndicatorFigure)
            .where(IndicatorFigure.status_report_id == status_report_id)
            .values(counted=False)
            .returning(
                IndicatorFigure.id,
                IndicatorFigure.indicator_id,
                IndicatorFigure.organisation_id,
                IndicatorFigure.as_of_on,
            )
            .execution_options(synchronize_session=False)
        )
    ).all()
    for figure_id, indicator_id, organisation_id, as_of_on in returned:
        previous = await uow.session.scalar(
            select(func.max(IndicatorFigure.id))
            .outerjoin(StatusReport, StatusReport.id == IndicatorFigure.status_report_id)
            .where(
                IndicatorFigure.indicator_id == indicator_id,
                IndicatorFigure.organisation_id == organisation_id,
                IndicatorFigure.as_of_on == as_of_on,
                IndicatorFigure.id < figure_id,
                or_(StatusReport.id.is_(None), StatusReport.review != "returned"),
            )
        )
        if previous is not None:
            await uow.session.execute(
                update(IndicatorFigure)
                .where(IndicatorFigure.id == previous)
                .values(counted=True)
                .execution_options(synchronize_session=False)
            )
