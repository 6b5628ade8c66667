"""Open deadlines for a calendar: a person's own, or every school's for the coordinator."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from domain.progress.calendar import DeadlineEvent, one_per_measure
from domain.roles import Role
from storage.models import (
    REQUEST_MEASURE,
    Assignment,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Roadmap,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.roadmap_choice import reminded_condition
from storage.usecases.tokens import CALENDAR, issue_token, live_token_since, person_by_token


async def deadline_events(
    uow: UnitOfWork,
    person: Person | None,
    *,
    organisation: str | None = None,
    roadmap_id: int | None = None,
    today: date | None = None,
) -> list[DeadlineEvent]:
    """Open occurrences, by due date: ``person``'s own (theirs or their school's), or, with
    ``person=None``, everyone's, optionally one organisation's, optionally one roadmap's.
    Archived roadmaps (as of ``today``) remind nobody, so their deadlines are left out."""
    query = (
        select(
            Occurrence.id,
            Occurrence.due_on,
            Measure.number,
            Measure.title,
            Measure.result_text,
            Organisation.name,
            Roadmap.timezone,
            Roadmap.title,
            Measure.kind == REQUEST_MEASURE,
        )
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .join(Measure, Measure.id == Occurrence.measure_id)
        .join(Roadmap, Roadmap.id == Measure.roadmap_id)
        .outerjoin(Organisation, Organisation.id == Assignment.organisation_id)
        .where(Occurrence.status == "open")
        .order_by(Occurrence.due_on, Measure.position, Organisation.name)
    )
    if person is not None:
        mine = [Assignment.person_id == person.id]
        if person.organisation_id is not None:
            mine.append(Assignment.organisation_id == person.organisation_id)
        query = query.where(or_(*mine))
    if organisation is not None:
        query = query.where(Organisation.name == organisation)
    if roadmap_id is not None:
        query = query.where(Measure.roadmap_id == roadmap_id)
    if today is not None:
        query = query.where(reminded_condition(today))
    rows = await uow.session.execute(query)
    return [DeadlineEvent(*row) for row in rows]


async def calendar_token(
    uow: UnitOfWork, person: Person, *, now: datetime, ttl: timedelta, renew: bool = False
) -> str | None:
    """A new subscription token when the person has none that works (or ``renew``: every URL
    handed out before stops working); ``None`` while the one handed out still works, since
    only its digest is kept and it cannot be shown again."""
    if not renew and await live_token_since(uow, person.id, CALENDAR, now) is not None:
        return None
    return await issue_token(uow, person.id, CALENDAR, now=now, ttl=ttl, revoke_others=True)


async def person_by_calendar_token(uow: UnitOfWork, token: str, now: datetime) -> Person | None:
    return await person_by_token(uow, token, CALENDAR, now)


async def calendar_of(
    uow: UnitOfWork, person: Person, *, organisation: str | None = None, today: date | None = None
) -> list[DeadlineEvent]:
    """What a person's calendar holds: a coordinator's, every school's (one school's with
    ``organisation``); anyone else's, their own. Every roadmap not archived, each event
    naming its roadmap."""
    if person.role == Role.COORDINATOR.value:
        events = await deadline_events(uow, None, organisation=organisation, today=today)
        return events if organisation is not None else one_per_measure(events)
    return await deadline_events(uow, person, today=today)
