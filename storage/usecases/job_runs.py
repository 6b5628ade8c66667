"""Scheduled jobs that must run once per fire time, however many replicas share the database."""

from __future__ import annotations

from datetime import datetime

from storage.bulk import insert_ignoring_duplicates
from storage.models import JobRun
from storage.unit_of_work import UnitOfWork


async def claim_job_run(
    uow: UnitOfWork, job: str, fire_at: datetime, *, now: datetime, claimed_by: str
) -> bool:
    """True for the one caller that claims ``job`` at ``fire_at``; False for everyone after.

    At most once: a replica that dies after claiming takes that run with it (the weekly digest
    comes again next week; reports left out of an hourly list join the next one)."""
    row = {"job": job, "fire_at": fire_at, "claimed_at": now, "claimed_by": claimed_by}
    written = await insert_ignoring_duplicates(uow.session, JobRun.__table__, [row])  # type: ignore[arg-type]
    return written == 1
