"""Several replicas share one database: a scheduled job (the weekly digest, the hourly list of
reports) runs in exactly one of them per fire time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.clock_jobs import ClockJob, OncePerFireTime, SharedRuns, latest_fire_time
from storage.models import JobRun
from tests.support import MutableClock

IRKUTSK = ZoneInfo("Asia/Irkutsk")
MONDAY_9 = CronTrigger(day_of_week="mon", hour=9, minute=0, timezone="Asia/Irkutsk")


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=IRKUTSK)


def test_latest_fire_time_is_the_same_whether_the_timer_was_on_time_or_late() -> None:
    monday = local(2026, 11, 23, 9, 0)
    assert latest_fire_time(MONDAY_9, monday) == monday
    assert latest_fire_time(MONDAY_9, monday + timedelta(seconds=50)) == monday
    assert latest_fire_time(MONDAY_9, monday + timedelta(days=6)) == monday
    assert latest_fire_time(MONDAY_9, monday - timedelta(seconds=1)) == monday - timedelta(days=7)
    hourly = CronTrigger(minute=0, timezone="Asia/Irkutsk")
    assert latest_fire_time(hourly, local(2026, 11, 23, 14, 59, 59)) == local(2026, 11, 23, 14)


async def test_two_replicas_firing_together_run_the_job_once(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    runs: list[str] = []

    def replica(name: str) -> OncePerFireTime:
        async def send_digest() -> None:
            runs.append(name)

        shared = SharedRuns(session_factory, clock, replica=f"host:{name}")
        return OncePerFireTime(ClockJob("digest", send_digest, MONDAY_9), shared)

    first, second = replica("a"), replica("b")
    clock.set(local(2026, 11, 23, 9, 0, 0).astimezone(UTC))
    await asyncio.gather(first(), second())
    assert len(runs) == 1

    clock.advance(timedelta(seconds=40))  # a replica whose timer fired late: same run, skipped
    await second()
    assert len(runs) == 1

    clock.advance(timedelta(days=7))  # next Monday: a new run, again once
    await asyncio.gather(second(), first())
    assert len(runs) == 2

    async with session_factory() as session:
        claimed = (await session.execute(select(JobRun.job, JobRun.fire_at))).all()
    assert sorted(fire for _, fire in claimed) == [
        local(2026, 11, 23, 9, 0).astimezone(UTC),
        local(2026, 11, 30, 9, 0).astimezone(UTC),
    ]
