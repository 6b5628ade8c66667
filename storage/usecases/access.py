"""The facts ``domain.access`` decides on, loaded for one person and one object: who holds an
occurrence, who sent a request. Every handler that acts on an occurrence, a report, an
extension or a request asks here first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from domain.access import Act, Actor, Holder, may_act
from domain.roles import Role
from storage.models import Assignment, Occurrence, Person, Request
from storage.unit_of_work import UnitOfWork
from storage.usecases.requests.access import is_methodist


async def actor_of(uow: UnitOfWork, person: Person | None) -> Actor | None:
    """The person as the database has them now. ``person`` may come from the identity cache,
    which sees a change made by another replica or the command line only when it expires: a
    head made an observer there must not report meanwhile, so role, school and whether they
    are active are read again here."""
    if person is None:
        return None
    now = (
        await uow.session.execute(
            select(Person.role, Person.organisation_id, Person.is_active).where(
                Person.id == person.id
            )
        )
    ).first()
    if now is None or not now.is_active:
        return None
    methodist = await is_methodist(uow, person)
    return Actor(person.id, Role(now.role), now.organisation_id, methodist)


def out_of_the_chat(person: type[Person] | Any = Person) -> ColumnElement[bool]:
    """Someone the chat cannot reach: never joined, left, or blocked the bot. A measure given
    to them by name is reminded to, and reported by, their organisation's people instead."""
    return or_(
        person.chat_address.is_(None),
        person.is_active.is_(False),
        person.unreachable_since_at.is_not(None),
    )


async def occurrence_holder(uow: UnitOfWork, occurrence_id: int) -> Holder | None:
    row = (
        await uow.session.execute(
            select(
                Assignment.person_id,
                Assignment.organisation_id,
                Person.organisation_id.label("stand_in_organisation_id"),
            )
            .join(Occurrence, Occurrence.assignment_id == Assignment.id)
            .outerjoin(Person, and_(Person.id == Assignment.person_id, out_of_the_chat()))
            .where(Occurrence.id == occurrence_id)
        )
    ).first()
    if row is None:
        return None
    return Holder(row.person_id, row.organisation_id or row.stand_in_organisation_id)


async def request_holder(uow: UnitOfWork, request_id: int) -> Holder | None:
    row = (
        await uow.session.execute(select(Request.created_by_id).where(Request.id == request_id))
    ).first()
    return Holder(row.created_by_id) if row is not None else None


async def may_act_on_occurrence(uow: UnitOfWork, person: Person | None, occurrence_id: int) -> bool:
    """Report on it, ask to move its deadline, snooze its reminders, fetch its form."""
    actor = await actor_of(uow, person)
    if actor is None:
        return False
    return may_act(actor, Act.REPORT, await occurrence_holder(uow, occurrence_id))


async def may_decide(uow: UnitOfWork, person: Person | None) -> bool:
    """Accept or return a report, approve or reject a new deadline: whoever's they are."""
    return may_act(await actor_of(uow, person), Act.REVIEW, Holder(None))


async def may_manage_request(uow: UnitOfWork, person: Person | None, request_id: int) -> bool:
    actor = await actor_of(uow, person)
    if actor is None:
        return False
    return may_act(actor, Act.MANAGE_REQUEST, await request_holder(uow, request_id))
