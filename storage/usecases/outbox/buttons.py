"""What the buttons under a reminder act on: whether the occurrence is still open, snoozing it,
its time zone, and the sent messages that carry its report buttons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from domain.reminders.plan import CATCH_UP
from storage.models import Measure, Occurrence, Reminder, Roadmap
from storage.unit_of_work import UnitOfWork


async def is_open(uow: UnitOfWork, occurrence_id: int) -> bool:
    """Whether the occurrence still waits for its report (who may act on it: ``domain.access``)."""
    status = await uow.session.scalar(
        select(Occurrence.status).where(Occurrence.id == occurrence_id)
    )
    return status == "open"


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
