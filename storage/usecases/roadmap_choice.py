"""Several roadmaps at once: the list people choose from, archiving and restoring one, and the
condition the reminders use to leave archived roadmaps alone."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select

from domain.roadmap.archive import (
    ARCHIVED,
    RoadmapEntry,
    choice_to_archive,
    choice_to_restore,
    is_archived,
    ordered,
)
from storage.models import REQUEST_MEASURE, Measure, Roadmap
from storage.unit_of_work import UnitOfWork


def archived_condition(today: date) -> ColumnElement[bool]:
    """SQL for :func:`domain.roadmap.archive.is_archived` over the ``roadmaps`` table. Never
    NULL (a NULL choice compared would make the whole condition NULL, and its negation drop
    every roadmap that follows its period)."""
    choice = func.coalesce(Roadmap.archive_choice, "")
    return or_(choice == ARCHIVED, and_(choice == "", Roadmap.period_end_on < today))


def entry_of(roadmap: Roadmap, today: date, number: int = 0) -> RoadmapEntry:
    return RoadmapEntry(
        number,
        roadmap.id,
        roadmap.title,
        roadmap.period_start_on,
        roadmap.period_end_on,
        is_archived(roadmap.archive_choice, roadmap.period_end_on, today),
    )


def reminded_condition(today: date) -> ColumnElement[bool]:
    """Whose occurrences are reminded of: every measure of a roadmap not archived, and every
    request (a request sent today is live, whichever roadmap holds it)."""
    return or_(Measure.kind == REQUEST_MEASURE, ~archived_condition(today))


async def roadmap_entries(uow: UnitOfWork, today: date) -> list[RoadmapEntry]:
    """Every roadmap of the department, active first, numbered as every list shows them. A
    roadmap that holds only the department's requests (no measure of an approved plan) is no
    roadmap to choose."""
    with_plan_measures = select(Measure.roadmap_id).where(Measure.kind != REQUEST_MEASURE)
    roadmaps = await uow.session.scalars(select(Roadmap).where(Roadmap.id.in_(with_plan_measures)))
    return ordered([entry_of(r, today) for r in roadmaps])


async def active_roadmaps(uow: UnitOfWork, today: date) -> list[RoadmapEntry]:
    """The roadmaps not archived by ``today``, in list order: more than one, and lists that
    span roadmaps group their lines under each one's title."""
    return [entry for entry in await roadmap_entries(uow, today) if not entry.archived]


async def set_archived(
    uow: UnitOfWork, roadmap_id: int, *, archived: bool, today: date
) -> Roadmap | None:
    """Archive or restore; ``None`` when there is no such roadmap. The caller commits."""
    roadmap = await uow.roadmaps.get(roadmap_id)
    if roadmap is None:
        return None
    roadmap.archive_choice = (
        choice_to_archive() if archived else choice_to_restore(roadmap.period_end_on, today)
    )
    await uow.session.flush()
    return roadmap


async def archived_title(uow: UnitOfWork, measure_id: int, today: date) -> str | None:
    """The title of the roadmap a measure belongs to when that roadmap is archived by
    ``today``, for a button shown before it was: reports on it are no longer taken. ``None``
    for a measure of an active roadmap, and for a request (live whichever roadmap holds it)."""
    found = await uow.session.scalar(
        select(Roadmap.title)
        .join(Measure, Measure.roadmap_id == Roadmap.id)
        .where(Measure.id == measure_id, ~reminded_condition(today))
    )
    return None if found is None else str(found)
