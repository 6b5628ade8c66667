"""Saving an imported roadmap: all of it or nothing, updating an earlier import by number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.organisations.matching import Answers
from domain.roadmap.draft import MeasureDraft, RoadmapDraft
from storage.models import Measure, Roadmap, Section
from storage.unit_of_work import UnitOfWork
from storage.usecases.assignments import Targets, materialise_assignments, spec_to_json
from storage.usecases.indicator_collection import propose_collections
from storage.usecases.indicators import save_indicators
from storage.usecases.organisations import body_texts, settle_organisations


@dataclass(frozen=True, slots=True)
class SavedRoadmap:
    roadmap_id: int
    created: bool
    measures_added: int
    measures_updated: int
    measures_kept: int  # in the database but no longer in the document: kept, with their reports
    assignments_added: int
    measure_ids: list[int]
    indicators_added: int = 0
    indicators_updated: int = 0
    organisations_created: tuple[str, ...] = ()


async def save_roadmap(
    uow: UnitOfWork,
    draft: RoadmapDraft,
    *,
    now: datetime,
    timezone: str,
    imported_by_id: int | None = None,
    organisation_answers: Answers | None = None,
) -> SavedRoadmap:
    """``organisation_answers``: what the coordinator said to the preview's «is this that
    organisation?»; a question left unanswered (the command line asks none) makes a new one."""
    details = draft.details
    roadmap = await uow.roadmaps.find_same(details.title, details.order_number, details.order_date)
    created = roadmap is None
    if roadmap is None:
        roadmap = Roadmap(created_at=now, timezone=timezone)
        uow.session.add(roadmap)
    roadmap.title = details.title or "—"
    roadmap.order_number = details.order_number
    roadmap.order_on = details.order_date
    roadmap.issuer = details.issuer or roadmap.issuer
    roadmap.period_start_on = draft.period.start
    roadmap.period_end_on = draft.period.end
    if details.annual_due is not None:
        roadmap.annual_due_month = details.annual_due.month
        roadmap.annual_due_day = details.annual_due.day
    await uow.session.flush()

    sections = await _save_sections(uow, roadmap.id, draft)
    existing = {m.number: m for m in await uow.roadmaps.measures(roadmap.id)}
    added = updated = assignments = 0
    # Every measure first, in one flush (one statement for all the new ones), then their
    # assignments: on SQLite the import holds the write lock throughout, and the bot waits.
    measures: list[tuple[Measure, bool]] = []
    for position, draft_measure in enumerate(draft.measures):
        measure = existing.pop(draft_measure.number, None)
        if measure is None:
            measure = Measure(roadmap_id=roadmap.id, number=draft_measure.number)
            uow.session.add(measure)
            added += 1
        else:
            updated += 1
        _fill(measure, draft_measure, position, sections)
        measures.append((measure, measure.id is None))
    await uow.session.flush()
    created_organisations = await settle_organisations(
        uow, body_texts(draft), organisation_answers or {}, now
    )
    known: Targets = {}
    for measure, new in measures:
        assignments += await materialise_assignments(uow, measure, now, known=known, new=new)
    await uow.session.flush()
    measure_ids = [measure.id for measure, _new in measures]

    indicators = await save_indicators(uow, roadmap.id, draft.indicators)
    await propose_collections(uow, roadmap.id)  # each indicator's rule, for the coordinator
    uow.audit.add(
        at=now,
        action="roadmap.import",
        person_id=imported_by_id,
        details={
            "roadmap_id": roadmap.id,
            "added": added,
            "updated": updated,
            "indicators_added": indicators.added,
            "indicators_updated": indicators.updated,
        },
    )
    return SavedRoadmap(
        roadmap.id,
        created,
        added,
        updated,
        len(existing),
        assignments,
        measure_ids,
        indicators.added,
        indicators.updated,
        tuple(created_organisations),
    )


async def _save_sections(uow: UnitOfWork, roadmap_id: int, draft: RoadmapDraft) -> dict[str, int]:
    existing = {s.number: s for s in await uow.roadmaps.sections(roadmap_id)}
    ids: dict[str, int] = {}
    for position, draft_section in enumerate(draft.sections):
        section = existing.get(draft_section.number)
        if section is None:
            section = Section(roadmap_id=roadmap_id, number=draft_section.number)
            uow.session.add(section)
        section.title = draft_section.title
        section.position = position
        await uow.session.flush()
        ids[draft_section.number] = section.id
    return ids


def _fill(measure: Measure, draft: MeasureDraft, position: int, sections: dict[str, int]) -> None:
    measure.section_id = sections.get(draft.section) if draft.section else None
    measure.position = position
    measure.title = draft.title
    measure.deadline_text = draft.deadline_text
    set_schedule(measure, draft.schedule.kind.value, draft.schedule.due, draft.schedule.start)
    measure.responsible_text = draft.responsible_text
    measure.result_text = draft.result
    measure.control_text = draft.control
    measure.from_order = draft.from_order
    measure.assignee_specs = [spec_to_json(spec) for spec in draft.assignees]


def set_schedule(measure: Measure, kind: str, due: tuple[date, ...], start: date | None) -> None:
    measure.schedule_kind = kind
    measure.schedule_due = [day.isoformat() for day in due]
    measure.schedule_start_on = start
