"""One report as the coordinator's card shows it, read back by id (the review buttons carry it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from storage.models import Measure, Occurrence, Organisation, Person, StatusReport
from storage.unit_of_work import UnitOfWork
from storage.usecases.occurrence_context import in_context


@dataclass(frozen=True, slots=True)
class ReportCard:
    report_id: int
    occurrence_id: int
    measure_number: str
    measure_title: str
    due_on: date
    organisation: str | None
    author: str
    author_chat: int | None
    author_locale: str | None
    status: str
    text: str
    evidence_name: str | None
    evidence_url: str | None
    review: str
    version: int
    is_latest: bool


async def report_card(uow: UnitOfWork, report_id: int) -> ReportCard | None:
    row = (
        await uow.session.execute(
            in_context(
                select(
                    StatusReport.id,
                    StatusReport.occurrence_id,
                    Measure.number,
                    Measure.title,
                    Occurrence.due_on,
                    Organisation.name,
                    Person.full_name,
                    Person.chat_address,
                    Person.locale,
                    StatusReport.status,
                    StatusReport.text,
                    StatusReport.evidence_file_name,
                    StatusReport.evidence_url,
                    StatusReport.review,
                    StatusReport.version,
                ).join(Occurrence, Occurrence.id == StatusReport.occurrence_id)
            )
            .join(Person, Person.id == StatusReport.person_id)
            .where(StatusReport.id == report_id)
        )
    ).first()
    if row is None:
        return None
    latest = await uow.session.scalar(
        select(func.max(StatusReport.id)).where(StatusReport.occurrence_id == row[1])
    )
    values: list[Any] = [*row, latest == report_id]
    return ReportCard(*values)
