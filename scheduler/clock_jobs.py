"""APScheduler as nothing but a clock: in-memory jobs with fixed ids that call idempotent ticks.

Durable state lives in our own tables; a restart loses nothing because nothing lives here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from scheduler.outbox import ReminderOutbox
from storage.unit_of_work import UnitOfWork
from storage.usecases.planning import replan

logger = logging.getLogger(__name__)

DISPATCH_JOB = "dispatch_due_reminders"
PLAN_JOB = "plan_reminders"


class ReminderPlanner:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = session_factory
        self._clock = clock

    async def plan_reminders(self) -> int:
        async with self._sessions() as session:
            uow = UnitOfWork(session)
            written = await replan(uow, self._clock.now())
            await uow.commit()
        if written:
            logger.info("planned %d reminders", written)
        return written


@dataclass(frozen=True, slots=True)
class ClockJob:
    """A job added by the application (e.g. the hourly list of new reports): a fixed id, an
    idempotent coroutine function and an APScheduler trigger."""

    id: str
    func: Callable[[], Awaitable[object]]
    trigger: BaseTrigger


def build_scheduler(
    outbox: ReminderOutbox,
    planner: ReminderPlanner,
    *,
    tick: timedelta,
    plan_every: timedelta,
    extra: Sequence[ClockJob] = (),
) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=UTC)
    common = {
        "replace_existing": True,
        "max_instances": 1,
        "coalesce": True,
        "misfire_grace_time": None,
    }
    scheduler.add_job(
        outbox.dispatch_due_reminders,
        "interval",
        seconds=tick.total_seconds(),
        id=DISPATCH_JOB,
        next_run_time=datetime.now(UTC),
        **common,
    )
    scheduler.add_job(
        planner.plan_reminders,
        "interval",
        seconds=plan_every.total_seconds(),
        id=PLAN_JOB,
        next_run_time=datetime.now(UTC),
        **common,
    )
    for job in extra:
        scheduler.add_job(job.func, job.trigger, id=job.id, **common)
    return scheduler
