"""Recording what the messenger answered about a claimed reminder: ``sent``, or ``pending``
again for a retry, or ``failed`` after too many tries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from storage.models import Reminder
from storage.unit_of_work import UnitOfWork


async def mark_sent(
    uow: UnitOfWork, reminder_id: int, message_id: int | None, now: datetime
) -> None:
    await uow.session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id)
        .values(state="sent", sent_at=now, sent_message_id=message_id, last_error=None)
    )


async def mark_retry(
    uow: UnitOfWork, reminder_id: int, at: datetime, error: str, *, max_attempts: int
) -> None:
    """Back to pending for another try at ``at``, or ``failed`` after ``max_attempts``."""
    reminder = await uow.session.get(Reminder, reminder_id)
    if reminder is None:
        return
    reminder.last_error = error[:500]
    if reminder.attempts >= max_attempts:
        reminder.state = "failed"
    else:
        reminder.state = "pending"
        reminder.due_at = at


async def mark_many_sent(
    uow: UnitOfWork, sent: list[tuple[int, int | None]], now: datetime
) -> None:
    """Record a batch of delivered reminders in one statement (by primary key)."""
    if sent:
        await uow.session.execute(
            update(Reminder),
            [
                {
                    "id": reminder_id,
                    "state": "sent",
                    "sent_at": now,
                    "sent_message_id": message_id,
                    "last_error": None,
                }
                for reminder_id, message_id in sent
            ],
        )
