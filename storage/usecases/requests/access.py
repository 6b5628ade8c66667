"""Who may send requests (coordinators; a methodist under their own measures), and whom a
request may name one by one. Who may manage a request once sent: ``storage.usecases.access``."""

from __future__ import annotations

from sqlalchemy import or_, select

from storage.models import ROADMAP_MEASURE, Assignment, Measure, Organisation, Person
from storage.unit_of_work import UnitOfWork


async def is_methodist(uow: UnitOfWork, person: Person) -> bool:
    """A responsible person who works not at a school but at a methodical centre or the
    department: they may ask schools for things under their own measures."""
    if person.role != "responsible" or person.organisation_id is None:
        return False
    kind = await uow.session.scalar(
        select(Organisation.kind).where(Organisation.id == person.organisation_id)
    )
    return kind is not None and kind != "school"


async def own_measures(uow: UnitOfWork, person: Person) -> list[Measure]:
    """Roadmap measures assigned to the person or to their organisation."""
    mine = [Assignment.person_id == person.id]
    if person.organisation_id is not None:
        mine.append(Assignment.organisation_id == person.organisation_id)
    # By id through a subquery: PostgreSQL has no DISTINCT over the measures' JSON columns.
    assigned = select(Assignment.measure_id).where(or_(*mine))
    rows = await uow.session.scalars(
        select(Measure)
        .where(Measure.kind == ROADMAP_MEASURE, Measure.id.in_(assigned))
        .order_by(Measure.roadmap_id.desc(), Measure.position)
    )
    return list(rows)


async def may_request_under(uow: UnitOfWork, person: Person, measure_id: int | None) -> bool:
    """Coordinators: always. A methodist: under a measure assigned to them."""
    if person.role == "coordinator":
        return True
    if measure_id is None or not await is_methodist(uow, person):
        return False
    return any(measure.id == measure_id for measure in await own_measures(uow, person))


async def addressable_people(uow: UnitOfWork) -> list[tuple[int, str]]:
    """People a request may name one by one: active responsible people, «Name (organisation)»."""
    rows = await uow.session.execute(
        select(Person.id, Person.full_name, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.is_active.is_(True), Person.role == "responsible")
        .order_by(Person.full_name)
    )
    return [
        (ident, f"{name} ({organisation})" if organisation else name)
        for ident, name, organisation in rows
    ]
