"""The coordinator's review of a report: accepted («снять с контроля») or returned with a comment,
which reopens the occurrence; and who already decided, for an old card's button or for the
second of two coordinators who pressed at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import aliased

from storage.models import Occurrence, Person, Reminder, StatusReport
from storage.unit_of_work import UnitOfWork
from storage.usecases.indicator_counting import uncount_returned
from storage.usecases.planning import plan_due_reminders
from storage.usecases.reports.cards import ReportCard
from storage.usecases.reports.saving import stop_reminders


@dataclass(frozen=True, slots=True)
class ReviewDone:
    """Who already decided on a report, for the coordinator who presses an old card's button."""

    review: str  # accepted | returned
    reviewer: str
    at: datetime


async def review_done(uow: UnitOfWork, report_id: int) -> ReviewDone | None:
    row = (
        await uow.session.execute(
            select(StatusReport.review, Person.full_name, StatusReport.reviewed_at)
            .join(Person, Person.id == StatusReport.reviewed_by_id)
            .where(StatusReport.id == report_id, StatusReport.review != "pending")
        )
    ).first()
    if row is None or row.reviewed_at is None:
        return None
    return ReviewDone(row.review, row.full_name, row.reviewed_at)


async def review_report(
    uow: UnitOfWork,
    card: ReportCard,
    reviewer: Person,
    *,
    accept: bool,
    comment: str | None,
    now: datetime,
) -> bool:
    """Accept («снять с контроля») or return with a comment, which reopens the occurrence.

    Decided by one conditional update: the report changes only while it is still pending and
    still the occurrence's latest version. Of two coordinators deciding at once exactly one
    matches (PostgreSQL re-checks the condition once the first commits; SQLite lets only one
    writer in), and only the winner goes on to the occurrence and its reminders, in the same
    transaction. Returns ``False`` to the loser, who has changed nothing."""
    # The occurrence first, locked (PostgreSQL; SQLite has one writer anyway): a head saving a
    # newer version at this moment either has committed it (then this report is no longer
    # the latest and nothing is decided) or waits, and sets the occurrence after this decision.
    await uow.session.execute(
        select(Occurrence.id).where(Occurrence.id == card.occurrence_id).with_for_update()
    )
    newer = aliased(StatusReport)
    decided = await uow.session.execute(
        update(StatusReport)
        .where(
            StatusReport.id == card.report_id,
            StatusReport.review == "pending",
            ~exists().where(
                newer.occurrence_id == StatusReport.occurrence_id, newer.id > StatusReport.id
            ),
        )
        .values(
            review="accepted" if accept else "returned",
            review_comment=comment,
            reviewed_by_id=reviewer.id,
            reviewed_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if decided.rowcount != 1:  # type: ignore[attr-defined]
        return False
    occurrence = Occurrence.id == card.occurrence_id
    if accept:
        await uow.session.execute(
            update(Occurrence)
            .where(occurrence)
            .values(status="closed", closed_at=func.coalesce(Occurrence.closed_at, now))
            .execution_options(synchronize_session=False)
        )
        await stop_reminders(uow, card.occurrence_id)
    else:
        await uncount_returned(uow, card.report_id)
        measure_id = await uow.session.scalar(
            update(Occurrence)
            .where(occurrence)
            .values(status="open", closed_at=None, closed_by_id=None)
            .returning(Occurrence.measure_id)
            .execution_options(synchronize_session=False)
        )
        await uow.session.execute(
            update(Reminder)
            .where(
                Reminder.occurrence_id == card.occurrence_id,
                Reminder.state == "cancelled",
                Reminder.due_at > now,
            )
            .values(state="pending")
        )
        await uow.session.flush()
        assert measure_id is not None
        await plan_due_reminders(uow, now, [measure_id])
    uow.audit.add(
        at=now,
        action="report.review",
        person_id=reviewer.id,
        details={"report_id": card.report_id, "accepted": accept},
    )
    return True
