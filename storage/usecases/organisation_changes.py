"""The coordinator renames an organisation or merges two that are one: its people,
assignments, reports and history go with it, and its old name stays known as an alias."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select, update

from domain.organisations.names import plain
from storage.keys import name_key
from storage.models import (
    Assignment,
    ExtensionRequest,
    Occurrence,
    Organisation,
    OrganisationAlias,
    Person,
    Reminder,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.organisations import add_alias

# When two merged organisations are of different kinds, the merged one is the weightier.
_KIND_WEIGHT = {"department": 3, "school": 2, "body": 1}


class NameTakenError(Exception):
    """Another organisation already has this name: merge them instead."""


@dataclass(frozen=True, slots=True)
class MergeResult:
    kept: str
    merged: str
    assignments_moved: int
    reports_moved: int
    # Occurrences both organisations had reported on: every report is kept, the later current.
    both_reported: list[int] = field(default_factory=list)


async def rename_organisation(
    uow: UnitOfWork, organisation_id: int, new_name: str, *, by_id: int | None, now: datetime
) -> Organisation | None:
    """The new name, and the old one kept as an alias (a roadmap may still write it)."""
    organisation = await uow.organisations.get(organisation_id)
    name = " ".join(new_name.split())
    if organisation is None or not name:
        return None
    other = await uow.organisations.get_by_name(name)
    if other is not None and other.id != organisation.id:
        raise NameTakenError(name)
    old = organisation.name
    await uow.session.execute(delete(OrganisationAlias).where(OrganisationAlias.key == plain(name)))
    organisation.name = name
    organisation.name_key = name_key(name)
    await uow.session.flush()
    await add_alias(uow, organisation, old, now)
    uow.audit.add(
        at=now,
        action="organisation.rename",
        person_id=by_id,
        details={"organisation_id": organisation.id},
    )
    return organisation


async def merge_organisations(
    uow: UnitOfWork, keep_id: int, gone_id: int, *, by_id: int | None, now: datetime
) -> MergeResult | None:
    """Merge ``gone_id`` into ``keep_id``. ``None``: one of them does not exist, or they are
    the same."""
    keep = await uow.organisations.get(keep_id)
    gone = await uow.organisations.get(gone_id)
    if keep is None or gone is None or keep.id == gone.id:
        return None
    await uow.session.execute(
        update(Person).where(Person.organisation_id == gone.id).values(organisation_id=keep.id)
    )
    await uow.session.execute(
        update(OrganisationAlias)
        .where(OrganisationAlias.organisation_id == gone.id)
        .values(organisation_id=keep.id)
    )
    moved = reports = 0
    both: list[int] = []
    kept_assignments = {
        a.measure_id: a
        for a in await uow.session.scalars(
            select(Assignment).where(Assignment.organisation_id == keep.id)
        )
    }
    for assignment in list(
        await uow.session.scalars(select(Assignment).where(Assignment.organisation_id == gone.id))
    ):
        twin = kept_assignments.get(assignment.measure_id)
        if twin is None:
            assignment.organisation_id = keep.id
            moved += 1
            continue
        count, reported = await _join_occurrences(uow, assignment.id, twin.id)
        reports += count
        both.extend(reported)
        await uow.session.flush()
        await uow.session.execute(delete(Assignment).where(Assignment.id == assignment.id))
    if _KIND_WEIGHT.get(gone.kind, 0) > _KIND_WEIGHT.get(keep.kind, 0):
        keep.kind = gone.kind
    keep.tags = sorted(set(keep.tags or []) | set(gone.tags or [])) or None
    gone_name = gone.name
    await uow.session.flush()
    await uow.session.delete(gone)
    await uow.session.flush()
    await add_alias(uow, keep, gone_name, now)
    uow.audit.add(
        at=now,
        action="organisation.merge",
        person_id=by_id,
        details={
            "kept_id": keep.id,
            "merged_id": gone_id,
            "assignments_moved": moved,
            "reports_moved": reports,
            "both_reported": both,
        },
    )
    return MergeResult(keep.name, gone_name, moved, reports, both)


async def _join_occurrences(
    uow: UnitOfWork, from_assignment: int, to_assignment: int
) -> tuple[int, list[int]]:
    """Both organisations had the measure: each dated occurrence moves over, or, where the kept
    one has the same date, its reports join the kept one's (the later report is current: the
    newest id, and the versions are counted again in order)."""
    kept = {
        o.due_on: o
        for o in await uow.session.scalars(
            select(Occurrence).where(Occurrence.assignment_id == to_assignment)
        )
    }
    moved_reports = 0
    both: list[int] = []
    for occurrence in list(
        await uow.session.scalars(
            select(Occurrence).where(Occurrence.assignment_id == from_assignment)
        )
    ):
        twin = kept.get(occurrence.due_on)
        if twin is None:
            occurrence.assignment_id = to_assignment
            continue
        theirs = list(
            await uow.session.scalars(
                select(StatusReport).where(StatusReport.occurrence_id == occurrence.id)
            )
        )
        ours = list(
            await uow.session.scalars(
                select(StatusReport).where(StatusReport.occurrence_id == twin.id)
            )
        )
        if theirs and ours:
            both.append(twin.id)
        for report in theirs:
            report.occurrence_id = twin.id
        moved_reports += len(theirs)
        for version, report in enumerate(sorted([*ours, *theirs], key=lambda r: r.id), 1):
            report.version = version
        if twin.status == "open" and occurrence.status == "closed":
            twin.status, twin.closed_at = occurrence.status, occurrence.closed_at
            twin.closed_by_id = occurrence.closed_by_id
        await uow.session.execute(
            update(ExtensionRequest)
            .where(ExtensionRequest.occurrence_id == occurrence.id)
            .values(occurrence_id=twin.id)
        )
        await uow.session.flush()
        await uow.session.execute(delete(Reminder).where(Reminder.occurrence_id == occurrence.id))
        await uow.session.execute(delete(Occurrence).where(Occurrence.id == occurrence.id))
    return moved_reports, both
