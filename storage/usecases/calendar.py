"""Open deadlines for a calendar: a person's own, or every school's for the coordinator."""

from __future__ import annotations

import secrets

from sqlalchemy import or_, select, update

from domain.progress.calendar import DeadlineEvent
from domain.roles import Role
from storage.models import Assignment, Measure, Occurrence, Organisation, Person, Roadmap
from storage.unit_of_work import UnitOfWork


async def deadline_events(
    uow: UnitOfWork, person: Person | None, *, organisation: str | None = None
) -> list[DeadlineEvent]:
    """Open occurrences, by due date: ``person``'s own (theirs or their school's), or, with
    ``person=None``, everyone's, optionally one organisation's."""
    query = (
        select(
            Occurrence.id,
            Occurrence.due_on,
            Measure.number,
            Measure.title,
            Measure.result_text,
            Organisation.name,
            Roadmap.timezone,
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
    rows = await uow.session.execute(query)
    return [DeadlineEvent(*row) for row in rows]


async def calendar_token(uow: UnitOfWork, person: Person, *, renew: bool = False) -> str:
    """The person's subscription token, made on first use; ``renew`` replaces it, so every URL
    handed out before stops working."""
    if person.calendar_token and not renew:
        return person.calendar_token
    token = secrets.token_urlsafe(32)  # 256 bits: not guessable, not enumerable
    await uow.session.execute(
        update(Person).where(Person.id == person.id).values(calendar_token=token)
    )
    person.calendar_token = token
    return token


async def person_by_calendar_token(uow: UnitOfWork, token: str) -> Person | None:
    if not token or len(token) > 64:
        return None
    return await uow.session.scalar(
        select(Person).where(Person.calendar_token == token, Person.is_active.is_(True))
    )


async def calendar_of(
    uow: UnitOfWork, person: Person, *, organisation: str | None = None
) -> list[DeadlineEvent]:
    """What a person's calendar holds: a coordinator's, every school's (one school's with
    ``organisation``); anyone else's, their own."""
    if person.role == Role.COORDINATOR.value:
        return await deadline_events(uow, None, organisation=organisation)
    return await deadline_events(uow, person)
