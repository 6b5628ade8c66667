"""The coordinator's corrections to a measure: a new deadline, new responsible people.

Both re-read the text with the same rules as the import, then bring occurrences and reminders
in line, so a correction in the chat and a re-import behave alike.
"""

from __future__ import annotations

from datetime import datetime

from domain.deadlines import MonthDay, Period, Schedule, read_deadline
from domain.roadmap.responsible import read_responsible
from storage.models import Measure
from storage.unit_of_work import UnitOfWork
from storage.usecases.assignments import materialise_assignments, spec_to_json
from storage.usecases.planning import replan
from storage.usecases.roadmaps import set_schedule


async def change_deadline(
    uow: UnitOfWork, measure: Measure, text: str, *, person_id: int, now: datetime
) -> Schedule | None:
    """The schedule as read, or ``None`` if the measure's roadmap is gone."""
    roadmap = await uow.roadmaps.get(measure.roadmap_id)
    if roadmap is None:
        return None
    schedule = read_deadline(
        text,
        Period(roadmap.period_start_on, roadmap.period_end_on),
        MonthDay(roadmap.annual_due_month, roadmap.annual_due_day),
    )
    measure.deadline_text = text
    set_schedule(measure, schedule.kind.value, schedule.due, schedule.start)
    await replan(uow, now, [measure.id])
    uow.audit.add(
        at=now,
        action="measure.deadline",
        person_id=person_id,
        details={"measure_id": measure.id, "text": text},
    )
    return schedule


async def change_responsible(
    uow: UnitOfWork, measure: Measure, text: str, *, person_id: int, now: datetime
) -> None:
    measure.responsible_text = text
    measure.assignee_specs = [spec_to_json(spec) for spec in read_responsible(text)]
    await materialise_assignments(uow, measure, now)
    await replan(uow, now, [measure.id])
    uow.audit.add(
        at=now, action="measure.assignees", person_id=person_id, details={"measure_id": measure.id}
    )
