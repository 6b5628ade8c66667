"""«Принять все»: every answer on a measure (a request rides on one) that the coordinator was
shown as awaiting review, accepted in one conditional update.

The button carries the measure and the newest report it showed (``upto``); the update takes
only reports no newer than that, still pending and still their occurrence's latest version.
So a second press, or a press after a new answer came in, accepts nothing that was not shown
(docs/decisions/decisions-once.md); a coordinator deciding one of them at the same moment
wins or loses that one report as with a single «Принять»."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, select, update
from sqlalchemy.orm import aliased

from storage.models import (
    Assignment,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Request,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.reports.saving import stop_reminders


@dataclass(frozen=True, slots=True)
class Pending:
    """What a screen shows as awaiting review: how many, and the newest report among them."""

    count: int
    upto: int


def _latest_pending(measure_id: int, upto: int | None = None) -> list[ColumnElement[bool]]:
    newer = aliased(StatusReport)
    conditions = [
        StatusReport.review == "pending",
        StatusReport.occurrence_id.in_(
            select(Occurrence.id).where(Occurrence.measure_id == measure_id)
        ),
        ~exists().where(
            newer.occurrence_id == StatusReport.occurrence_id, newer.id > StatusReport.id
        ),
    ]
    if upto is not None:
        conditions.append(StatusReport.id <= upto)
    return conditions


async def pending_answers(uow: UnitOfWork, measure_id: int) -> Pending | None:
    row = (
        await uow.session.execute(
            select(func.count(StatusReport.id), func.max(StatusReport.id)).where(
                *_latest_pending(measure_id)
            )
        )
    ).one()
    return Pending(row[0], row[1]) if row[0] else None


@dataclass(frozen=True, slots=True)
class ShownAnswer:
    """One answer a screen showed as awaiting review, with what a form's check needs."""

    report_id: int
    status: str
    evidence_sha256: str | None
    evidence_file_name: str | None
    addressee: str  # the school (or the person) it answers for


async def shown_answers(uow: UnitOfWork, measure_id: int, upto: int) -> list[ShownAnswer]:
    """What «Принять все» would accept, by school: pending, still current, no newer than
    ``upto``."""
    rows = await uow.session.execute(
        select(
            StatusReport.id,
            StatusReport.status,
            StatusReport.evidence_sha256,
            StatusReport.evidence_file_name,
            func.coalesce(Organisation.short_name, Organisation.name, Person.full_name, ""),
        )
        .join(Occurrence, Occurrence.id == StatusReport.occurrence_id)
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .outerjoin(Organisation, Organisation.id == Assignment.organisation_id)
        .outerjoin(Person, Person.id == Assignment.person_id)
        .where(*_latest_pending(measure_id, upto))
        .order_by(Organisation.name, Person.full_name, StatusReport.id)
    )
    return [ShownAnswer(*row) for row in rows]


async def request_measure(uow: UnitOfWork, request_id: int) -> int | None:
    return await uow.session.scalar(select(Request.measure_id).where(Request.id == request_id))


async def spreadsheet_form(uow: UnitOfWork, measure_id: int) -> tuple[str, str] | None:
    """The form (name, SHA-256) of the request riding on ``measure_id``, when it is a
    spreadsheet whose filled copies the bot checks; ``None`` for a measure or any other form."""
    row = (
        await uow.session.execute(
            select(Request.form_name, Request.form_sha256).where(Request.measure_id == measure_id)
        )
    ).first()
    if row is None or not row[0] or not row[1] or not row[0].lower().endswith(".xlsx"):
        return None
    return row[0], row[1]


@dataclass(frozen=True, slots=True)
class AcceptedAnswer:
    """Whom to thank: the author's chat and language, and the measure's number."""

    author_chat: int | None
    author_locale: str | None
    measure_number: str


async def accept_all(
    uow: UnitOfWork,
    *,
    measure_id: int,
    upto: int,
    reviewer: Person,
    now: datetime,
    only: Collection[int] | None = None,
) -> list[AcceptedAnswer]:
    """Accept what was shown; the rest (newer, decided, replaced) is left as it is. ``only``:
    of those, these reports alone (a request's answers whose forms passed the check)."""
    conditions = _latest_pending(measure_id, upto)
    if only is not None:
        if not only:
            return []
        conditions.append(StatusReport.id.in_(list(only)))
    occurrences = select(Occurrence.id).where(Occurrence.measure_id == measure_id)
    await uow.session.execute(occurrences.with_for_update())
    accepted = (
        await uow.session.execute(
            update(StatusReport)
            .where(*conditions)
            .values(review="accepted", reviewed_by_id=reviewer.id, reviewed_at=now)
            .returning(StatusReport.id, StatusReport.occurrence_id, StatusReport.person_id)
            .execution_options(synchronize_session=False)
        )
    ).all()
    if not accepted:
        return []
    occurrence_ids = [occurrence_id for _id, occurrence_id, _author in accepted]
    await uow.session.execute(
        update(Occurrence)
        .where(Occurrence.id.in_(occurrence_ids))
        .values(status="closed", closed_at=func.coalesce(Occurrence.closed_at, now))
        .execution_options(synchronize_session=False)
    )
    for occurrence_id in occurrence_ids:
        await stop_reminders(uow, occurrence_id)
    uow.audit.add(
        at=now,
        action="report.accept_all",
        person_id=reviewer.id,
        details={"measure_id": measure_id, "reports": [report for report, _o, _a in accepted]},
    )
    number = await uow.session.scalar(select(Measure.number).where(Measure.id == measure_id))
    authors = {
        person_id: (chat, locale)
        for person_id, chat, locale in await uow.session.execute(
            select(Person.id, Person.chat_address, Person.locale).where(
                Person.id.in_([author for _r, _o, author in accepted])
            )
        )
    }
    return [
        AcceptedAnswer(*authors.get(author, (None, None)), measure_number=number or "")
        for _r, _o, author in accepted
    ]
