"""«Напомнить опаздывающим сейчас»: a reminder to everyone whose deadline has passed without a
report, at once. Each is written as a catch-up, so the outbox sends each person one summary
of all they owe, within each messenger's limits, and holds it for the sending window when
pressed at night or on a day off. Pressed twice in a day, it adds nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from domain.reminders.plan import CATCH_UP
from storage.bulk import insert_ignoring_duplicates
from storage.models import Assignment, Occurrence, Reminder
from storage.unit_of_work import UnitOfWork
from storage.usecases.planning import joined_people, recipients_by_organisation


async def remind_late_now(uow: UnitOfWork, *, today: date, now: datetime) -> tuple[int, int]:
    """Reminders written, and the people they go to."""
    late = await uow.session.execute(
        select(Occurrence.id, Assignment.person_id, Assignment.organisation_id)
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .where(Occurrence.status == "open", Occurrence.due_on < today)
    )
    joined = await joined_people(uow)
    by_organisation = await recipients_by_organisation(uow)
    kind = f"{CATCH_UP}now:{today:%Y%m%d}"
    rows: list[dict[str, Any]] = []
    for occurrence_id, person_id, organisation_id in late:
        people = (
            [person_id] if person_id in joined else by_organisation.get(organisation_id or 0, [])
        )
        rows.extend(
            {
                "occurrence_id": occurrence_id,
                "person_id": person,
                "kind": kind,
                "due_at": now,
                "state": "pending",
                "attempts": 0,
            }
            for person in people
        )
    written = await insert_ignoring_duplicates(uow.session, Reminder.__table__, rows)  # type: ignore[arg-type]
    return written, len({row["person_id"] for row in rows})
