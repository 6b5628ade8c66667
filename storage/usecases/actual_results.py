"""«Фактический результат»: the coordinator's one text per measure for column 6 of the official
report, its draft from the schools' accepted answers, and the report's typed sections.

A save names the version it edited and is one conditional statement (an insert that yields on a
conflict, or ``UPDATE … WHERE version = :seen``): of two coordinators editing the same measure
at once, the later one changes nothing and is told who saved first
(docs/decisions/decisions-once.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import (
    ROADMAP_MEASURE,
    ActualResult,
    Measure,
    Occurrence,
    Person,
    ReportNotes,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.occurrence_context import in_context, whose

# A cell of column 6 a reader can take in; a longer text is refused, never cut.
MAX_ACTUAL_RESULT = 4000
MAX_NOTE = 20_000  # a typed section of the report: a few pages
NOTE_SECTIONS = ("explanatory", "conclusions")  # «Пояснительная записка», «Выводы и предложения»


@dataclass(frozen=True, slots=True)
class SavedText:
    text: str
    version: int  # 0: nothing written yet
    by: str | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    saved: bool
    current: SavedText  # after the save, or, when it lost, what the other coordinator saved


async def current_result(uow: UnitOfWork, measure_id: int) -> SavedText:
    row = (
        await uow.session.execute(
            select(
                ActualResult.text, ActualResult.version, Person.full_name, ActualResult.updated_at
            )
            .outerjoin(Person, Person.id == ActualResult.updated_by_id)
            .where(ActualResult.measure_id == measure_id)
        )
    ).first()
    if row is None:
        return SavedText("", 0)
    return SavedText(row[0], row[1], row[2], row[3])


async def save_result(
    uow: UnitOfWork,
    measure_id: int,
    text: str,
    *,
    seen_version: int,
    person_id: int | None,
    now: datetime,
) -> SaveOutcome:
    """Write ``text`` if the result is still at ``seen_version``; the caller commits."""
    values = {"text": text, "updated_by_id": person_id, "updated_at": now}
    if seen_version == 0:
        dialect: Any = postgresql if uow.session.get_bind().dialect.name == "postgresql" else sqlite
        written = await uow.session.scalar(
            dialect.insert(ActualResult)
            .values(measure_id=measure_id, version=1, **values)
            .on_conflict_do_nothing(index_elements=[ActualResult.measure_id])
            .returning(ActualResult.measure_id)
        )
        saved = written is not None
    else:
        written = await uow.session.scalar(
            update(ActualResult)
            .where(ActualResult.measure_id == measure_id, ActualResult.version == seen_version)
            .values(version=seen_version + 1, **values)
            .returning(ActualResult.measure_id)
        )
        saved = written is not None
    return SaveOutcome(saved, await current_result(uow, measure_id))


async def results_of(uow: UnitOfWork, roadmap_id: int) -> dict[int, SavedText]:
    """Every written result of a roadmap, by measure id."""
    rows = await uow.session.execute(
        select(ActualResult.measure_id, ActualResult.text, ActualResult.version)
        .join(Measure, Measure.id == ActualResult.measure_id)
        .where(Measure.roadmap_id == roadmap_id)
    )
    return {measure_id: SavedText(text, version) for measure_id, text, version in rows}


async def draft_from_answers(uow: UnitOfWork, measure_id: int) -> str:
    """One line per school from its latest accepted answer: what it did and its evidence.
    Standings («Просрочено», «Нет ответа») are never part of it: a school with no accepted
    answer is simply not named."""
    rows = await uow.session.execute(
        in_context(
            select(
                whose(),
                StatusReport.text,
                StatusReport.evidence_file_name,
                StatusReport.evidence_url,
            ).join(Occurrence, Occurrence.id == StatusReport.occurrence_id)
        )
        .where(Occurrence.measure_id == measure_id, StatusReport.review == "accepted")
        .order_by(StatusReport.id)
    )
    latest: dict[str, tuple[str, str | None, str | None]] = {}
    for name, text, file_name, url in rows:
        latest[name or "—"] = (text or "", file_name, url)
    return "\n".join(
        draft_line(name, text, (file_name, url))
        for name, (text, file_name, url) in sorted(latest.items())
    )


def draft_line(name: str, text: str, evidence: Iterable[str | None]) -> str:
    said = " ".join(text.split()).rstrip(".")
    shown = [item for item in evidence if item]
    tail = f" ({'; '.join(shown)})" if shown else ""
    return f"{name}: {said}{tail}." if said else f"{name}{tail}."


async def roadmap_measures(uow: UnitOfWork, roadmap_id: int) -> list[Measure]:
    return list(
        await uow.session.scalars(
            select(Measure)
            .where(Measure.roadmap_id == roadmap_id, Measure.kind == ROADMAP_MEASURE)
            .order_by(Measure.position)
        )
    )


async def report_notes(uow: UnitOfWork, roadmap_id: int, year: int) -> tuple[str, str]:
    """«Пояснительная записка» and «Выводы и предложения» for the report of ``year``."""
    notes = await uow.session.get(ReportNotes, (roadmap_id, year))
    return (notes.explanatory, notes.conclusions) if notes else ("", "")


def _columns(section: str) -> tuple[Any, Any, Any, Any]:
    """A section's text, version, author and time columns; ``section``: one of NOTE_SECTIONS."""
    if section not in NOTE_SECTIONS:
        raise ValueError(section)
    return (
        getattr(ReportNotes, section),
        getattr(ReportNotes, f"{section}_version"),
        getattr(ReportNotes, f"{section}_by_id"),
        getattr(ReportNotes, f"{section}_at"),
    )


async def current_note(uow: UnitOfWork, roadmap_id: int, year: int, section: str) -> SavedText:
    """One typed section of the report of ``year``, as ``current_result`` gives a measure's."""
    text, version, by_id, at = _columns(section)
    row = (
        await uow.session.execute(
            select(text, version, Person.full_name, at)
            .outerjoin(Person, Person.id == by_id)
            .where(ReportNotes.roadmap_id == roadmap_id, ReportNotes.year == year)
        )
    ).first()
    if row is None:
        return SavedText("", 0)
    return SavedText(row[0], row[1], row[2], row[3])


async def save_note(
    uow: UnitOfWork,
    roadmap_id: int,
    year: int,
    section: str,
    text: str,
    *,
    seen_version: int,
    person_id: int | None,
    now: datetime,
) -> SaveOutcome:
    """Write one section if it is still at ``seen_version`` (an empty text leaves the section
    out); the caller commits. The other section is never touched."""
    column, version, by_id, at = _columns(section)
    values = {column.key: text, by_id.key: person_id, at.key: now, "updated_at": now}
    written = None
    if seen_version == 0:  # perhaps no row yet for this roadmap and year
        dialect: Any = postgresql if uow.session.get_bind().dialect.name == "postgresql" else sqlite
        empty = {"explanatory": "", "conclusions": ""}
        written = await uow.session.scalar(
            dialect.insert(ReportNotes)
            .values(roadmap_id=roadmap_id, year=year, **{**empty, **values, version.key: 1})
            .on_conflict_do_nothing(index_elements=[ReportNotes.roadmap_id, ReportNotes.year])
            .returning(ReportNotes.roadmap_id)
        )
    if written is None:  # the row is there: the section changes only if still as seen
        written = await uow.session.scalar(
            update(ReportNotes)
            .where(
                ReportNotes.roadmap_id == roadmap_id,
                ReportNotes.year == year,
                version == seen_version,
            )
            .values({**values, version.key: seen_version + 1})
            .returning(ReportNotes.roadmap_id)
            .execution_options(synchronize_session=False)
        )
    return SaveOutcome(written is not None, await current_note(uow, roadmap_id, year, section))


async def set_report_notes(
    uow: UnitOfWork,
    roadmap_id: int,
    year: int,
    *,
    explanatory: str | None,
    conclusions: str | None,
    now: datetime,
) -> None:
    """Set either section (``None`` keeps it; an empty text leaves the section out), whatever
    its version: the command line's word is the last. A coordinator editing it in the chat
    meanwhile is told when she saves."""
    for section, text in (("explanatory", explanatory), ("conclusions", conclusions)):
        if text is None:
            continue
        seen = await current_note(uow, roadmap_id, year, section)
        await save_note(
            uow, roadmap_id, year, section, text, seen_version=seen.version, person_id=None, now=now
        )
