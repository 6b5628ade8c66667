"""Issue 4 (b) and (c): materialising reminder rows, against one APScheduler job per reminder;
and the due-reminder query over the resulting table."""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text, update

from bench.results import record
from bench.seeding import add_roadmap
from storage.engine import create_engine, create_session_factory
from storage.keys import name_key
from storage.migrate import upgrade
from storage.models import Assignment, Measure, Organisation, Person, Reminder
from storage.unit_of_work import UnitOfWork
from storage.usecases.outbox.claim import claim_due
from storage.usecases.planning import plan_due_reminders, sync_occurrences

SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "1000"))
MEASURES = int(os.environ.get("BENCH_MEASURES", "100"))
YEARS = (2026, 2030)
PLANNED_AT = datetime(2025, 12, 1, tzinfo=UTC)  # before the period: every reminder is ahead


def _due_dates(index: int) -> list[str]:
    """Yearly deadlines spread over the year, as a real roadmap's are."""
    month, day = 1 + index % 12, 1 + (index * 7) % 28
    return [date(year, month, day).isoformat() for year in range(YEARS[0], YEARS[1] + 1)]


async def _seed(db_url: str) -> None:
    engine = create_engine(db_url)
    await upgrade(engine)
    now = PLANNED_AT
    async with create_session_factory(engine)() as session:
        roadmap = await add_roadmap(session, "Бенчмарк", now, years=YEARS)
        await session.execute(
            insert(Organisation),
            [
                {
                    "name": f"СОШ № {i}",
                    "name_key": name_key(f"СОШ № {i}"),
                    "kind": "school",
                    "created_at": now,
                }
                for i in range(SCHOOLS)
            ],
        )
        orgs = list(await session.scalars(select(Organisation.id)))
        await session.execute(
            insert(Person),
            [
                {
                    "full_name": f"Директор {i}",
                    "name_key": f"директор {i}",
                    "role": "responsible",
                    "organisation_id": org,
                    "user_address": 10_000 + i,
                    "chat_address": 10_000 + i,
                    "is_active": True,
                    "created_at": now,
                }
                for i, org in enumerate(orgs)
            ],
        )
        await session.execute(
            insert(Measure),
            [
                {
                    "roadmap_id": roadmap.id,
                    "number": str(m + 1),
                    "position": m,
                    "title": f"Мероприятие {m + 1}",
                    "deadline_text": "ежегодно",
                    "schedule_kind": "recurring",
                    "schedule_due": _due_dates(m),
                    "responsible_text": "Руководители ОО",
                    "result_text": "",
                    "control_text": "",
                    "from_order": False,
                }
                for m in range(MEASURES)
            ],
        )
        measures = list(await session.scalars(select(Measure.id)))
        await session.execute(
            insert(Assignment),
            [
                {"measure_id": m, "organisation_id": o, "capacity": "responsible"}
                for m in measures
                for o in orgs
            ],
        )
        await session.commit()
    await engine.dispose()


async def ours(db_url: str) -> tuple[int, float, int]:
    """(reminder rows, seconds, occurrences) for our planner: occurrences, then reminders."""
    engine = create_engine(db_url)
    started = time.perf_counter()
    async with create_session_factory(engine)() as session:
        uow = UnitOfWork(session)
        occurrences = await sync_occurrences(uow)
        rows = await plan_due_reminders(uow, PLANNED_AT)
        await uow.commit()
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return rows, elapsed, occurrences


def naive(workdir: Path, jobs: int = 3000) -> float:
    """The design we did not build: one persistent APScheduler job per reminder, stored by its
    SQLAlchemyJobStore in SQLite. Returns jobs added per second."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{workdir / 'jobs.sqlite3'}")},
        timezone=UTC,
    )
    scheduler.start(paused=True)
    run_at = PLANNED_AT + timedelta(days=400)
    started = time.perf_counter()
    for number in range(jobs):
        scheduler.add_job(print, "date", run_date=run_at, args=[number], id=f"reminder-{number}")
    elapsed = time.perf_counter() - started
    scheduler.shutdown(wait=False)
    return jobs / elapsed


async def due_query_ms(db_url: str, runs: int = 7) -> tuple[float, float, int, int]:
    """Median time of one claim over the full table, a fresh batch due each run: (steady-state
    ms, after-downtime ms, total rows, claimed).

    Steady state is the scheduler's every tick: the bot was up, so what was due before has gone
    out (marked sent here, outside the timing) and the claim takes what fell due at 10:00.
    After downtime, everything since the last run is late: the claim turns the 500 oldest into
    catch-ups (issue 13), which is more work, done once after an outage."""
    engine = create_engine(db_url)
    factory = create_session_factory(engine)
    async with factory() as session:
        total = int(await session.scalar(select(func.count(Reminder.id))) or 0)
        await session.execute(text("ANALYZE"))
        await session.commit()
        # Moments a minute after a reminder time with a full batch due (10:00 in Irkutsk).
        busy = await session.scalars(
            select(Reminder.due_at)
            .where(Reminder.due_at >= datetime(2026, 3, 2, tzinfo=UTC))
            .group_by(Reminder.due_at)
            .having(func.count() >= 500)
            .order_by(Reminder.due_at)
            .limit(runs)
        )
        moments = [due + timedelta(minutes=1) for due in busy]
    steady: list[float] = []
    downtime: list[float] = []
    claimed = 500
    for moment in moments:
        async with factory() as session:
            started = time.perf_counter()
            await claim_due(UnitOfWork(session), moment, limit=500)
            downtime.append((time.perf_counter() - started) * 1000)
            await session.rollback()
        async with factory() as session:
            await session.execute(
                update(Reminder)
                .where(Reminder.state == "pending", Reminder.due_at < moment - timedelta(hours=1))
                .values(state="sent")
            )
            await session.commit()
        async with factory() as session:
            started = time.perf_counter()
            batch = await claim_due(UnitOfWork(session), moment, limit=500)
            steady.append((time.perf_counter() - started) * 1000)
            claimed = min(claimed, len(batch))
            await session.rollback()  # measure the same work every run
    await engine.dispose()
    return statistics.median(steady), statistics.median(downtime), total, claimed


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="roadmap-bench-"))
    db_url = f"sqlite+aiosqlite:///{workdir / 'plan.sqlite3'}"
    asyncio.run(_seed(db_url))
    rows, seconds, occurrences = asyncio.run(ours(db_url))
    ours_rate = rows / seconds
    naive_rate = naive(workdir)
    print(
        f"planning: {SCHOOLS} schools x {MEASURES} measures x {YEARS[1] - YEARS[0] + 1} years = "
        f"{occurrences:,} occurrences, {rows:,} reminder rows in {seconds:.1f} s = {ours_rate:,.0f} rows/s"
    )
    print(
        f"naive: one APScheduler job per reminder (SQLAlchemyJobStore, SQLite): {naive_rate:,.0f} jobs/s"
    )
    print(f"ratio: {ours_rate / naive_rate:.0f}x (target >= 50x)")
    record("reminder rows planned", ours_rate, "rows/s", baseline=naive_rate, target=">= 50")
    median, after_downtime, total, claimed = asyncio.run(due_query_ms(db_url))
    record(f"due-reminder query over {total:,} rows", median, "ms", target="< 200")
    record(
        f"claim after downtime over {total:,} rows (500 late -> catch-ups)", after_downtime, "ms"
    )
    print(
        f"due-reminder query over {total:,} rows (claims {claimed} due at least, each run): "
        f"{median:.0f} ms median (target < 200 ms)"
    )
    print(
        f"claim after downtime over {total:,} rows (500 late reminders become catch-ups): "
        f"{after_downtime:.0f} ms median"
    )


if __name__ == "__main__":
    main()
