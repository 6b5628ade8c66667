"""Reading everything the implementation report needs, for one roadmap, as of a day."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select, update

from domain.access import reads_every_school
from domain.names import name_order
from domain.progress import (
    AnswerRow,
    ReportLine,
    SchoolAnswer,
    Standing,
    SummaryGrid,
    on_time_share,
)
from domain.progress.names import responsible_cell
from domain.progress.report_figures import OccurrenceOutcome, ReportFigures, count_figures
from domain.roles import Role
from storage.models import (
    ROADMAP_MEASURE,
    Assignment,
    Measure,
    Occurrence,
    Person,
    Roadmap,
    Section,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.actual_results import results_of
from storage.usecases.occurrence_context import in_context, whose
from storage.usecases.progress import OccurrenceFact, fact_from_row, facts_query
from storage.usecases.roadmap_coordinators import signing_coordinator

ANSWER_BATCH = 5_000


@dataclass(frozen=True, slots=True)
class ExportScope:
    """Which answers: the window of report dates, and whose (``None``: everyone's)."""

    as_of: date
    before: datetime  # the end of ``as_of`` in the roadmap's timezone
    since: datetime | None = None
    organisation_id: int | None = None
    person_id: int | None = None  # a methodist assigned personally, with no organisation

    def restrict(self, query: Select) -> Select:  # type: ignore[type-arg]
        if self.organisation_id is not None:
            return query.where(Assignment.organisation_id == self.organisation_id)
        if self.person_id is not None:
            return query.where(Assignment.person_id == self.person_id)
        return query


def export_scope(
    as_of: date,
    timezone: ZoneInfo,
    *,
    since: date | None = None,
    reader: Person | None = None,
) -> ExportScope:
    """Reports made up to the end of ``as_of`` (from the start of ``since``), local time; a
    ``reader`` who is not a coordinator or an observer sees only their organisation (or, with none, the
    measures assigned to them by name)."""
    restrict_org = restrict_person = None
    if reader is not None and not reads_every_school(Role(reader.role)):
        if reader.organisation_id is not None:
            restrict_org = reader.organisation_id
        else:
            restrict_person = reader.id
    return ExportScope(
        as_of=as_of,
        before=datetime.combine(as_of + timedelta(days=1), time(), tzinfo=timezone),
        since=datetime.combine(since, time(), tzinfo=timezone) if since else None,
        organisation_id=restrict_org,
        person_id=restrict_person,
    )


async def report_content(
    uow: UnitOfWork, roadmap: Roadmap, scope: ExportScope
) -> tuple[list[ReportLine], SummaryGrid]:
    """«Отчет» lines (sections and measures in the document's order) and the «Свод» grid."""
    measures = list(
        await uow.session.scalars(
            select(Measure)
            .where(Measure.roadmap_id == roadmap.id, Measure.kind == ROADMAP_MEASURE)
            .order_by(Measure.position)
        )
    )
    sections = {
        section.id: section
        for section in await uow.session.scalars(
            select(Section).where(Section.roadmap_id == roadmap.id)
        )
    }
    facts = await _facts(uow, roadmap, scope)
    results = await results_of(uow, roadmap.id)
    people = await _responsible_people(uow, roadmap)
    by_measure: dict[int, list[OccurrenceFact]] = {}
    for fact in facts:
        by_measure.setdefault(fact.measure_id, []).append(fact)

    lines: list[ReportLine] = []
    grid = SummaryGrid()
    done_dates: dict[str, list[tuple[date, date | None]]] = {}
    current_section: int | None = None
    for measure in measures:
        if measure.section_id != current_section and measure.section_id in sections:
            section = sections[measure.section_id]
            lines.append(ReportLine(section=f"{section.number} {section.title}".strip()))
        current_section = measure.section_id
        mine = by_measure.get(measure.id, [])
        lines.append(
            ReportLine(
                number=measure.number,
                deadline_text=measure.deadline_text,
                title=measure.title,
                responsible=responsible_cell(
                    measure.responsible_text, people.get(measure.id) or people.get(0, [])
                ),
                planned_result=measure.result_text,
                answers=_answers(mine, scope.as_of, per_school=_for_schools(measure)),
                actual=results[measure.id].text if measure.id in results else "",
            )
        )
        if mine:
            grid.measures.append(measure.number)
        for fact in mine:
            grid.put(fact.organisation, measure.number, fact.standing(scope.as_of))
            if fact.due_on <= scope.as_of:
                done_on = (
                    fact.latest_at.date()
                    if fact.latest_at is not None and fact.latest_report == "done"
                    else None
                )
                done_dates.setdefault(fact.organisation, []).append((fact.due_on, done_on))
    for organisation in grid.rows:
        grid.on_time[organisation] = on_time_share(done_dates.get(organisation, []))
    grid.rows = dict(sorted(grid.rows.items()))
    return lines, grid


async def _responsible_people(
    uow: UnitOfWork, roadmap: Roadmap
) -> dict[int, list[tuple[str, str | None]]]:
    """Name and position of each person a measure is given to by name; under ``0``, the
    roadmap's coordinator, who answers for the measures given to bodies and schools."""
    people: dict[int, list[tuple[str, str | None]]] = {}
    rows = await uow.session.execute(
        select(Assignment.measure_id, Person.full_name, Person.position)
        .join(Person, Person.id == Assignment.person_id)
        .join(Measure, Measure.id == Assignment.measure_id)
        .where(Measure.roadmap_id == roadmap.id)
        .order_by(Assignment.id)
    )
    for measure_id, name, position in rows:
        people.setdefault(measure_id, []).append((name, position))
    coordinator = await signing_coordinator(uow, roadmap)
    if coordinator is not None:
        people[0] = [(coordinator.full_name, coordinator.position)]
    return people


async def _facts(uow: UnitOfWork, roadmap: Roadmap, scope: ExportScope) -> list[OccurrenceFact]:
    """Occurrences due by ``as_of`` or answered in the window."""
    query = facts_query(before=scope.before, since=scope.since).where(
        Measure.roadmap_id == roadmap.id,
        Measure.kind == ROADMAP_MEASURE,  # requests are answers («Ответы»), not report lines
        or_(Occurrence.due_on <= scope.as_of, StatusReport.id.is_not(None)),
    )
    rows = await uow.session.execute(scope.restrict(query).order_by(Occurrence.due_on))
    return [fact_from_row(tuple(row)) for row in rows]


def _for_schools(measure: Measure) -> bool:
    """A measure every school (or every school with a tag) carries out on its own."""
    return any(spec.get("kind") == "schools" for spec in measure.assignee_specs or [])


def _answers(
    facts: list[OccurrenceFact], as_of: date, *, per_school: bool
) -> tuple[SchoolAnswer, ...]:
    """Per organisation, its most recent occurrence: what the report says «on <date>»."""
    latest: dict[str, OccurrenceFact] = {}
    for fact in facts:  # ordered by due date
        latest[fact.organisation] = fact
    return tuple(
        SchoolAnswer(
            fact.organisation,
            fact.standing(as_of),
            fact.latest_text,
            is_school=per_school,
        )
        for fact in sorted(latest.values(), key=lambda f: name_order(f.organisation))
        if fact.standing(as_of) is not Standing.NO_ANSWER or fact.due_on <= as_of
    )


async def answer_rows(
    uow: UnitOfWork, roadmap: Roadmap, scope: ExportScope
) -> AsyncIterator[list[AnswerRow]]:
    """Every report in the window, oldest first, in batches (streamed, not held in memory)."""
    reports = select(
        StatusReport.created_at,
        Person.full_name,
        whose(),
        Measure.number,
        Measure.title,
        Occurrence.due_on,
        StatusReport.status,
        StatusReport.text,
        StatusReport.evidence_url,
        StatusReport.evidence_file_name,
        StatusReport.review,
        StatusReport.review_comment,
        StatusReport.version,
    ).join(Occurrence, Occurrence.id == StatusReport.occurrence_id)
    query = (
        in_context(reports)
        .join(Person, Person.id == StatusReport.person_id)
        .where(Measure.roadmap_id == roadmap.id, StatusReport.created_at < scope.before)
        .order_by(StatusReport.id)
        .execution_options(yield_per=ANSWER_BATCH)
    )
    if scope.since is not None:
        query = query.where(StatusReport.created_at >= scope.since)
    result = await uow.session.stream(scope.restrict(query))
    local = scope.before.tzinfo  # the coordinator reads times on their own clock
    async for batch in result.partitions(ANSWER_BATCH):
        yield [
            AnswerRow(
                created_at=row[0].astimezone(local),
                author=row[1],
                organisation=row[2] or "—",
                measure_number=row[3],
                measure_title=row[4],
                due_on=row[5],
                status=row[6],
                text=row[7],
                link=row[8],
                evidence_file=row[9],
                review=row[10],
                review_comment=row[11],
                version=row[12],
            )
            for row in batch
        ]


async def report_figures(uow: UnitOfWork, roadmap: Roadmap, scope: ExportScope) -> ReportFigures:
    """The counts the written report's summary states, from the same facts as «Отчет»."""
    measures = int(
        await uow.session.scalar(
            select(func.count(Measure.id)).where(
                Measure.roadmap_id == roadmap.id, Measure.kind == ROADMAP_MEASURE
            )
        )
        or 0
    )
    facts = await _facts(uow, roadmap, scope)
    return count_figures(
        measures,
        (
            OccurrenceOutcome(
                due_on=fact.due_on,
                latest_report=fact.latest_report,
                closed=fact.closed,
                done_on=fact.latest_at.date()
                if fact.latest_at is not None and fact.latest_report == "done"
                else None,
            )
            for fact in facts
        ),
        scope.as_of,
    )


async def set_position(uow: UnitOfWork, person_id: int, position: str) -> None:
    """The signer's position, for the signature block of the written report."""
    await uow.session.execute(
        update(Person).where(Person.id == person_id).values(position=position)
    )


async def signer_for_command_line(uow: UnitOfWork, name: str | None) -> Person | None:
    """``--signer NAME``, or the coordinator who joined first."""
    if name:
        found = await uow.people.named(name)
        return found[0] if found else None
    return await uow.session.scalar(
        select(Person)
        .where(Person.role == Role.COORDINATOR.value, Person.is_active.is_(True))
        .order_by(Person.joined_at.is_(None), Person.joined_at, Person.id)
        .limit(1)
    )
