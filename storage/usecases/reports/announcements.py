"""Telling the coordinators of new reports: the hourly batch claims the reports not yet
announced, and the coordinators' chats to tell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from storage.models import Measure, Occurrence, Person, Request, StatusReport
from storage.unit_of_work import UnitOfWork
from storage.usecases.occurrence_context import in_context, whose
from storage.usecases.roadmap_coordinators import coordinators_for


@dataclass(frozen=True, slots=True)
class ReportHeadline:
    """One line of the hourly «new reports» message."""

    report_id: int
    measure_number: str
    organisation: str | None
    author: str
    status: str
    version: int
    roadmap_id: int | None = None  # whose coordinators are told


async def claim_unnotified_reports(
    uow: UnitOfWork, now: datetime, *, limit: int = 40
) -> list[ReportHeadline]:
    """Reports the coordinators have not been told about, marked as told in the same
    transaction: with several bot processes each report is announced once (at most once; a
    failed send is logged, and the report still waits in «reports to review»)."""
    rows = (
        await uow.session.execute(
            in_context(
                select(
                    StatusReport.id,
                    Measure.number,
                    whose(),
                    Person.full_name,
                    StatusReport.status,
                    StatusReport.version,
                    StatusReport.review,
                    Measure.roadmap_id,
                ).join(Occurrence, Occurrence.id == StatusReport.occurrence_id)
            )
            .join(Person, Person.id == StatusReport.person_id)
            .where(StatusReport.notified_at.is_(None))
            .order_by(StatusReport.id)
            .limit(limit)
            # PostgreSQL: rows another transaction is announcing are skipped, not listed twice.
            .with_for_update(of=StatusReport, skip_locked=True)
        )
    ).all()
    if not rows:
        return []
    await uow.session.execute(
        update(StatusReport)
        .where(StatusReport.id.in_([row[0] for row in rows]), StatusReport.notified_at.is_(None))
        .values(notified_at=now)
    )
    # A report accepted or replaced within the hour needs no announcement any more.
    return [ReportHeadline(*row[:6], roadmap_id=row[7]) for row in rows if row[6] == "pending"]


async def coordinator_chats(
    uow: UnitOfWork, roadmap_id: int | None = None
) -> list[tuple[int, str | None]]:
    """(chat, language) of the coordinators who answer for ``roadmap_id`` (every coordinator
    without one). When none of the roadmap's own coordinators has joined the chat yet, every
    coordinator is told: a report is never announced to nobody."""
    chats = [
        (person.chat_address, person.locale)
        for person in await coordinators_for(uow, roadmap_id)
        if person.chat_address is not None
    ]
    if chats or roadmap_id is None:
        return chats
    return await coordinator_chats(uow, None)


async def request_coordinator_chats(
    uow: UnitOfWork, request: Request
) -> list[tuple[int, str | None]]:
    """Who is told about a request's answers: the coordinators of the roadmap it was made
    under, and the coordinator who sent it, who waits for them."""
    roadmap_id = await uow.session.scalar(
        select(Measure.roadmap_id).where(Measure.id == request.measure_id)
    )
    chats = await coordinator_chats(uow, roadmap_id)
    sender = await uow.session.get(Person, request.created_by_id) if request.created_by_id else None
    if (
        sender is not None
        and sender.is_active
        and sender.role == "coordinator"
        and sender.chat_address is not None
        and all(chat != sender.chat_address for chat, _locale in chats)
    ):
        chats.append((sender.chat_address, sender.locale))
    return chats
