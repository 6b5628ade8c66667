"""People who change: a school's head replaced, a deputy added, someone deactivated, a
coordinator added or the role handed over. Each checks first (domain.school_staff) and writes
nothing when refused; the caller commits once. Audit rows carry ids only."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from domain.invitations import DEFAULT_TTL
from domain.names import name_order
from domain.roles import Role
from domain.school_staff import Reminded, StaffChangeError, StaffProblem
from storage.keys import name_key
from storage.models import (
    AccessToken,
    Assignment,
    Invitation,
    Occurrence,
    Organisation,
    Person,
    Reminder,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import IssuedInvitation, issue_invitation
from storage.usecases.planning import plan_due_reminders, recipients_by_organisation


async def school_named(uow: UnitOfWork, name: str) -> Organisation:
    school = await uow.organisations.get_by_name(name.strip())
    if school is None or school.kind != "school":
        raise StaffChangeError(StaffProblem.NO_SCHOOL, name.strip())
    return school


async def schools(uow: UnitOfWork) -> list[Organisation]:
    """In the order of their numbers: «СОШ № 2» before «СОШ № 10»."""
    found = await uow.session.scalars(select(Organisation).where(Organisation.kind == "school"))
    return sorted(found, key=lambda school: name_order(school.name))


async def heads_of(uow: UnitOfWork, school_id: int) -> list[Person]:
    """The school's active head (more than one only if a list named two)."""
    return list(
        await uow.session.scalars(
            select(Person)
            .where(
                Person.organisation_id == school_id,
                Person.role == Role.RESPONSIBLE.value,
                Person.is_active.is_(True),
                Person.deputy.is_(False),
            )
            .order_by(Person.id)
        )
    )


async def _school_headed_by(uow: UnitOfWork, full_name: str, except_id: int) -> str | None:
    """The other school this person heads, if they head one."""
    return await uow.session.scalar(
        select(Organisation.name)
        .join(Person, Person.organisation_id == Organisation.id)
        .where(
            Person.name_key == name_key(full_name),
            Person.role == Role.RESPONSIBLE.value,
            Person.is_active.is_(True),
            Person.deputy.is_(False),
            Organisation.kind == "school",
            Organisation.id != except_id,
        )
        .limit(1)
    )


async def deactivate(uow: UnitOfWork, person: Person, *, now: datetime, by_id: int | None) -> None:
    """The person can no longer do anything: their messenger accounts are strangers' at the
    next press (the access rule reads ``is_active``), their unused invitations and their
    calendar and unsubscribe links stop working, their pending reminders are not sent. What
    they reported stays their school's."""
    if person.role == Role.COORDINATOR.value and person.is_active:
        others = await uow.session.scalar(
            select(func.count(Person.id)).where(
                Person.role == Role.COORDINATOR.value,
                Person.is_active.is_(True),
                Person.id != person.id,
            )
        )
        if not others:
            raise StaffChangeError(StaffProblem.LAST_COORDINATOR)
    person.is_active = False
    await uow.session.execute(
        update(Invitation)
        .where(
            Invitation.person_id == person.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    await uow.session.execute(
        update(AccessToken)
        .where(AccessToken.person_id == person.id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await uow.session.execute(
        update(Reminder)
        .where(Reminder.person_id == person.id, Reminder.state == "pending")
        .values(state="cancelled")
    )
    uow.audit.add(at=now, action="people.deactivate", person_id=by_id, details={"id": person.id})


@dataclass(frozen=True, slots=True)
class HeadReplaced:
    school: str
    old_names: list[str]
    new_person_id: int
    invitation: IssuedInvitation | None  # None: a deputy who had joined became the head


async def replace_head(
    uow: UnitOfWork,
    *,
    school_name: str,
    full_name: str,
    now: datetime,
    by_id: int | None,
    email: str | None = None,
    phone: str | None = None,
    ttl: timedelta = DEFAULT_TTL,
) -> HeadReplaced:
    """The school's head is now ``full_name``: the old head is deactivated, the new one is
    invited (or, a deputy of the school already, becomes its head). Reports, assignments and
    history belong to the school, so nothing of them moves."""
    full_name = " ".join(full_name.split())
    school = await school_named(uow, school_name)
    if other := await _school_headed_by(uow, full_name, school.id):
        raise StaffChangeError(StaffProblem.HEADS_ANOTHER_SCHOOL, other)
    old = await heads_of(uow, school.id)
    if any(head.name_key == name_key(full_name) for head in old):
        raise StaffChangeError(StaffProblem.ALREADY_HEAD, school.name)
    for head in old:
        await deactivate(uow, head, now=now, by_id=by_id)
    existing = await uow.people.find(full_name, school.id)
    invitation = None
    if existing is not None and existing.is_active and existing.user_address is not None:
        person = existing  # a deputy who joined: the head from now on
    else:
        invitation = await issue_invitation(
            uow,
            full_name=full_name,
            role=Role.RESPONSIBLE,
            now=now,
            organisation=school.name,
            created_by_id=by_id,
            ttl=ttl,
        )
        found = await uow.people.get(invitation.person_id)
        assert found is not None
        person = found
    person.deputy = False
    person.is_active = True
    person.role = Role.RESPONSIBLE.value
    person.email = email or person.email
    person.phone = phone or person.phone
    uow.audit.add(
        at=now,
        action="people.replace_head",
        person_id=by_id,
        details={"school": school.id, "old": [h.id for h in old], "new": person.id},
    )
    await plan_due_reminders(uow, now)  # a deputy made head may now be the one reminded
    return HeadReplaced(school.name, [h.full_name for h in old], person.id, invitation)


async def add_deputy(
    uow: UnitOfWork,
    *,
    school_name: str,
    full_name: str,
    now: datetime,
    by_id: int | None,
    email: str | None = None,
    phone: str | None = None,
    ttl: timedelta = DEFAULT_TTL,
) -> IssuedInvitation:
    """A deputy (зам. по УВР) who reports for the school as its head does."""
    full_name = " ".join(full_name.split())
    school = await school_named(uow, school_name)
    if other := await _school_headed_by(uow, full_name, school.id):
        raise StaffChangeError(StaffProblem.HEADS_ANOTHER_SCHOOL, other)
    if any(head.name_key == name_key(full_name) for head in await heads_of(uow, school.id)):
        raise StaffChangeError(StaffProblem.ALREADY_HEAD, school.name)
    invitation = await issue_invitation(
        uow,
        full_name=full_name,
        role=Role.RESPONSIBLE,
        now=now,
        organisation=school.name,
        position="заместитель руководителя",
        created_by_id=by_id,
        ttl=ttl,
    )
    person = await uow.people.get(invitation.person_id)
    assert person is not None
    person.deputy = True
    person.is_active = True
    person.email = email or person.email
    person.phone = phone or person.phone
    uow.audit.add(
        at=now,
        action="people.add_deputy",
        person_id=by_id,
        details={"school": school.id, "deputy": person.id},
    )
    return invitation


async def set_reminded(
    uow: UnitOfWork, *, school_name: str, choice: Reminded, now: datetime, by_id: int | None
) -> None:
    """Who of the school's staff its reminders go to from now on: those no longer chosen have
    their pending reminders for the school's deadlines cancelled, the newly chosen get theirs."""
    school = await school_named(uow, school_name)
    school.reminded = choice.value
    await uow.session.flush()
    staff = list(
        await uow.session.scalars(
            select(Person.id).where(
                Person.organisation_id == school.id, Person.role == Role.RESPONSIBLE.value
            )
        )
    )
    chosen = (await recipients_by_organisation(uow)).get(school.id, [])
    open_occurrences = (
        select(Occurrence.id)
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .where(Assignment.organisation_id == school.id, Occurrence.status == "open")
    )
    dropped = [person_id for person_id in staff if person_id not in chosen]
    await uow.session.execute(
        update(Reminder)
        .where(
            Reminder.person_id.in_(dropped),
            Reminder.state == "pending",
            Reminder.occurrence_id.in_(open_occurrences),
        )
        .values(state="cancelled")
    )
    # Rows cancelled by an earlier choice keep their keys: the chosen get them back.
    await uow.session.execute(
        update(Reminder)
        .where(
            Reminder.person_id.in_(chosen),
            Reminder.state == "cancelled",
            Reminder.due_at > now,
            Reminder.occurrence_id.in_(open_occurrences),
        )
        .values(state="pending")
    )
    await plan_due_reminders(uow, now)
    uow.audit.add(
        at=now,
        action="people.reminded",
        person_id=by_id,
        details={"school": school.id, "choice": choice.value},
    )


async def add_coordinator(
    uow: UnitOfWork,
    *,
    full_name: str,
    organisation: str | None,
    now: datetime,
    by_id: int | None,
    email: str | None = None,
    phone: str | None = None,
    ttl: timedelta = DEFAULT_TTL,
) -> IssuedInvitation | None:
    """A second coordinator: an invitation with the coordinator's role. Someone of that name at
    the organisation who is in the bot already (a methodist) becomes a coordinator at once,
    with no invitation (``None``): a link for a person who joined would be refused."""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise StaffChangeError(StaffProblem.NO_PERSON)
    known = await uow.organisations.get_by_name(organisation) if organisation else None
    existing = await uow.people.find(full_name, known.id if known else None)
    if existing is not None and existing.is_active and existing.role == Role.COORDINATOR.value:
        raise StaffChangeError(StaffProblem.ALREADY_COORDINATOR, existing.full_name)
    invitation = None
    if existing is not None and existing.is_active and existing.user_address is not None:
        person = existing
    else:
        invitation = await issue_invitation(
            uow,
            full_name=full_name,
            role=Role.COORDINATOR,
            now=now,
            organisation=organisation,
            created_by_id=by_id,
            ttl=ttl,
        )
        found = await uow.people.get(invitation.person_id)
        assert found is not None
        person = found
    # An invitation keeps the role of a person it finds: someone listed before (a methodist
    # not yet joined, or someone deactivated) joins as a coordinator all the same.
    person.role = Role.COORDINATOR.value
    person.is_active = True
    person.email = email or person.email
    person.phone = phone or person.phone
    uow.audit.add(
        at=now,
        action="people.add_coordinator",
        person_id=by_id,
        details={"coordinator": person.id},
    )
    if invitation is None:
        await plan_due_reminders(uow, now)  # the department's measures are theirs now
        return None
    return dataclasses.replace(invitation, role=Role.COORDINATOR)


@dataclass(frozen=True, slots=True)
class Successor:
    """Whom the coordinator's role would pass to: someone in the bot already (``person_id``),
    who takes it at once, or a name to invite."""

    full_name: str
    person_id: int | None


async def successor_of(
    uow: UnitOfWork, from_person: Person, full_name: str, *, keep_someone: bool = False
) -> Successor:
    """What handing the role over to ``full_name`` would do, or why it is refused.
    ``keep_someone``: refuse a successor who must still join when nobody else coordinates
    (the chat asks it; the command line, which can always invite again, does not)."""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise StaffChangeError(StaffProblem.NO_PERSON)
    if name_key(full_name) == from_person.name_key:
        raise StaffChangeError(StaffProblem.SAME_PERSON)
    existing = await uow.people.find(full_name, from_person.organisation_id)
    if existing is not None and existing.is_active and existing.user_address is not None:
        return Successor(existing.full_name, existing.id)
    if keep_someone:
        others = await uow.session.scalar(
            select(func.count(Person.id)).where(
                Person.role == Role.COORDINATOR.value,
                Person.is_active.is_(True),
                Person.user_address.is_not(None),
                Person.id != from_person.id,
            )
        )
        if not others:
            raise StaffChangeError(StaffProblem.NOBODY_LEFT, full_name)
    return Successor(full_name, None)


async def hand_over(
    uow: UnitOfWork,
    *,
    from_person: Person,
    full_name: str,
    now: datetime,
    ttl: timedelta = DEFAULT_TTL,
    keep_someone: bool = False,
) -> IssuedInvitation | None:
    """The coordinator's role passes to ``full_name`` (of the same organisation): an active
    person of that name who joined becomes the coordinator at once, anyone else is invited as
    one. The one who handed it over stays as an observer, so they still read the digest; an
    observer reports on nothing, so their pending reminders are cancelled."""
    successor = await successor_of(uow, from_person, full_name, keep_someone=keep_someone)
    invitation = None
    if successor.person_id is not None:
        existing = await uow.people.get(successor.person_id)
        assert existing is not None
        existing.role = Role.COORDINATOR.value
        successor_id = existing.id
    else:
        organisation = (
            await uow.organisations.get(from_person.organisation_id)
            if from_person.organisation_id
            else None
        )
        invitation = await issue_invitation(
            uow,
            full_name=successor.full_name,
            role=Role.COORDINATOR,
            now=now,
            organisation=organisation.name if organisation else None,
            created_by_id=from_person.id,
            ttl=ttl,
        )
        invited = await uow.people.get(invitation.person_id)
        assert invited is not None
        invited.role = Role.COORDINATOR.value
        invited.is_active = True
        successor_id = invited.id
        invitation = dataclasses.replace(invitation, role=Role.COORDINATOR)
    from_person.role = Role.OBSERVER.value
    await uow.session.execute(
        update(Reminder)
        .where(Reminder.person_id == from_person.id, Reminder.state == "pending")
        .values(state="cancelled")
    )
    await plan_due_reminders(uow, now)  # a successor in the bot gets the department's
    uow.audit.add(
        at=now,
        action="people.hand_over",
        person_id=from_person.id,
        details={"successor": successor_id},
    )
    return invitation
