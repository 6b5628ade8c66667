"""APScheduler as nothing but a clock: in-memory jobs with fixed ids that call idempotent ticks.

Durable state lives in our own tables; a restart loses nothing because nothing lives here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from scheduler.email_outbox import EmailOutbox
from scheduler.outbox import ReminderOutbox
from storage.unit_of_work import UnitOfWork
from storage.usecases.job_runs import claim_job_run
from storage.usecases.planning import replan

logger = logging.getLogger(__name__)

DISPATCH_JOB = "dispatch_due_reminders"
EMAIL_JOB = "dispatch_due_emails"
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


# How far back the latest fire time is looked for: longer than the longest period (a week).
LOOKBACK = timedelta(days=8)


def latest_fire_time(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The trigger's last scheduled time at or before ``now``: the same value on every replica
    whether its timer went off on time or a little late, so it names the run."""
    latest = None
    fire = trigger.get_next_fire_time(None, now - LOOKBACK)
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return latest


@dataclass(frozen=True)
class SharedRuns:
    """What lets several replicas run a job once per fire time: the database they share, the
    clock, and this replica's name (written down with each run it claims)."""

    session_factory: async_sessionmaker[AsyncSession]
    clock: Clock
    replica: str


class OncePerFireTime:
    """Runs ``job`` only in the replica that claims the current fire time in the database."""

    def __init__(self, job: ClockJob, shared: SharedRuns) -> None:
        self._job = job
        self._shared = shared

    async def __call__(self) -> object:
        now = self._shared.clock.now()
        fire_at = latest_fire_time(self._job.trigger, now)
        if fire_at is None:
            return None
        async with self._shared.session_factory() as session:
            uow = UnitOfWork(session)
            claimed = await claim_job_run(
                uow, self._job.id, fire_at.astimezone(UTC), now=now, claimed_by=self._shared.replica
            )
            await uow.commit()
        if not claimed:
            logger.info(
                "job %s at %s already ran in another replica",
                self._job.id,
                fire_at,
                extra={"event": "job_skipped", "job": self._job.id},
            )
            return None
        logger.info(
            "job %s at %s runs here",
            self._job.id,
            fire_at,
            extra={"event": "job_started", "job": self._job.id},
        )
        return await self._job.func()


def build_scheduler(
    outbox: ReminderOutbox,
    planner: ReminderPlanner,
    *,
    tick: timedelta,
    plan_every: timedelta,
    extra: Sequence[ClockJob] = (),
    once: SharedRuns | None = None,
    email_outbox: EmailOutbox | None = None,
) -> AsyncIOScheduler:
    """``once``: makes each ``extra`` job run in one replica only (reminders need no such
    thing: their claims already skip what another replica holds)."""
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
    if email_outbox is not None:
        scheduler.add_job(
            email_outbox.dispatch,
            "interval",
            seconds=tick.total_seconds(),
            id=EMAIL_JOB,
            next_run_time=datetime.now(UTC),
            **common,
        )
    for job in extra:
        func = job.func if once is None else OncePerFireTime(job, once)
        scheduler.add_job(func, job.trigger, id=job.id, **common)
    return scheduler


async def stop_scheduler(scheduler: AsyncIOScheduler, timeout: float) -> None:
    """No job starts any more, the ones running finish (up to ``timeout``), then the clock
    stops. APScheduler's own shutdown cancels running jobs: an e-mail or a purge stopped in
    the middle, and a «job raised an exception» trace for each."""
    scheduler.pause()
    executor = scheduler._lookup_executor("default")
    running = [f for f in getattr(executor, "_pending_futures", ()) if not f.done()]
    if running:
        _done, late = await asyncio.wait(running, timeout=timeout)
        if late:
            logger.warning("stopped while %d clock jobs were still running", len(late))
    scheduler.shutdown(wait=False)
