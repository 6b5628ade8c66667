"""Schools and their heads from the municipality's list, and invitations for everyone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from domain.invitations import DEFAULT_TTL
from domain.names import name_order
from domain.people_sheet import SchoolHead
from domain.roles import Role
from storage.models import Organisation, Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.assignments import reach_every_school
from storage.usecases.invitations import IssuedInvitation, issue_invitation


@dataclass(frozen=True, slots=True)
class PeopleImported:
    schools_added: int
    people_added: int
    assignments_added: int


async def import_school_heads(
    uow: UnitOfWork, heads: list[SchoolHead], *, now: datetime, imported_by_id: int | None = None
) -> PeopleImported:
    schools_before = len(await uow.organisations.list_all())
    people_added = 0
    for head in heads:
        school = await uow.organisations.get_or_add(head.school, kind="school", now=now)
        school.kind = "school"
        if head.low_results:
            school.tags = sorted({*(school.tags or []), "ШНОР"})
        person = await uow.people.find(head.full_name, school.id)
        if person is None:
            person = await uow.people.add(
                full_name=head.full_name,
                role=Role.RESPONSIBLE,
                now=now,
                organisation_id=school.id,
                position=head.position,
            )
            people_added += 1
        person.email = head.email or person.email
        person.phone = head.phone or person.phone
    assignments = sum((await reach_every_school(uow, now)).values())
    uow.audit.add(
        at=now,
        action="people.import",
        person_id=imported_by_id,
        details={"rows": len(heads), "people_added": people_added},
    )
    schools_after = len(await uow.organisations.list_all())
    return PeopleImported(schools_after - schools_before, people_added, assignments)


@dataclass(frozen=True, slots=True)
class InvitationLine:
    full_name: str
    organisation: str
    invitation: IssuedInvitation


async def invite_everyone(
    uow: UnitOfWork,
    *,
    now: datetime,
    ttl: timedelta = DEFAULT_TTL,
    created_by_id: int | None = None,
) -> list[InvitationLine]:
    """A fresh link for every active person who has not joined yet."""
    rows = await uow.session.execute(
        select(Person, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.user_address.is_(None), Person.is_active.is_(True))
    )
    lines = []
    # In the order of the schools' numbers: «СОШ № 2» before «СОШ № 10».
    ordered = sorted(
        rows.all(), key=lambda row: (name_order(row[1] or ""), name_order(row[0].full_name))
    )
    for person, organisation in ordered:
        issued = await issue_invitation(
            uow,
            full_name=person.full_name,
            role=Role(person.role),
            now=now,
            organisation=organisation,
            created_by_id=created_by_id,
            ttl=ttl,
        )
        lines.append(InvitationLine(person.full_name, organisation or "", issued))
    return lines
