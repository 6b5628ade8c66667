"""From who the roadmap names (specs) to assignments of people and organisations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, select

from domain.person_names import same_person
from domain.roadmap.draft import AssigneeKind, AssigneeSpec
from domain.roles import Role
from storage.models import Assignment, Measure, Occurrence, Organisation, Person, StatusReport
from storage.unit_of_work import UnitOfWork
from storage.usecases.organisations import find_body


def spec_to_json(spec: AssigneeSpec) -> dict[str, str]:
    return {
        "kind": spec.kind.value,
        "text": spec.text,
        "name": spec.name,
        "position": spec.position,
        "tag": spec.tag,
        "capacity": spec.capacity,
    }


def spec_from_json(data: dict[str, str]) -> AssigneeSpec:
    return AssigneeSpec(
        kind=AssigneeKind(data["kind"]),
        text=data.get("text", ""),
        name=data.get("name", ""),
        position=data.get("position", ""),
        tag=data.get("tag", ""),
        capacity=data.get("capacity", "responsible"),
    )


Targets = dict[AssigneeSpec, list[tuple[int | None, int | None]]]


async def materialise_assignments(
    uow: UnitOfWork,
    measure: Measure,
    now: datetime,
    *,
    known: Targets | None = None,
    new: bool = False,
) -> int:
    """Make the measure's assignments match its specs; returns how many were added.

    An assignment that is no longer named is removed only if nobody has reported on it yet:
    re-importing an amended roadmap never loses a collected report.

    An import passes ``known``, the targets of the specs already met (a roadmap names the same
    few people and bodies hundreds of times), and ``new`` for a measure it has just added (it
    has no assignments yet): on SQLite the import holds the write lock while it runs, so every
    query it saves is time the bot does not wait.
    """
    wanted: dict[tuple[int | None, int | None], str] = {}
    for spec in (spec_from_json(s) for s in measure.assignee_specs or []):
        targets = known.get(spec) if known is not None else None
        if targets is None:
            targets = await _targets(uow, spec, now)
            if known is not None:
                known[spec] = targets
        for key in targets:
            wanted.setdefault(key, spec.capacity)
    existing = (
        {}
        if new
        else {
            (a.person_id, a.organisation_id): a for a in await uow.roadmaps.assignments(measure.id)
        }
    )
    added = 0
    for key, capacity in wanted.items():
        if key not in existing:
            uow.session.add(
                Assignment(
                    measure_id=measure.id,
                    person_id=key[0],
                    organisation_id=key[1],
                    capacity=capacity,
                )
            )
            added += 1
    for key, assignment in existing.items():
        if key not in wanted and not await _has_reports(uow, assignment.id):
            await uow.session.execute(delete(Assignment).where(Assignment.id == assignment.id))
    if known is None:
        await uow.session.flush()
    return added


async def _targets(
    uow: UnitOfWork, spec: AssigneeSpec, now: datetime
) -> list[tuple[int | None, int | None]]:
    if spec.kind is AssigneeKind.PERSON:
        person = await _person_named(uow, spec, now)
        return [(person.id, None)]
    if spec.kind is AssigneeKind.BODY:
        body = await find_body(uow, spec.name or spec.text, now)
        return [(None, body.id)]
    if spec.kind is AssigneeKind.SCHOOLS:
        schools = await uow.session.scalars(
            select(Organisation).where(Organisation.kind == "school").order_by(Organisation.id)
        )
        return [(None, s.id) for s in schools if not spec.tag or spec.tag in (s.tags or [])]
    return []  # unmapped text stays in the specs, listed for the coordinator


async def _person_named(uow: UnitOfWork, spec: AssigneeSpec, now: datetime) -> Person:
    person = await uow.people.find(spec.name, None) or await _known_as(uow, spec.name)
    if person is None:
        person = await uow.people.add(
            full_name=spec.name, role=Role.RESPONSIBLE, now=now, position=spec.position or None
        )
    return person


async def _known_as(uow: UnitOfWork, written: str) -> Person | None:
    """The one active person «Парилов С.В.» stands for («Парилов Сергей Викторович», at the
    department or anywhere): a department measure given to a named methodist reaches them.
    Two people it could be: nobody is guessed."""
    surname = written.replace(".", ". ").split()
    candidates = [
        person
        for word in surname
        if len(word) > 2 and not word.endswith(".")
        for person in await uow.session.scalars(
            select(Person).where(
                Person.is_active.is_(True),
                Person.name_key.startswith(word.lower().replace("ё", "е") + " ", autoescape=True),
            )
        )
        if same_person(written, person.full_name)
    ]
    return candidates[0] if len(candidates) == 1 else None


async def _has_reports(uow: UnitOfWork, assignment_id: int) -> bool:
    query = select(
        exists().where(
            StatusReport.occurrence_id == Occurrence.id, Occurrence.assignment_id == assignment_id
        )
    )
    return bool(await uow.session.scalar(query))


async def reach_every_school(uow: UnitOfWork, now: datetime) -> dict[int, int]:
    """Measures given to «every school» reach schools added since the import (a schools list,
    an invitation naming a new school). Returns assignments added, by measure."""
    await uow.session.flush()
    added: dict[int, int] = {}
    for measure in await uow.session.scalars(select(Measure).order_by(Measure.id)):
        if not any(spec.get("kind") == "schools" for spec in measure.assignee_specs or []):
            continue
        if count := await materialise_assignments(uow, measure, now):
            added[measure.id] = count
    return added
