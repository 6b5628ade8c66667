"""The coordinator's review of a report: accepted («снять с контроля») or returned with a comment,
which reopens the occurrence; and who already decided, for an old card's button."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from storage.models import Occurrence, Person, Reminder, StatusReport
from storage.unit_of_work import UnitOfWork
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
) -> None:
    """Accept («снять с контроля») or return with a comment, which reopens the occurrence."""
    report = await uow.session.get(StatusReport, card.report_id)
    occurrence = await uow.session.get(Occurrence, card.occurrence_id)
    assert report is not None and occurrence is not None
    report.review = "accepted" if accept else "returned"
    report.review_comment = comment
    report.reviewed_by_id, report.reviewed_at = reviewer.id, now
    if accept:
        occurrence.status, occurrence.closed_at = "closed", occurrence.closed_at or now
        await stop_reminders(uow, occurrence.id)
    else:
        occurrence.status, occurrence.closed_at, occurrence.closed_by_id = "open", None, None
        await uow.session.execute(
            update(Reminder)
            .where(
                Reminder.occurrence_id == occurrence.id,
                Reminder.state == "cancelled",
                Reminder.due_at > now,
            )
            .values(state="pending")
        )
        await uow.session.flush()
        await plan_due_reminders(uow, now, [occurrence.measure_id])
    uow.audit.add(
        at=now,
        action="report.review",
        person_id=reviewer.id,
        details={"report_id": report.id, "accepted": accept},
    )
