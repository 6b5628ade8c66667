"""What the buttons under a reminder act on: whether someone is among the occurrence's
recipients, snoozing it, its time zone, and the sent messages that carry its report buttons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from domain.reminders.plan import CATCH_UP
from storage.models import Assignment, Measure, Occurrence, Organisation, Person, Reminder, Roadmap
from storage.unit_of_work import UnitOfWork


async def is_recipient(uow: UnitOfWork, occurrence_id: int, person: Person) -> bool:
    """Whether ``person`` is among those reminded about this occurrence."""
    row = await uow.session.execute(
        select(Assignment.person_id, Assignment.organisation_id, Organisation.id)
        .join(Occurrence, Occurrence.assignment_id == Assignment.id)
        .outerjoin(Organisation, Organisation.id == Assignment.organisation_id)
        .where(Occurrence.id == occurrence_id, Occurrence.status == "open")
    )
    found = row.first()
    if found is None:
        return False
    person_id, organisation_id, _org = found
    return person_id == person.id or (
        organisation_id is not None and organisation_id == person.organisation_id
    )


async def snooze(
    uow: UnitOfWork, occurrence_id: int, person_id: int, until: datetime, now: datetime
) -> None:
    """Nothing more about this occurrence until ``until``, then one reminder."""
    await uow.session.execute(
        update(Reminder)
        .where(
            Reminder.occurrence_id == occurrence_id,
            Reminder.person_id == person_id,
            Reminder.state == "pending",
            Reminder.due_at < until,
        )
        .values(state="snoozed")
    )
    uow.session.add(
        Reminder(
            occurrence_id=occurrence_id,
            person_id=person_id,
            kind=f"snooze:{int(until.timestamp())}",
            due_at=until,
            state="pending",
            attempts=0,
        )
    )
    uow.audit.add(
        at=now,
        action="reminder.snooze",
        person_id=person_id,
        details={"occurrence_id": occurrence_id, "until": until.isoformat()},
    )


async def occurrence_timezone(uow: UnitOfWork, occurrence_id: int) -> str | None:
    return await uow.session.scalar(
        select(Roadmap.timezone)
        .join(Measure, Measure.roadmap_id == Roadmap.id)
        .join(Occurrence, Occurrence.measure_id == Measure.id)
        .where(Occurrence.id == occurrence_id)
    )


async def reminder_message_ids(uow: UnitOfWork, occurrence_id: int, person_id: int) -> list[int]:
    """The chat messages of this person's reminders about one occurrence that carry its report
    buttons (summaries list several measures and keep theirs)."""
    rows = await uow.session.scalars(
        select(Reminder.sent_message_id).where(
            Reminder.occurrence_id == occurrence_id,
            Reminder.person_id == person_id,
            Reminder.state == "sent",
            Reminder.sent_message_id.is_not(None),
            Reminder.kind.not_like(CATCH_UP + "%"),
        )
    )
    return [message_id for message_id in rows if message_id is not None]
