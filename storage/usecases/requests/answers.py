"""Following requests: who has answered each and who has not, the answers gathered for the
merged workbook, and the request an occurrence answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from domain.names import name_order
from storage.models import (
    Assignment,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Request,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class RequestStanding:
    request_id: int
    number: str
    text: str
    due_on: date
    form_name: str | None
    answered: int
    total: int
    missing: list[str]  # who has not answered, by name


async def open_requests(
    uow: UnitOfWork, *, sent_by: int | None = None, roadmap_ids: set[int] | None = None
) -> list[RequestStanding]:
    """Every open request, or (``sent_by``) those one person sent, or (``roadmap_ids``) those
    made under these roadmaps."""
    condition = Request.state == "open"
    if sent_by is not None:
        condition = condition & (Request.created_by_id == sent_by)
    if roadmap_ids is not None:
        condition = condition & Measure.roadmap_id.in_(roadmap_ids)
    return await _standings(uow, condition)


async def requests_under(uow: UnitOfWork, measure_id: int) -> list[RequestStanding]:
    """Every request made under a roadmap measure, withdrawn ones included, oldest first."""
    return await _standings(uow, Request.parent_measure_id == measure_id)


async def _standings(uow: UnitOfWork, condition: Any) -> list[RequestStanding]:
    requests = list(
        await uow.session.execute(
            select(Request, Measure.number)
            .join(Measure, Measure.id == Request.measure_id)
            .where(condition)
            .order_by(Request.due_on, Request.id)
        )
    )
    standings = []
    for request, number in requests:
        answered, missing = await _answered(uow, request.measure_id)
        standings.append(
            RequestStanding(
                request.id,
                number,
                request.text,
                request.due_on,
                request.form_name,
                len(answered),
                len(answered) + len(missing),
                missing,
            )
        )
    return standings


async def _answered(uow: UnitOfWork, measure_id: int) -> tuple[dict[str, StatusReport], list[str]]:
    """Each addressee's latest «done» report (by name), and the names of the rest."""
    rows = await uow.session.execute(
        select(Occurrence.id, Organisation.name, Person.full_name)
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .outerjoin(Organisation, Organisation.id == Assignment.organisation_id)
        .outerjoin(Person, Person.id == Assignment.person_id)
        .where(Occurrence.measure_id == measure_id, Occurrence.status != "cancelled")
    )
    # In the order of the schools' numbers: «СОШ № 2» before «СОШ № 10».
    names = {
        occurrence: organisation or person or "—"
        for occurrence, organisation, person in sorted(
            rows.all(), key=lambda row: (name_order(row[1] or ""), name_order(row[2] or ""))
        )
    }
    latest: dict[int, StatusReport] = {}
    for report in await uow.session.scalars(
        select(StatusReport)
        .where(StatusReport.occurrence_id.in_(list(names)))
        .order_by(StatusReport.id)
    ):
        latest[report.occurrence_id] = report  # the later answer replaces the earlier
    answered = {
        names[occurrence]: report
        for occurrence, report in latest.items()
        if report.status == "done" and report.review != "returned"
    }
    missing = [name for occurrence, name in names.items() if name not in answered]
    return answered, missing


@dataclass(frozen=True, slots=True)
class CollectedAnswers:
    request_id: int
    number: str
    text: str
    form_name: str | None
    form_sha256: str | None
    answers: list[tuple[str, str]]  # (organisation, sha256 of its checked file)
    missing: list[str]


async def collect_answers(uow: UnitOfWork, request_id: int) -> CollectedAnswers | None:
    row = (
        await uow.session.execute(
            select(Request, Measure.number)
            .join(Measure, Measure.id == Request.measure_id)
            .where(Request.id == request_id)
        )
    ).first()
    if row is None:
        return None
    request, number = row
    answered, missing = await _answered(uow, request.measure_id)
    files = [
        (name, report.evidence_sha256)
        for name, report in answered.items()
        if report.evidence_sha256 is not None
    ]
    without_file = [name for name, report in answered.items() if report.evidence_sha256 is None]
    return CollectedAnswers(
        request.id,
        number,
        request.text,
        request.form_name,
        request.form_sha256,
        sorted(files),
        sorted(missing + without_file),
    )


async def request_of_occurrence(uow: UnitOfWork, occurrence_id: int) -> Request | None:
    """The request an occurrence answers, or ``None`` for a roadmap measure's."""
    return await uow.session.scalar(
        select(Request)
        .join(Occurrence, Occurrence.measure_id == Request.measure_id)
        .where(Occurrence.id == occurrence_id)
    )
