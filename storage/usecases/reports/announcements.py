"""Telling the coordinators of new reports: the hourly batch claims the reports not yet
announced, and the coordinators' chats to tell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from storage.models import Measure, Occurrence, Person, StatusReport
from storage.unit_of_work import UnitOfWork
from storage.usecases.occurrence_context import in_context, whose


@dataclass(frozen=True, slots=True)
class ReportHeadline:
    """One line of the hourly «new reports» message."""

    report_id: int
    measure_number: str
    organisation: str | None
    author: str
    status: str
    version: int


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
    return [ReportHeadline(*row[:6]) for row in rows if row[6] == "pending"]


async def coordinator_chats(uow: UnitOfWork) -> list[tuple[int, str | None]]:
    rows = await uow.session.execute(
        select(Person.chat_address, Person.locale).where(
            Person.role == "coordinator",
            Person.chat_address.is_not(None),
            Person.is_active.is_(True),
        )
    )
    return [(chat, locale) for chat, locale in rows if chat is not None]
