"""The schools late with a report today, with their head's phone and e-mail: whom to call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from domain.roles import Role
from storage.models import Assignment, Occurrence, Organisation, Person
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class LateSchool:
    school: str
    overdue: int  # deadlines passed without a report
    heads: list[tuple[str, str | None, str | None]]  # name, phone, e-mail


async def late_schools(uow: UnitOfWork, today: date) -> list[LateSchool]:
    rows = await uow.session.execute(
        select(Organisation.id, Organisation.name, func.count(Occurrence.id))
        .join(Assignment, Assignment.organisation_id == Organisation.id)
        .join(Occurrence, Occurrence.assignment_id == Assignment.id)
        .where(
            Organisation.kind == "school",
            Occurrence.status == "open",
            Occurrence.due_on < today,
        )
        .group_by(Organisation.id, Organisation.name)
        .order_by(func.count(Occurrence.id).desc(), Organisation.name)
    )
    late = rows.all()
    heads = await uow.session.execute(
        select(Person.organisation_id, Person.full_name, Person.phone, Person.email)
        .where(
            Person.organisation_id.in_([school_id for school_id, _name, _count in late]),
            Person.role == Role.RESPONSIBLE.value,
            Person.is_active.is_(True),
            Person.deputy.is_(False),
        )
        .order_by(Person.id)
    )
    by_school: dict[int, list[tuple[str, str | None, str | None]]] = {}
    for school_id, name, phone, email in heads:
        assert school_id is not None  # chosen by their school above
        by_school.setdefault(school_id, []).append((name, phone, email))
    return [
        LateSchool(name, count, by_school.get(school_id, [])) for school_id, name, count in late
    ]
