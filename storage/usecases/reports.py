"""Status reports: what a school head may report on, saving versions, the coordinator's review,
and requests to move a deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import func, insert, or_, select, true, update
from sqlalchemy.sql.selectable import ScalarSelect

from storage.models import (
    Assignment,
    ExtensionRequest,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Reminder,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.occurrence_context import in_context, whose
from storage.usecases.planning import plan_due_reminders

STATUSES = ("done", "in_progress", "not_done")


@dataclass(frozen=True, slots=True)
class OccurrenceView:
    occurrence_id: int
    measure_id: int
    measure_number: str
    measure_title: str
    due_on: date
    status: str  # open | closed
    organisation: str | None
    last_report: str | None  # status of the latest report, if any
    last_review: str | None
    last_version: int | None


def _mine(person: Person):  # type: ignore[no-untyped-def]
    conditions = [Assignment.person_id == person.id]
    if person.organisation_id is not None:
        conditions.append(Assignment.organisation_id == person.organisation_id)
    return or_(*conditions)


def _latest_report_id() -> ScalarSelect[int | None]:
    """The newest report of the outer query's occurrence (its versions only ever grow)."""
    return (
        select(func.max(StatusReport.id))
        .where(StatusReport.occurrence_id == Occurrence.id)
        .correlate(Occurrence)
        .scalar_subquery()
    )


async def my_occurrences(
    uow: UnitOfWork, person: Person, *, limit: int = 30, occurrence_id: int | None = None
) -> list[OccurrenceView]:
    """What this person may report on: open, or reported but not yet accepted."""
    rows = await uow.session.execute(
        select(
            Occurrence.id,
            Measure.id,
            Measure.number,
            Measure.title,
            Occurrence.due_on,
            Occurrence.status,
            Organisation.name,
            StatusReport.status,
            StatusReport.review,
            StatusReport.version,
        )
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .join(Measure, Measure.id == Occurrence.measure_id)
        .outerjoin(Organisation, Organisation.id == Assignment.organisation_id)
        .outerjoin(StatusReport, StatusReport.id == _latest_report_id())
        .where(
            _mine(person),
            Occurrence.status.in_(("open", "closed")),
            or_(StatusReport.review.is_(None), StatusReport.review != "accepted"),
            Occurrence.id == occurrence_id if occurrence_id is not None else true(),
        )
        .order_by(Occurrence.due_on, Measure.position)
        .limit(limit)
    )
    return [OccurrenceView(*cast(tuple[Any, ...], row)) for row in rows]


async def reporting_choices(
    uow: UnitOfWork, person: Person, today: date, *, limit: int = 500
) -> list[OccurrenceView]:
    """What /report offers: every overdue occurrence and, of each measure, only the next one
    still ahead; a yearly measure is one button, not one per year of the roadmap."""
    chosen: list[OccurrenceView] = []
    ahead: set[str] = set()
    for item in await my_occurrences(uow, person, limit=limit):  # by due date
        if item.due_on < today:
            chosen.append(item)
        elif item.measure_number not in ahead:
            ahead.add(item.measure_number)
            chosen.append(item)
    return chosen


async def reportable(uow: UnitOfWork, occurrence_id: int, person: Person) -> OccurrenceView | None:
    """The occurrence, if ``person`` is responsible for it and its report is not accepted yet."""
    found = await my_occurrences(uow, person, limit=1, occurrence_id=occurrence_id)
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class Evidence:
    file_id: str | None = None
    file_name: str | None = None
    sha256: str | None = None
    size: int | None = None
    url: str | None = None


async def save_report(
    uow: UnitOfWork,
    view: OccurrenceView,
    person: Person,
    status: str,
    text: str,
    evidence: Evidence,
    now: datetime,
    *,
    notified: bool,
) -> ReportCard:
    """A new version; «done» closes the occurrence for everyone and stops its reminders.

    Written with plain statements (no objects loaded): saving is the busiest write in the bot.
    ``notified`` says the coordinators are told at once; otherwise the hourly batch picks it up.
    """
    version = (view.last_version or 0) + 1
    report_id = await uow.session.scalar(
        insert(StatusReport)
        .values(
            occurrence_id=view.occurrence_id,
            person_id=person.id,
            status=status,
            text=text,
            evidence_file_id=evidence.file_id[:200]
            if evidence.file_id
            else None,  # a MAX URL may be longer
            evidence_file_name=evidence.file_name,
            evidence_sha256=evidence.sha256,
            evidence_size=evidence.size,
            evidence_url=evidence.url,
            review="pending",
            version=version,
            created_at=now,
            notified_at=now if notified else None,
        )
        .returning(StatusReport.id)
    )
    assert report_id is not None
    closing = status == "done"
    await uow.session.execute(
        update(Occurrence)
        .where(Occurrence.id == view.occurrence_id)
        .values(
            status="closed" if closing else "open",
            closed_at=now if closing else None,
            closed_by_id=person.id if closing else None,
        )
    )
    if closing:
        await _stop_reminders(uow, view.occurrence_id)
    uow.audit.add(
        at=now,
        action="report.save",
        person_id=person.id,
        details={"occurrence_id": view.occurrence_id, "status": status, "version": version},
    )
    return ReportCard(
        report_id=report_id,
        occurrence_id=view.occurrence_id,
        measure_number=view.measure_number,
        measure_title=view.measure_title,
        due_on=view.due_on,
        organisation=view.organisation,
        author=person.full_name,
        author_chat=person.chat_address,
        author_locale=person.locale,
        status=status,
        text=text,
        evidence_name=evidence.file_name,
        evidence_url=evidence.url,
        review="pending",
        version=version,
        is_latest=True,
    )


async def _stop_reminders(uow: UnitOfWork, occurrence_id: int) -> None:
    await uow.session.execute(
        update(Reminder)
        .where(Reminder.occurrence_id == occurrence_id, Reminder.state == "pending")
        .values(state="cancelled")
    )


@dataclass(frozen=True, slots=True)
class ReportCard:
    report_id: int
    occurrence_id: int
    measure_number: str
    measure_title: str
    due_on: date
    organisation: str | None
    author: str
    author_chat: int | None
    author_locale: str | None
    status: str
    text: str
    evidence_name: str | None
    evidence_url: str | None
    review: str
    version: int
    is_latest: bool


async def report_card(uow: UnitOfWork, report_id: int) -> ReportCard | None:
    row = (
        await uow.session.execute(
            in_context(
                select(
                    StatusReport.id,
                    StatusReport.occurrence_id,
                    Measure.number,
                    Measure.title,
                    Occurrence.due_on,
                    Organisation.name,
                    Person.full_name,
                    Person.chat_address,
                    Person.locale,
                    StatusReport.status,
                    StatusReport.text,
                    StatusReport.evidence_file_name,
                    StatusReport.evidence_url,
                    StatusReport.review,
                    StatusReport.version,
                ).join(Occurrence, Occurrence.id == StatusReport.occurrence_id)
            )
            .join(Person, Person.id == StatusReport.person_id)
            .where(StatusReport.id == report_id)
        )
    ).first()
    if row is None:
        return None
    latest = await uow.session.scalar(
        select(func.max(StatusReport.id)).where(StatusReport.occurrence_id == row[1])
    )
    values: list[Any] = [*row, latest == report_id]
    return ReportCard(*values)


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
        await _stop_reminders(uow, occurrence.id)
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


@dataclass(frozen=True, slots=True)
class ReportHeadline:
    """One line of the hourly «new reports» message."""

    report_id: int
    measure_number: str
    organisation: str | None
    author: str
    status: str
    version: int


async def claim_unnotified_reports(
    uow: UnitOfWork, now: datetime, *, limit: int = 40
) -> list[ReportHeadline]:
    """Reports the coordinators have not been told about, marked as told in the same
    transaction: with several bot processes each report is announced once (at most once; a
    failed send is logged, and the report still waits in «reports to review»)."""
    rows = (
        await uow.session.execute(
            in_context(
                select(
                    StatusReport.id,
                    Measure.number,
                    whose(),
                    Person.full_name,
                    StatusReport.status,
                    StatusReport.version,
                    StatusReport.review,
                ).join(Occurrence, Occurrence.id == StatusReport.occurrence_id)
            )
            .join(Person, Person.id == StatusReport.person_id)
            .where(StatusReport.notified_at.is_(None))
            .order_by(StatusReport.id)
            .limit(limit)
            # PostgreSQL: rows another transaction is announcing are skipped, not listed twice.
            .with_for_update(of=StatusReport, skip_locked=True)
        )
    ).all()
    if not rows:
        return []
    await uow.session.execute(
        update(StatusReport)
        .where(StatusReport.id.in_([row[0] for row in rows]), StatusReport.notified_at.is_(None))
        .values(notified_at=now)
    )
    # A report accepted or replaced within the hour needs no announcement any more.
    return [ReportHeadline(*row[:6]) for row in rows if row[6] == "pending"]


async def coordinator_chats(uow: UnitOfWork) -> list[tuple[int, str | None]]:
    rows = await uow.session.execute(
        select(Person.chat_address, Person.locale).where(
            Person.role == "coordinator",
            Person.chat_address.is_not(None),
            Person.is_active.is_(True),
        )
    )
    return [(chat, locale) for chat, locale in rows if chat is not None]


async def request_extension(
    uow: UnitOfWork,
    view: OccurrenceView,
    person: Person,
    new_date: date,
    reason: str,
    now: datetime,
) -> ExtensionRequest:
    request = ExtensionRequest(
        occurrence_id=view.occurrence_id,
        person_id=person.id,
        requested_on=new_date,
        reason=reason,
        state="pending",
        created_at=now,
    )
    uow.session.add(request)
    await uow.session.flush()
    uow.audit.add(
        at=now,
        action="extension.request",
        person_id=person.id,
        details={"occurrence_id": view.occurrence_id, "date": new_date.isoformat()},
    )
    return request


async def pending_extension(uow: UnitOfWork, request_id: int) -> ExtensionRequest | None:
    """The request, if it is still waiting for a decision."""
    request = await uow.session.get(ExtensionRequest, request_id)
    return request if request is not None and request.state == "pending" else None


async def decide_extension(
    uow: UnitOfWork, request: ExtensionRequest, reviewer: Person, *, approve: bool, now: datetime
) -> None:
    request.state = "approved" if approve else "rejected"
    request.decided_by_id, request.decided_at = reviewer.id, now
    if approve:
        occurrence = await uow.session.get(Occurrence, request.occurrence_id)
        assert occurrence is not None
        occurrence.due_on = request.requested_on
        await uow.session.execute(
            update(Reminder)
            .where(Reminder.occurrence_id == occurrence.id, Reminder.state == "pending")
            .values(state="cancelled")
        )
        # Same kinds, new moments: free the unique keys before planning the moved date.
        await uow.session.execute(
            update(Reminder)
            .where(Reminder.occurrence_id == occurrence.id, Reminder.state == "cancelled")
            .values(kind=Reminder.kind + ":moved:" + str(request.id))
        )
        await uow.session.flush()
        await plan_due_reminders(uow, now, [occurrence.measure_id])
    uow.audit.add(
        at=now,
        action="extension.decide",
        person_id=reviewer.id,
        details={"request_id": request.id, "approved": approve},
    )
