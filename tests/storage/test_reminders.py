"""Occurrences, planned reminders and the outbox, on a fixed clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.seeding import seed_due_reminders
from demo.documents import seed_document
from domain.people_sheet import SchoolHead
from domain.roadmap.build import build_draft
from storage.engine import create_engine, create_session_factory
from storage.models import Measure, Occurrence, Person, Reminder
from storage.unit_of_work import UnitOfWork
from storage.usecases.outbox.buttons import snooze
from storage.usecases.outbox.claim import claim_due
from storage.usecases.outbox.delivery import mark_sent
from storage.usecases.outbox.reachability import mark_unreachable
from storage.usecases.people import import_school_heads
from storage.usecases.planning import plan_due_reminders, replan
from storage.usecases.roadmaps import save_roadmap
from tests.support import MutableClock, unit_of_work

IRKUTSK = ZoneInfo("Asia/Irkutsk")
Factory = async_sessionmaker[AsyncSession]


def local(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=IRKUTSK).astimezone(UTC)


async def setup_ust_kut(factory: Factory, clock: MutableClock, schools: int = 2) -> dict[str, int]:
    """The Ust-Kut roadmap, ``schools`` schools, each head joined; returns person ids by name."""
    heads = [
        SchoolHead(f"СОШ № {n}", f"Директор {n}", "директор", None, None, False)
        for n in range(1, schools + 1)
    ]
    async with unit_of_work(factory) as uow:
        await import_school_heads(uow, heads, now=clock.now())
        await save_roadmap(
            uow,
            build_draft(seed_document("ust_kut"), fallback_year=2026),
            now=clock.now(),
            timezone="Asia/Irkutsk",
        )
        people = {p.full_name: p for p in await uow.session.scalars(select(Person))}
        for n, person in enumerate(people.values(), start=1):
            person.user_address = person.chat_address = 1000 + n
        await uow.commit()
    return {name: p.id for name, p in people.items()}


async def plan(factory: Factory, now: datetime) -> int:
    async with unit_of_work(factory) as uow:
        written = await replan(uow, now)
        await uow.commit()
    return written


async def claim(factory: Factory, now: datetime, lease: timedelta = timedelta(minutes=2)):  # type: ignore[no-untyped-def]
    async with unit_of_work(factory) as uow:
        claimed = await claim_due(uow, now, lease=lease)
        await uow.commit()
    return claimed


async def states(factory: Factory) -> dict[str, int]:
    async with factory() as session:
        rows = await session.execute(select(Reminder.state, func.count()).group_by(Reminder.state))
        return {state: count for state, count in rows}


async def test_each_head_gets_the_schools_reminders_once(
    session_factory: Factory, clock: MutableClock
) -> None:
    await setup_ust_kut(session_factory, clock)
    first = await plan(session_factory, clock.now())
    again = await plan(session_factory, clock.now())

    assert first > 0 and again == 0  # idempotent
    async with session_factory() as session:
        measure = await session.scalar(select(Measure).where(Measure.number == "П3.2"))
        assert measure is not None
        rows = (
            await session.execute(
                select(Reminder.kind, Reminder.due_at, Person.full_name)
                .join(Occurrence, Occurrence.id == Reminder.occurrence_id)
                .join(Person, Person.id == Reminder.person_id)
                .where(Occurrence.measure_id == measure.id)
                .order_by(Person.full_name, Reminder.due_at)
            )
        ).all()
    assert [r.kind for r in rows if r.full_name == "Директор 1"] == [
        "before:14",
        "before:7",
        "before:3",
        "before:1",
        "due",
        "overdue:1",
        "overdue:2",
        "overdue:3",
        "overdue:4",
        "overdue:5",
    ]
    assert {r.full_name for r in rows} == {"Директор 1", "Директор 2"}
    assert rows[0].due_at == local("2026-04-03")


async def test_due_reminders_are_claimed_once(
    session_factory: Factory, clock: MutableClock
) -> None:
    await setup_ust_kut(session_factory, clock)
    await plan(session_factory, clock.now())

    claimed = await claim(session_factory, local("2026-04-03", 10))
    assert {(c.measure_number, c.kind) for c in claimed} >= {("П3.2", "before:14")}
    assert all(c.chat_id for c in claimed)
    assert await claim(session_factory, local("2026-04-03", 10)) == []  # already being sent
    async with unit_of_work(session_factory) as uow:
        for c in claimed:
            await mark_sent(uow, c.reminder_id, 1, clock.now())
        await uow.commit()
    assert (
        await claim(
            session_factory,
            local(
                "2026-04-03",
                11,
            ),
        )
        == []
    )


async def test_after_downtime_only_the_latest_is_sent(
    session_factory: Factory, clock: MutableClock
) -> None:
    await setup_ust_kut(session_factory, clock, schools=1)
    await plan(session_factory, clock.now())

    claimed = await claim(session_factory, local("2026-04-20", 12))  # the bot was down since March
    mine = [c for c in claimed if c.measure_number == "П3.2"]
    assert [c.kind for c in mine] == ["catchup:due"]  # in the summary of what was missed
    async with session_factory() as session:
        skipped = await session.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.state == "skipped", Reminder.kind.like("before:%"))
        )
    assert skipped and skipped >= 4


async def test_closed_occurrences_and_lost_people_are_not_reminded(
    session_factory: Factory, clock: MutableClock
) -> None:
    people = await setup_ust_kut(session_factory, clock)
    await plan(session_factory, clock.now())
    async with session_factory() as session:
        await session.execute(update(Occurrence).values(status="closed"))
        await session.commit()
    assert await claim(session_factory, local("2026-04-03", 10)) == []
    assert (await states(session_factory))["cancelled"] > 0
    assert people


async def test_a_crashed_send_is_redone_after_the_lease(
    session_factory: Factory, clock: MutableClock
) -> None:
    await setup_ust_kut(session_factory, clock, schools=1)
    await plan(session_factory, clock.now())
    first = await claim(session_factory, local("2026-04-03", 10))
    # The process died before recording the outcome: within the lease nothing is re-sent ...
    assert await claim(session_factory, local("2026-04-03", 10) + timedelta(minutes=1)) == []
    # ... after it, the same reminders are claimed again (the only possible duplicates).
    again = await claim(session_factory, local("2026-04-03", 10) + timedelta(minutes=3))
    assert {c.reminder_id for c in again} == {c.reminder_id for c in first}


async def test_reassigned_occurrence_stops_its_reminders(
    session_factory: Factory, clock: MutableClock
) -> None:
    await setup_ust_kut(session_factory, clock)
    await plan(session_factory, clock.now())
    async with unit_of_work(session_factory) as uow:
        measure = await uow.session.scalar(select(Measure).where(Measure.number == "П3.2"))
        assert measure is not None
        measure.schedule_due = ["2026-05-29"]  # the deadline moved
        await replan(uow, clock.now(), [measure.id])
        await uow.commit()
    claimed = await claim(session_factory, local("2026-04-03", 10))
    assert "П3.2" not in {c.measure_number for c in claimed}
    may = await claim(session_factory, local("2026-05-15", 10))
    assert "П3.2" in {c.measure_number for c in may}


async def test_past_deadlines_plan_nothing(session_factory: Factory, clock: MutableClock) -> None:
    async with unit_of_work(session_factory) as uow:
        await import_school_heads(
            uow,
            [SchoolHead("СОШ № 1", "Директор 1", "директор", None, None, False)],
            now=clock.now(),
        )
        await save_roadmap(
            uow,
            build_draft(seed_document("severobaikalsk"), fallback_year=2026),
            now=clock.now(),
            timezone="Asia/Irkutsk",
        )
        for person in await uow.session.scalars(select(Person)):
            person.chat_address = person.user_address = 5000 + person.id
        await uow.commit()
    assert await plan(session_factory, datetime(2026, 11, 22, tzinfo=UTC)) == 0


async def test_unreachable_person_is_no_longer_reminded(
    session_factory: Factory, clock: MutableClock
) -> None:
    people = await setup_ust_kut(session_factory, clock, schools=1)
    await plan(session_factory, clock.now())
    head = people["Директор 1"]
    async with unit_of_work(session_factory) as uow:
        coordinator = await uow.people.add(
            full_name="Антипина А.М.", role="coordinator", now=clock.now()
        )
        coordinator.chat_address = coordinator.user_address = 42
        result = await mark_unreachable(
            uow, head, "Forbidden: bot was blocked by the user", clock.now()
        )
        await uow.commit()
    assert result is not None and result.coordinator_chats == [(42, None)]
    assert await claim(session_factory, local("2026-04-03", 10)) == []
    async with unit_of_work(session_factory) as uow:
        assert await plan_due_reminders(uow, clock.now()) == 0  # not re-planned either


@pytest.mark.parametrize("days", [1, 3])
async def test_snooze_silences_until_then(
    session_factory: Factory, clock: MutableClock, days: int
) -> None:
    people = await setup_ust_kut(session_factory, clock, schools=1)
    await plan(session_factory, clock.now())
    claimed = await claim(session_factory, local("2026-04-14", 10))  # before:3 for П3.2
    reminder = next(c for c in claimed if c.measure_number == "П3.2")
    until = local("2026-04-16", 10) if days == 1 else local("2026-04-17", 10)
    async with unit_of_work(session_factory) as uow:
        await mark_sent(uow, reminder.reminder_id, 7, clock.now())
        await snooze(uow, reminder.occurrence_id, people["Директор 1"], until, clock.now())
        await uow.commit()
    later = await claim(session_factory, until)
    assert [c.kind for c in later if c.occurrence_id == reminder.occurrence_id] == [
        f"snooze:{int(until.timestamp())}"
    ]


async def test_two_processes_claiming_at_once_never_share_a_reminder(db_url: str) -> None:
    """Two replicas' outboxes claim concurrently (PostgreSQL: row locks skipped; SQLite: one
    writer at a time): every due reminder is claimed by exactly one of them."""
    due_at = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)
    await seed_due_reminders(db_url, list(range(7_000, 7_300)), due_at=due_at)
    engines = [create_engine(db_url), create_engine(db_url)]
    try:

        async def replica(index: int) -> set[int]:
            factory = create_session_factory(engines[index])
            claimed: set[int] = set()
            while True:
                async with factory() as session:
                    uow = UnitOfWork(session)
                    batch = await claim_due(uow, due_at, limit=40)
                    await asyncio.sleep(0.01)  # hold the claim open while the other claims
                    await uow.commit()
                if not batch:
                    return claimed
                claimed |= {view.reminder_id for view in batch}

        first, second = await asyncio.gather(replica(0), replica(1))
    finally:
        for engine in engines:
            await engine.dispose()
    assert not first & second
    assert len(first | second) == 300
