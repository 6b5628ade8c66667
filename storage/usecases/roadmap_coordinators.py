"""Who answers for each roadmap when a department runs several and has more than one
coordinator: the reports, requests' answers, deadline questions and the weekly digest of a
roadmap go to its coordinators. A roadmap with none named (or none still active) is every
coordinator's, so a department of one coordinator never has to name anybody."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select

from domain.roles import Role
from storage.models import Person, Roadmap, RoadmapCoordinator
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class CoordinatorChoice:
    """An active coordinator, and whether they are named for the roadmap in question."""

    person_id: int
    full_name: str
    named: bool


async def active_coordinators(uow: UnitOfWork) -> list[Person]:
    """Every active coordinator, in the order they joined (the first one signs by default)."""
    rows = await uow.session.scalars(
        select(Person)
        .where(Person.role == Role.COORDINATOR.value, Person.is_active.is_(True))
        .order_by(Person.joined_at.is_(None), Person.joined_at, Person.id)
    )
    return list(rows)


async def named_coordinator_ids(uow: UnitOfWork) -> dict[int, set[int]]:
    """Roadmap id → the active coordinators named for it; roadmaps with none are left out."""
    rows = await uow.session.execute(
        select(RoadmapCoordinator.roadmap_id, RoadmapCoordinator.person_id)
        .join(Person, Person.id == RoadmapCoordinator.person_id)
        .where(Person.role == Role.COORDINATOR.value, Person.is_active.is_(True))
    )
    named: dict[int, set[int]] = {}
    for roadmap_id, person_id in rows:
        named.setdefault(roadmap_id, set()).add(person_id)
    return named


async def coordinators_for(uow: UnitOfWork, roadmap_id: int | None) -> list[Person]:
    """The active coordinators who answer for ``roadmap_id``: those named for it, or every
    coordinator when nobody is (or ``roadmap_id`` is None: something of no one roadmap)."""
    everyone = await active_coordinators(uow)
    if roadmap_id is None:
        return everyone
    named = (await named_coordinator_ids(uow)).get(roadmap_id)
    if not named:
        return everyone
    return [person for person in everyone if person.id in named]


async def roadmaps_of(uow: UnitOfWork, person_id: int) -> set[int] | None:
    """The roadmaps a coordinator answers for; None when they answer for every one (nobody is
    named for any roadmap, or they are named for every roadmap that names somebody)."""
    named = await named_coordinator_ids(uow)
    if not any(person_id not in ids for ids in named.values()):
        return None
    all_ids = set(await uow.session.scalars(select(Roadmap.id)))
    return {rid for rid in all_ids if rid not in named or person_id in named[rid]}


async def coordinator_choices(uow: UnitOfWork, roadmap_id: int) -> list[CoordinatorChoice]:
    named = (await named_coordinator_ids(uow)).get(roadmap_id, set())
    return [
        CoordinatorChoice(person.id, person.full_name, person.id in named)
        for person in await active_coordinators(uow)
    ]


async def name_coordinators(uow: UnitOfWork, roadmap_id: int, person_ids: Iterable[int]) -> None:
    """Name exactly these people the roadmap's coordinators; none: every coordinator's again.
    The caller has checked they are active coordinators, audits and commits."""
    await uow.session.execute(
        delete(RoadmapCoordinator).where(RoadmapCoordinator.roadmap_id == roadmap_id)
    )
    for person_id in sorted(set(person_ids)):
        uow.session.add(RoadmapCoordinator(roadmap_id=roadmap_id, person_id=person_id))
    await uow.session.flush()


async def signing_coordinator(uow: UnitOfWork, roadmap: Roadmap) -> Person | None:
    """Who signs the roadmap's report: the one set on the roadmap, else its first coordinator."""
    if roadmap.coordinator_id:
        chosen = await uow.session.get(Person, roadmap.coordinator_id)
        if chosen is not None:
            return chosen
    found = await coordinators_for(uow, roadmap.id)
    return found[0] if found else None
