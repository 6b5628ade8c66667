"""Requests to move a deadline: a school head asks; a coordinator approves (the occurrence moves
and its reminders are planned anew) or rejects, once: a second coordinator learns who decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from storage.models import ExtensionRequest, Occurrence, Person, Reminder
from storage.unit_of_work import UnitOfWork
from storage.usecases.planning import plan_due_reminders
from storage.usecases.reports.reportable import OccurrenceView


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


@dataclass(frozen=True, slots=True)
class ExtensionDecided:
    """What became of a request to move a deadline, for whoever decides it second."""

    approved: bool
    decider: str
    at: datetime


async def extension_decided(uow: UnitOfWork, request_id: int) -> ExtensionDecided | None:
    row = (
        await uow.session.execute(
            select(ExtensionRequest.state, Person.full_name, ExtensionRequest.decided_at)
            .join(Person, Person.id == ExtensionRequest.decided_by_id)
            .where(ExtensionRequest.id == request_id, ExtensionRequest.state != "pending")
        )
    ).first()
    if row is None or row.decided_at is None:
        return None
    return ExtensionDecided(row.state == "approved", row.full_name, row.decided_at)


async def decide_extension(
    uow: UnitOfWork, request_id: int, reviewer: Person, *, approve: bool, now: datetime
) -> ExtensionRequest | None:
    """Approve (the occurrence moves, its reminders are planned anew) or reject.

    One conditional update decides: only a request still pending changes, so of two
    coordinators deciding at once exactly one goes on to move the deadline, in the same
    transaction; the other gets ``None`` and has changed nothing."""
    decided = await uow.session.execute(
        update(ExtensionRequest)
        .where(ExtensionRequest.id == request_id, ExtensionRequest.state == "pending")
        .values(
            state="approved" if approve else "rejected", decided_by_id=reviewer.id, decided_at=now
        )
        .execution_options(synchronize_session=False)
    )
    if decided.rowcount != 1:  # type: ignore[attr-defined]
        return None
    request = await uow.session.get(ExtensionRequest, request_id, populate_existing=True)
    assert request is not None
    if approve:
        measure_id = await uow.session.scalar(
            update(Occurrence)
            .where(Occurrence.id == request.occurrence_id)
            .values(due_on=request.requested_on)
            .returning(Occurrence.measure_id)
            .execution_options(synchronize_session=False)
        )
        await uow.session.execute(
            update(Reminder)
            .where(Reminder.occurrence_id == request.occurrence_id, Reminder.state == "pending")
            .values(state="cancelled")
        )
        # Same kinds, new moments: free the unique keys before planning the moved date.
        await uow.session.execute(
            update(Reminder)
            .where(Reminder.occurrence_id == request.occurrence_id, Reminder.state == "cancelled")
            .values(kind=Reminder.kind + ":moved:" + str(request.id))
        )
        await uow.session.flush()
        assert measure_id is not None
        await plan_due_reminders(uow, now, [measure_id])
    uow.audit.add(
        at=now,
        action="extension.decide",
        person_id=reviewer.id,
        details={"request_id": request.id, "approved": approve},
    )
    return request
