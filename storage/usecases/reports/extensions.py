"""Requests to move a deadline: a school head asks; a coordinator approves (the occurrence moves
and its reminders are planned anew) or rejects."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update

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
