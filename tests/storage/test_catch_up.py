"""Catch-ups: whoever learns of a deadline late hears of it at the next sending window, once.

Each test imports (or joins, or comes back from downtime) at a chosen local time and then claims
what the outbox would send, minute by minute where it matters.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.seeding import add_roadmap
from bot.settings import SchedulerSection
from domain.reminders.calendar import WorkCalendar, russian_calendar
from domain.reminders.plan import all_reminders, is_catch_up
from domain.reminders.policy import ReminderPolicy
from domain.reminders.window import SendingWindow
from domain.roles import Role
from storage.engine import create_engine, create_session_factory
from storage.keys import name_key
from storage.migrate import upgrade
from storage.models import Assignment, Measure, Occurrence, Organisation, Person, Reminder
from storage.unit_of_work import UnitOfWork
from storage.usecases.assignments import reach_every_school
from storage.usecases.invitations import issue_invitation
from storage.usecases.outbox.claim import ReminderView, claim_due
from storage.usecases.outbox.delivery import mark_many_sent
from storage.usecases.planning import replan
from tests.support import MutableClock, unit_of_work

IRKUTSK = ZoneInfo("Asia/Irkutsk")
Factory = async_sessionmaker[AsyncSession]


def local(day: str, hour: int = 10, minute: int = 0) -> datetime:
    moment = datetime.fromisoformat(f"{day}T{hour:02d}:{minute:02d}")
    return moment.replace(tzinfo=IRKUTSK).astimezone(UTC)


async def add_school(factory: Factory, name: str, now: datetime, *, joined: bool = True) -> int:
    """A school and its head (joined in Telegram unless told otherwise); returns the head's id."""
    async with unit_of_work(factory) as uow:
        school = Organisation(name=name, name_key=name_key(name), kind="school", created_at=now)
        uow.session.add(school)
        await uow.session.flush()
        chat = 5000 + school.id if joined else None
        head = Person(
            full_name=f"Директор {name}",
            name_key=name_key(f"Директор {name}"),
            role="responsible",
            organisation_id=school.id,
            user_address=chat,
            chat_address=chat,
            created_at=now,
            joined_at=now if joined else None,
        )
        uow.session.add(head)
        await uow.commit()
        return head.id


async def join(factory: Factory, person_id: int, now: datetime) -> None:
    async with unit_of_work(factory) as uow:
        person = await uow.session.get(Person, person_id)
        assert person is not None
        person.user_address = person.chat_address = 7000 + person_id
        person.joined_at = now
        await replan(uow, now)
        await uow.commit()


async def import_roadmap(
    factory: Factory, now: datetime, due: dict[str, list[date]], *, timezone: str = "Asia/Irkutsk"
) -> None:
    """Measures (number → due dates) for every school, saved and planned at ``now``."""
    async with unit_of_work(factory) as uow:
        roadmap = await add_roadmap(uow.session, "Дорожная карта", now)
        roadmap.timezone = timezone
        schools = list(await uow.session.scalars(select(Organisation.id)))
        for position, (number, days) in enumerate(due.items()):
            measure = Measure(
                roadmap_id=roadmap.id,
                number=number,
                position=position,
                title=f"Мероприятие {number}",
                deadline_text="",
                schedule_kind="once",
                schedule_due=[d.isoformat() for d in days],
            )
            uow.session.add(measure)
            await uow.session.flush()
            uow.session.add_all(
                Assignment(measure_id=measure.id, organisation_id=school) for school in schools
            )
        await uow.session.flush()
        await replan(uow, now)
        await uow.commit()


async def claim(factory: Factory, now: datetime, *, record: bool = True) -> list[ReminderView]:
    async with factory() as session:
        uow = UnitOfWork(session)
        claimed = await claim_due(uow, now)
        if record:
            await mark_many_sent(uow, [(c.reminder_id, 1) for c in claimed], now)
        await uow.commit()
    return claimed


def numbers(views: list[ReminderView]) -> set[str]:
    return {v.measure_number for v in views}


async def test_imported_at_16_due_tomorrow_is_announced_today(session_factory: Factory) -> None:
    tuesday_16 = local("2026-12-01", 16)
    await add_school(session_factory, "СОШ № 1", tuesday_16)
    await import_roadmap(
        session_factory,
        tuesday_16,
        {"1.1": [date(2026, 12, 2)], "1.2": [date(2026, 12, 30)]},
    )
    claimed = await claim(session_factory, tuesday_16)
    assert numbers(claimed) == {"1.1"}  # 1.2 is four weeks away: its reminders come in time
    assert all(is_catch_up(c.kind) for c in claimed)
    # Tomorrow the regular «due today» reminder follows; the catch-up is never sent again.
    assert await claim(session_factory, local("2026-12-01", 17)) == []
    assert [c.kind for c in await claim(session_factory, local("2026-12-02", 10))] == ["due"]


async def test_four_days_overdue_imported_at_night_waits_for_the_window(
    session_factory: Factory,
) -> None:
    evening = local("2026-11-30", 21)  # Monday after work; due last Wednesday
    await add_school(session_factory, "СОШ № 1", evening)
    await import_roadmap(session_factory, evening, {"2.1": [date(2026, 11, 25)]})
    assert await claim(session_factory, evening) == []
    assert await claim(session_factory, local("2026-12-01", 8, 59)) == []
    claimed = await claim(session_factory, local("2026-12-01", 9, 0))
    assert [(c.measure_number, c.kind) for c in claimed] == [("2.1", "catchup:overdue:1")]
    # Then the policy goes on: the next overdue reminder, three working days after the last.
    assert await claim(session_factory, local("2026-12-02", 10)) == []
    assert [c.kind for c in await claim(session_factory, local("2026-12-03", 10))] == ["overdue:2"]


async def test_a_friday_evening_import_is_announced_on_monday(session_factory: Factory) -> None:
    friday = local("2026-12-04", 19)
    await add_school(session_factory, "СОШ № 1", friday)
    await import_roadmap(session_factory, friday, {"2.1": [date(2026, 11, 26)]})
    assert await claim(session_factory, local("2026-12-05", 12)) == []  # Saturday
    assert numbers(await claim(session_factory, local("2026-12-07", 9))) == {"2.1"}


async def test_long_overdue_yearly_measure_gets_one_catch_up(session_factory: Factory) -> None:
    now = local("2026-12-01", 11)
    await add_school(session_factory, "СОШ № 1", now)
    # Due on 1 September each year: this year's slots all passed (the last in late September).
    await import_roadmap(
        session_factory, now, {"3.1": [date(2026, 9, 1), date(2027, 9, 1), date(2028, 9, 1)]}
    )
    claimed = await claim(session_factory, now)
    assert [(c.due_on, c.kind) for c in claimed] == [(date(2026, 9, 1), "catchup:overdue:5")]
    # Planning again (every few minutes, after restarts) owes nothing more.
    for later in (now + timedelta(minutes=10), local("2026-12-02", 10), local("2026-12-08", 10)):
        async with unit_of_work(session_factory) as uow:
            assert await replan(uow, later) == 0
            await uow.commit()
        assert await claim(session_factory, later) == []


async def test_a_head_who_joins_after_the_import_gets_the_same(session_factory: Factory) -> None:
    monday = local("2026-11-30", 10)
    first = await add_school(session_factory, "СОШ № 1", monday)
    late = await add_school(session_factory, "СОШ № 2", monday, joined=False)
    await import_roadmap(
        session_factory, monday, {"1.1": [date(2026, 12, 8)], "2.1": [date(2026, 11, 20)]}
    )
    first_summary = await claim(session_factory, monday)
    assert {c.person_id for c in first_summary} == {first}
    assert numbers(first_summary) == {"1.1", "2.1"}

    assert [c.kind for c in await claim(session_factory, local("2026-12-01", 10))] == ["before:7"]
    wednesday = local("2026-12-02", 14, 30)
    await join(session_factory, late, wednesday)
    claimed = await claim(session_factory, wednesday)
    assert {c.person_id for c in claimed} == {late}
    assert numbers(claimed) == {"1.1", "2.1"} and all(is_catch_up(c.kind) for c in claimed)


async def test_after_downtime_the_missed_reminders_come_as_one_summary_in_the_window(
    session_factory: Factory,
) -> None:
    before = local("2026-11-02", 10)
    await add_school(session_factory, "СОШ № 1", before)
    await import_roadmap(
        session_factory,
        before,
        {"1.1": [date(2026, 11, 19)], "1.2": [date(2026, 11, 24)], "1.3": [date(2026, 11, 20)]},
    )
    assert await claim(session_factory, before) == []
    # The bot was down from 3 November and comes back on a Saturday night.
    assert await claim(session_factory, local("2026-11-28", 23)) == []
    claimed = await claim(session_factory, local("2026-11-30", 9, 5))
    assert sorted((c.measure_number, c.kind) for c in claimed) == [
        ("1.1", "catchup:overdue:2"),
        ("1.2", "catchup:overdue:1"),
        ("1.3", "catchup:overdue:1"),
    ]
    # 1.3's second overdue reminder was due at 10:00 today: the summary said it already.
    assert await claim(session_factory, local("2026-11-30")) == []
    async with session_factory() as session:
        pending_past = await session.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.state == "pending", Reminder.due_at <= local("2026-11-30", 9, 5))
        )
    assert pending_past == 0


async def test_a_held_catch_up_goes_at_the_opening_and_that_day_s_reminder_is_skipped(
    session_factory: Factory,
) -> None:
    evening = local("2026-12-01", 20)
    await add_school(session_factory, "СОШ № 1", evening)
    await import_roadmap(session_factory, evening, {"1.1": [date(2026, 12, 2)]})
    assert await claim(session_factory, evening) == []
    # Tomorrow at 09:00 the window opens: the catch-up goes, and stands for the 10:00 reminder.
    opening = await claim(session_factory, local("2026-12-02", 9))
    assert [(c.measure_number, c.kind) for c in opening] == [("1.1", "catchup:before:1")]
    assert await claim(session_factory, local("2026-12-02", 10)) == []


# -- the rule as a property: random import and join times, holidays, a downtime ---------------

WINDOW = SendingWindow()
START = datetime(2026, 12, 14, tzinfo=UTC)  # the New Year holidays fall inside the runs


@st.composite
def histories(draw: st.DrawFn) -> tuple[datetime, datetime, tuple[datetime, datetime], list[int]]:
    """(import, second head joins, (downtime start, end), due dates as days after the import)."""
    minutes = st.integers(min_value=0, max_value=24 * 60 - 1)
    imported = START + timedelta(days=draw(st.integers(0, 20)), minutes=draw(minutes))
    joins = imported + timedelta(days=draw(st.integers(0, 6)), minutes=draw(minutes))
    down_from = imported + timedelta(days=draw(st.integers(0, 8)), minutes=draw(minutes))
    down_to = down_from + timedelta(hours=draw(st.integers(0, 120)))
    due = draw(st.lists(st.integers(-45, 20), min_size=1, max_size=4, unique=True))
    return imported, joins, (down_from, down_to), due


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
@example(  # joins after hours; the bot is down from 09:01 to 18:01 the next day
    (
        datetime(2026, 12, 14, 10, 0, tzinfo=UTC),
        datetime(2026, 12, 16, 10, 0, tzinfo=UTC),
        (datetime(2026, 12, 17, 1, 1, tzinfo=UTC), datetime(2026, 12, 17, 10, 1, tzinfo=UTC)),
        [0],
    )
)
def test_every_due_occurrence_is_announced_within_a_window_and_no_slot_twice(
    history: tuple[datetime, datetime, tuple[datetime, datetime], list[int]],
) -> None:
    asyncio.run(_simulate(*history))


async def _simulate(
    imported: datetime, joins: datetime, downtime: tuple[datetime, datetime], due: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/catch_up.sqlite3")
        await upgrade(engine)
        factory = create_session_factory(engine)
        try:
            await _run_history(factory, imported, joins, downtime, due)
        finally:
            await engine.dispose()


async def _run_history(
    factory: Factory,
    imported: datetime,
    joins: datetime,
    downtime: tuple[datetime, datetime],
    due: list[int],
) -> None:
    first = await add_school(factory, "СОШ № 1", imported)
    second = await add_school(factory, "СОШ № 2", imported, joined=False)
    local_import = imported.astimezone(IRKUTSK).date()
    due_days = {f"{n}.1": [local_import + timedelta(days=d)] for n, d in enumerate(due, 1)}
    await import_roadmap(factory, imported, due_days)
    became_remindable = {first: imported, second: joins}
    last_arrival = max(joins, downtime[1])
    end = WINDOW.next_opening(last_arrival, _calendar(), IRKUTSK) + timedelta(days=2)
    moments = {imported, joins, downtime[1]}
    day = imported.astimezone(IRKUTSK).date()
    while (moment := local(day.isoformat(), 9)) < end:
        moments |= {moment, local(day.isoformat(), 10)}
        day += timedelta(days=1)
    joined = False
    for moment in sorted(m for m in moments if m >= imported):
        if not joined and moment >= joins:
            await join(factory, second, joins)
            joined = True
        if downtime[0] <= moment < downtime[1]:
            continue
        async with unit_of_work(factory) as uow:
            await replan(uow, moment)  # the planner's own tick
            await uow.commit()
        await claim(factory, moment)

    async with factory() as session:
        sent = (
            await session.execute(
                select(Reminder.occurrence_id, Reminder.person_id, Reminder.kind, Reminder.sent_at)
                .where(Reminder.state == "sent")
                .order_by(Reminder.sent_at)
            )
        ).all()
        occurrences = (
            await session.execute(
                select(Occurrence.id, Occurrence.due_on, Person.id)
                .join(Assignment, Assignment.id == Occurrence.assignment_id)
                .join(Person, Person.organisation_id == Assignment.organisation_id)
            )
        ).all()
    by_pair: dict[tuple[int, int], list[tuple[str, datetime | None]]] = {}
    for occurrence, person, kind, at in sent:
        by_pair.setdefault((occurrence, person), []).append((kind, at))
    for messages in by_pair.values():
        slots = [kind.removeprefix("catchup:") for kind, _at in messages]
        assert len(slots) == len(set(slots)), f"a slot reached someone twice: {messages}"
    for occurrence, due_on, person in occurrences:
        plan = all_reminders(due_on, ReminderPolicy(), _calendar(), IRKUTSK)
        moment = became_remindable[person]
        if plan[0].due_at > moment:
            continue  # not yet due when the person arrived: the regular policy covers it
        # Within the first sending window the bot is up for: a downtime postpones it.
        opening = WINDOW.next_opening(moment, _calendar(), IRKUTSK)
        if downtime[0] <= opening < downtime[1]:
            opening = WINDOW.next_opening(downtime[1], _calendar(), IRKUTSK)
        deadline = WINDOW.closing_of(opening, IRKUTSK)
        times = [at for _kind, at in by_pair.get((occurrence, person), []) if at is not None]
        assert any(moment <= at <= deadline for at in times), (
            f"occurrence due {due_on} not announced to {person} between {moment} and "
            f"{deadline}: {by_pair.get((occurrence, person))}"
        )


def _calendar() -> WorkCalendar:
    return russian_calendar(2026, 2027)


async def test_inside_the_window_the_catch_up_goes_at_once_for_both_measures(
    session_factory: Factory,
) -> None:
    morning = local("2026-12-02", 9, 30)
    await add_school(session_factory, "СОШ № 1", morning)
    await import_roadmap(
        session_factory, morning, {"1.1": [date(2026, 12, 2)], "1.2": [date(2026, 12, 1)]}
    )
    claimed = await claim(session_factory, morning)
    assert sorted((c.measure_number, c.kind) for c in claimed) == [
        ("1.1", "catchup:before:1"),
        ("1.2", "catchup:due"),
    ]
    # 1.1's «due today» reminder at 10:00 would say the same again half an hour later.
    assert await claim(session_factory, local("2026-12-02")) == []


async def test_a_school_first_named_in_an_invitation_gets_the_measures_for_every_school(
    session_factory: Factory,
) -> None:
    now = local("2026-12-02", 11)
    await add_school(session_factory, "СОШ № 1", now)
    async with unit_of_work(session_factory) as uow:
        roadmap = await add_roadmap(uow.session, "Дорожная карта", now)
        uow.session.add(
            Measure(
                roadmap_id=roadmap.id,
                number="1.1",
                position=0,
                title="Педсовет",
                schedule_kind="once",
                schedule_due=["2026-12-03"],
                assignee_specs=[{"kind": "schools", "text": "Руководители ОО"}],
            )
        )
        await uow.session.flush()
        await reach_every_school(uow, now)
        await replan(uow, now)
        await uow.commit()
    assert len(await claim(session_factory, now)) == 1  # СОШ № 1's head hears of it
    async with unit_of_work(session_factory) as uow:
        issued = await issue_invitation(
            uow, full_name="Сидорова О.И.", role=Role.RESPONSIBLE, organisation="СОШ № 9", now=now
        )
        await uow.commit()
    async with session_factory() as session:
        school = await session.scalar(select(Organisation).where(Organisation.name == "СОШ № 9"))
        assert school is not None
        due = await session.scalars(
            select(Occurrence.due_on)
            .join(Assignment, Assignment.id == Occurrence.assignment_id)
            .where(Assignment.organisation_id == school.id)
        )
        assert list(due) == [date(2026, 12, 3)]
    # She joins: the measure due tomorrow is announced at once.
    await join(session_factory, issued.person_id, now)
    claimed = await claim(session_factory, now)
    assert [(c.person_id, c.measure_number) for c in claimed] == [(issued.person_id, "1.1")]


async def test_with_every_day_open_a_sunday_afternoon_import_is_announced_at_once(
    session_factory: Factory, clock: MutableClock
) -> None:
    # SCHEDULER__WINDOW_START=00:00, _END=23:59, _WORKING_DAYS_ONLY=false, as the bot reads them:
    # a 24/7 desk, so a Sunday (a day off of the production calendar) is no reason to wait.
    window = SchedulerSection(
        window_start="00:00", window_end="23:59", window_working_days_only=False
    ).window
    zone = ZoneInfo("Etc/GMT+11")  # UTC-11: Sunday 14:00 there is already Monday 01:00 in UTC
    sunday = date(2026, 12, 6)
    clock.set(datetime(2026, 12, 6, 14, tzinfo=zone).astimezone(UTC))
    await add_school(session_factory, "СОШ № 1", clock.now())
    await import_roadmap(
        session_factory,
        clock.now(),
        {"1": [sunday + timedelta(days=1)], "2": [sunday - timedelta(days=5)]},
        timezone="Etc/GMT+11",
    )
    async with unit_of_work(session_factory) as uow:
        claimed = await claim_due(uow, clock.now(), window=window)
        await uow.commit()
    assert sorted((c.measure_number, c.kind) for c in claimed) == [
        ("1", "catchup:before:1"),
        ("2", "catchup:overdue:1"),
    ]
