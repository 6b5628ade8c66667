"""Saving a new version of a report: «done» closes the occurrence for everyone and stops its
reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import Occurrence, Person, Reminder, StatusReport
from storage.unit_of_work import UnitOfWork
from storage.usecases.reports.cards import ReportCard
from storage.usecases.reports.reportable import OccurrenceView


@dataclass(frozen=True, slots=True)
class Evidence:
    file_id: str | None = None
    file_name: str | None = None
    sha256: str | None = None
    size: int | None = None
    url: str | None = None


async def save_report(
    uow: UnitOfWork,
    view: OccurrenceView,
    person: Person,
    status: str,
    text: str,
    evidence: Evidence,
    now: datetime,
    *,
    notified: bool,
    save_key: str | None = None,
) -> ReportCard | None:
    """A new version; «done» closes the occurrence for everyone and stops its reminders.

    Written with plain statements (no objects loaded): saving is the busiest write in the bot.
    ``notified`` says the coordinators are told at once; otherwise the hourly batch picks it up.
    ``save_key`` names the conversation's «Сохранить»: a report with that key saved already (the
    press delivered again after a crash between the commit and the conversation's end, or
    pressed again) gives ``None`` and writes nothing. The unique key, not a read before the
    write, decides, so two deliveries at once save one report on PostgreSQL as well.
    """
    version = (view.last_version or 0) + 1
    dialect: Any = postgresql if uow.session.get_bind().dialect.name == "postgresql" else sqlite
    report_id = await uow.session.scalar(
        dialect.insert(StatusReport)
        .values(
            occurrence_id=view.occurrence_id,
            person_id=person.id,
            status=status,
            text=text,
            evidence_file_id=evidence.file_id[:200]
            if evidence.file_id
            else None,  # a MAX URL may be longer
            evidence_file_name=evidence.file_name,
            evidence_sha256=evidence.sha256,
            evidence_size=evidence.size,
            evidence_url=evidence.url,
            review="pending",
            version=version,
            created_at=now,
            notified_at=now if notified else None,
            save_key=save_key,
        )
        .on_conflict_do_nothing(index_elements=[StatusReport.save_key])
        .returning(StatusReport.id)
    )
    if report_id is None:
        return None
    closing = status == "done"
    await uow.session.execute(
        update(Occurrence)
        .where(Occurrence.id == view.occurrence_id)
        .values(
            status="closed" if closing else "open",
            closed_at=now if closing else None,
            closed_by_id=person.id if closing else None,
        )
    )
    if closing:
        await stop_reminders(uow, view.occurrence_id)
    uow.audit.add(
        at=now,
        action="report.save",
        person_id=person.id,
        details={"occurrence_id": view.occurrence_id, "status": status, "version": version},
    )
    return ReportCard(
        report_id=report_id,
        occurrence_id=view.occurrence_id,
        measure_number=view.measure_number,
        measure_title=view.measure_title,
        due_on=view.due_on,
        organisation=view.organisation,
        author=person.full_name,
        author_chat=person.chat_address,
        author_locale=person.locale,
        status=status,
        text=text,
        evidence_name=evidence.file_name,
        evidence_url=evidence.url,
        review="pending",
        version=version,
        is_latest=True,
    )


async def stop_reminders(uow: UnitOfWork, occurrence_id: int) -> None:
    await uow.session.execute(
        update(Reminder)
        .where(Reminder.occurrence_id == occurrence_id, Reminder.state == "pending")
        .values(state="cancelled")
    )
