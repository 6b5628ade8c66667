"""What to send when several reminders for one person and occurrence are due at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DueReminder:
    reminder_id: int
    occurrence_id: int
    person_id: int
    due_at: datetime
    kind: str = ""


def latest_per_recipient(due: Iterable[DueReminder]) -> tuple[list[DueReminder], list[DueReminder]]:
    """(to send, to skip): after downtime only the latest overdue moment is worth a message;
    a burst of stale reminders for the same deadline would only annoy."""
    latest: dict[tuple[int, int], DueReminder] = {}
    skipped: list[DueReminder] = []
    for reminder in due:
        key = (reminder.occurrence_id, reminder.person_id)
        current = latest.get(key)
        if current is None or (reminder.due_at, reminder.reminder_id) > (
            current.due_at,
            current.reminder_id,
        ):
            if current is not None:
                skipped.append(current)
            latest[key] = reminder
        else:
            skipped.append(reminder)
    return list(latest.values()), skipped
