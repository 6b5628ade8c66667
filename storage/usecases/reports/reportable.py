"""What a person may report on: their occurrences still open, or reported but not yet accepted,
and the choices /report offers of them (an archived roadmap's measures are no longer offered)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import func, or_, select, true
from sqlalchemy.sql.selectable import ScalarSelect

from domain.access import may_report_at_all
from domain.roles import Role
from storage.models import (
    REQUEST_MEASURE,
    Assignment,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Roadmap,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.access import out_of_the_chat
from storage.usecases.roadmap_choice import reminded_condition

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
    roadmap_id: int  # a department may run several roadmaps: /my and /report group by it
    roadmap_title: str
    request: bool  # a coordinator's request, not a measure of an approved plan


def _mine(person: Person):  # type: ignore[no-untyped-def]
    conditions = [Assignment.person_id == person.id]
    if person.organisation_id is not None:
        conditions.append(Assignment.organisation_id == person.organisation_id)
        # Given by name to a colleague the chat cannot reach: theirs to report in the stead.
        colleagues_away = select(Person.id).where(
            Person.organisation_id == person.organisation_id, out_of_the_chat()
        )
        conditions.append(Assignment.person_id.in_(colleagues_away))
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
    uow: UnitOfWork,
    person: Person,
    *,
    limit: int = 30,
    occurrence_id: int | None = None,
    today: date | None = None,
) -> list[OccurrenceView]:
    """What this person may report on: open, or reported but not yet accepted. Nothing for a
    role that never reports: an observer belongs to her school but does not report for it.
    With ``today``, what is offered today: an archived roadmap's measures left out, as its
    reminders are (a request is live whichever roadmap holds it)."""
    if not may_report_at_all(Role(person.role)):
        return []
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
            Measure.roadmap_id,
            Roadmap.title,
            Measure.kind == REQUEST_MEASURE,
        )
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .join(Measure, Measure.id == Occurrence.measure_id)
        .join(Roadmap, Roadmap.id == Measure.roadmap_id)
        .outerjoin(Organisation, Organisation.id == Assignment.organisation_id)
        .outerjoin(StatusReport, StatusReport.id == _latest_report_id())
        .where(
            _mine(person),
            Occurrence.status.in_(("open", "closed")),
            or_(StatusReport.review.is_(None), StatusReport.review != "accepted"),
            Occurrence.id == occurrence_id if occurrence_id is not None else true(),
            reminded_condition(today) if today is not None else true(),
        )
        .order_by(Occurrence.due_on, Measure.position)
        .limit(limit)
    )
    return [OccurrenceView(*cast(tuple[Any, ...], row)) for row in rows]


async def reporting_choices(
    uow: UnitOfWork, person: Person, today: date, *, limit: int = 500
) -> list[OccurrenceView]:
    """What /report offers: every overdue occurrence and, of each measure, only the next one
    still ahead; a yearly measure is one button, not one per year of the roadmap. Nothing of a
    roadmap archived by ``today``."""
    chosen: list[OccurrenceView] = []
    ahead: set[int] = set()  # by measure, not number: two roadmaps may both have a «1.1»
    for item in await my_occurrences(uow, person, limit=limit, today=today):  # by due date
        if item.due_on < today:
            chosen.append(item)
        elif item.measure_id not in ahead:
            ahead.add(item.measure_id)
            chosen.append(item)
    return chosen


async def reportable(uow: UnitOfWork, occurrence_id: int, person: Person) -> OccurrenceView | None:
    """The occurrence, if ``person`` is responsible for it and its report is not accepted yet."""
    found = await my_occurrences(uow, person, limit=1, occurrence_id=occurrence_id)
    return found[0] if found else None
