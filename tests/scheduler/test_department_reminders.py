"""The department's own measures are reminded as a school's are: the reminder planner reminds
the person a measure is given to, or, given to the department itself, its coordinators and
methodists who joined; and the outbox delivers it to them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import build_i18n
from demo.documents import seed_document
from domain.people_sheet import SchoolHead
from domain.roadmap.build import build_draft
from domain.roles import Role
from handlers.report.reminders import ReminderTexts
from scheduler.clock_jobs import ReminderPlanner
from scheduler.outbox import ReminderOutbox
from scheduler.sender import ChatSender
from standin import StandInServer
from storage.models import Assignment, Measure, Occurrence, Organisation, Reminder
from storage.usecases.access import may_act_on_occurrence
from storage.usecases.invitations import issue_invitation
from storage.usecases.people import import_school_heads
from storage.usecases.reports.reportable import reportable
from storage.usecases.roadmaps import save_roadmap
from tests.support import MutableClock, unit_of_work

Factory = async_sessionmaker[AsyncSession]
DEPARTMENT = "УО УКМО"  # as the seed roadmap names it: its measures are the department's own
# Friday 3 April 2026, 10:00 in Irkutsk: within the sending window, measure 1.1 overdue.
FRIDAY = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
async def bot(standin: StandInServer) -> AsyncIterator[Bot]:
    bot = Bot(
        standin.world.token,
        session=AiohttpSession(api=TelegramAPIServer.from_base(standin.base_url)),
    )
    yield bot
    await bot.session.close()


async def _person(
    factory: Factory, name: str, role: Role, organisation: str, chat: int | None, now: datetime
) -> int:
    """Someone invited; joined in ``chat`` unless it is ``None``."""
    async with unit_of_work(factory) as uow:
        issued = await issue_invitation(
            uow, full_name=name, role=role, now=now, organisation=organisation
        )
        person = await uow.people.get(issued.person_id)
        assert person is not None
        person.user_address = person.chat_address = chat
        await uow.commit()
        return issued.person_id


def _outbox(factory: Factory, bot: Bot, clock: MutableClock) -> ReminderOutbox:
    """The outbox as the bot runs it, with no pacing to wait for."""
    return ReminderOutbox(
        factory,
        ChatSender(bot, per_second=100, per_chat_interval=0),
        ReminderTexts(build_i18n("ru")),
        clock,
    )


async def _reminded(factory: Factory) -> dict[int, set[str]]:
    """Each person's reminded measures, by number, and whose assignment it came through."""
    async with factory() as session:
        rows = await session.execute(
            select(Reminder.person_id, Measure.number)
            .join(Occurrence, Occurrence.id == Reminder.occurrence_id)
            .join(Measure, Measure.id == Occurrence.measure_id)
            .where(Reminder.state == "pending")
        )
        found: dict[int, set[str]] = {}
        for person_id, number in rows:
            found.setdefault(person_id, set()).add(number)
        return found


async def _department_numbers(factory: Factory) -> set[str]:
    async with factory() as session:
        return set(
            await session.scalars(
                select(Measure.number)
                .join(Assignment, Assignment.measure_id == Measure.id)
                .join(Organisation, Organisation.id == Assignment.organisation_id)
                .where(Organisation.name == DEPARTMENT)
            )
        )


async def test_the_departments_measures_remind_its_coordinators_and_methodists(
    session_factory: Factory, standin: StandInServer, bot: Bot
) -> None:
    clock = MutableClock(FRIDAY)
    world = standin.world
    anna_chat = world.add_user("Анна", started=True).id
    observer_chat = world.add_user("Ольга", started=True).id
    left_chat = world.add_user("Нина", started=True).id
    anna = await _person(
        session_factory, "Антипина Анна Михайловна", Role.COORDINATOR, DEPARTMENT, anna_chat, FRIDAY
    )
    observer = await _person(
        session_factory, "Кузьмина Ольга Ивановна", Role.OBSERVER, DEPARTMENT, observer_chat, FRIDAY
    )
    left = await _person(
        session_factory, "Носова Нина Павловна", Role.COORDINATOR, DEPARTMENT, left_chat, FRIDAY
    )
    not_joined = await _person(
        session_factory, "Белова Вера Олеговна", Role.COORDINATOR, DEPARTMENT, None, FRIDAY
    )
    async with unit_of_work(session_factory) as uow:
        person = await uow.people.get(left)
        assert person is not None
        person.is_active = False  # deactivated: reminded of nothing
        heads = [SchoolHead("СОШ № 1", "Иванова Мария Петровна", "директор", None, None, False)]
        await import_school_heads(uow, heads, now=FRIDAY)
        for head in await uow.people.named("Иванова Мария Петровна"):
            head.user_address = head.chat_address = world.add_user("Мария", started=True).id
        await save_roadmap(
            uow,
            build_draft(seed_document("ust_kut"), fallback_year=2026),
            now=FRIDAY,
            timezone="Asia/Irkutsk",
        )
        await uow.commit()
    own = await _department_numbers(session_factory)
    assert "1.1" in own

    assert await ReminderPlanner(session_factory, clock).plan_reminders() > 0

    reminded = await _reminded(session_factory)
    # The coordinator who joined is reminded of the department's own measures, and of no
    # school's; the observer, the one who left and the one not joined yet of nothing.
    assert "1.1" in reminded.get(anna, set())
    assert reminded[anna] <= own
    assert observer not in reminded and left not in reminded and not_joined not in reminded

    # The outbox delivers it as it delivers a head's: the overdue 1.1 reaches her chat.
    assert (await _outbox(session_factory, bot, clock).dispatch_due_reminders()).sent > 0
    texts = [str(message.get("text", "")) for message in world.bot_messages(anna_chat)]
    assert any("1.1 Разработка муниципальной дорожной" in text for text in texts), texts
    assert world.bot_messages(observer_chat) == [] and world.bot_messages(left_chat) == []

    # A methodist of the department who joins shares its measures with the coordinator.
    sergey = await _person(
        session_factory,
        "Парилов Сергей Викторович",
        Role.RESPONSIBLE,
        DEPARTMENT,
        world.add_user("Сергей", started=True).id,
        FRIDAY,
    )
    await ReminderPlanner(session_factory, clock).plan_reminders()
    reminded = await _reminded(session_factory)
    assert "1.1" in reminded[sergey] and reminded[sergey] <= own

    # A department measure given to the methodist by name is his alone from then on.
    async with unit_of_work(session_factory) as uow:
        measure = await uow.session.scalar(select(Measure).where(Measure.number == "1.2"))
        assert measure is not None
        for assignment in await uow.session.scalars(
            select(Assignment).where(Assignment.measure_id == measure.id)
        ):
            assignment.organisation_id, assignment.person_id = None, sergey
        await uow.session.execute(
            delete(Reminder).where(
                Reminder.occurrence_id.in_(
                    select(Occurrence.id).where(Occurrence.measure_id == measure.id)
                )
            )
        )
        await uow.commit()
    await ReminderPlanner(session_factory, clock).plan_reminders()
    reminded = await _reminded(session_factory)
    assert "1.2" in reminded[sergey]
    assert "1.2" not in reminded[anna]


async def test_a_coordinator_named_at_a_school_is_not_reminded_as_its_head(
    session_factory: Factory,
) -> None:
    """Coordinators are reminded of the department's measures only: one recorded at a school
    (an old list may say so) is not reminded of the school's as its head is."""
    async with unit_of_work(session_factory) as uow:
        heads = [SchoolHead("СОШ № 1", "Иванова Мария Петровна", "директор", None, None, False)]
        await import_school_heads(uow, heads, now=FRIDAY)
        await save_roadmap(
            uow,
            build_draft(seed_document("ust_kut"), fallback_year=2026),
            now=FRIDAY,
            timezone="Asia/Irkutsk",
        )
        school = await uow.organisations.get_by_name("СОШ № 1")
        assert school is not None
        stray = await uow.people.add(
            full_name="Гусев Олег Ильич",
            role=Role.COORDINATOR,
            now=FRIDAY,
            organisation_id=school.id,
        )
        stray.user_address = stray.chat_address = 555
        await uow.commit()
        stray_id = stray.id
    await ReminderPlanner(session_factory, MutableClock(FRIDAY)).plan_reminders()
    assert stray_id not in await _reminded(session_factory)


async def test_a_measure_given_to_someone_not_joined_reminds_the_department_until_they_join(
    session_factory: Factory, standin: StandInServer, bot: Bot
) -> None:
    """Given by name to a methodist who has not opened her invitation, a department measure
    reminds the department's people in the chat, who are told whose measure it is; once she
    joins, the reminders are hers alone."""
    clock = MutableClock(FRIDAY)
    world = standin.world
    anna_chat = world.add_user("Анна", started=True).id
    anna = await _person(
        session_factory, "Антипина Анна Михайловна", Role.COORDINATOR, DEPARTMENT, anna_chat, FRIDAY
    )
    vera = await _person(
        session_factory, "Белова Вера Олеговна", Role.RESPONSIBLE, DEPARTMENT, None, FRIDAY
    )
    async with unit_of_work(session_factory) as uow:
        await save_roadmap(
            uow,
            build_draft(seed_document("ust_kut"), fallback_year=2026),
            now=FRIDAY,
            timezone="Asia/Irkutsk",
        )
        measure = await uow.session.scalar(select(Measure).where(Measure.number == "1.1"))
        assert measure is not None
        for assignment in await uow.session.scalars(
            select(Assignment).where(Assignment.measure_id == measure.id)
        ):
            assignment.organisation_id, assignment.person_id = None, vera
        await uow.commit()

    await ReminderPlanner(session_factory, clock).plan_reminders()
    assert "1.1" in (await _reminded(session_factory))[anna]
    assert (await _outbox(session_factory, bot, clock).dispatch_due_reminders()).sent > 0
    texts = [str(message.get("text", "")) for message in world.bot_messages(anna_chat)]
    stand_in = [text for text in texts if "1.1 Разработка муниципальной" in text]
    # Imported late, 1.1 comes in the catch-up summary, marked as hers and explained.
    assert stand_in and "(поручено: Белова Вера Олеговна — пока нет в боте)" in stand_in[0]
    assert "отчитайтесь за них сами или попросите их открыть приглашение" in stand_in[0]

    # The reminder's buttons work for Анна: she may report on 1.1 in Вера's stead.
    occurrence_id = stand_in_occurrence(world.bot_messages(anna_chat))
    async with unit_of_work(session_factory) as uow:
        anna_person = await uow.people.get(anna)
        assert await may_act_on_occurrence(uow, anna_person, occurrence_id)
        assert await reportable(uow, occurrence_id, anna_person) is not None  # type: ignore[arg-type]

    async with unit_of_work(session_factory) as uow:  # she opens her invitation
        person = await uow.people.get(vera)
        assert person is not None
        person.user_address = person.chat_address = world.add_user("Вера", started=True).id
        await uow.commit()
    await ReminderPlanner(session_factory, clock).plan_reminders()
    reminded = await _reminded(session_factory)
    assert "1.1" in reminded[vera] and "1.1" not in reminded.get(anna, set())
    async with unit_of_work(session_factory) as uow:  # and the measure is hers alone again
        anna_person = await uow.people.get(anna)
        assert not await may_act_on_occurrence(uow, anna_person, occurrence_id)
        assert await reportable(uow, occurrence_id, anna_person) is None  # type: ignore[arg-type]


def stand_in_occurrence(messages: list[dict[str, object]]) -> int:
    """The occurrence behind the button of 1.1 in the summary."""
    for message in messages:
        markup = message.get("reply_markup") or {}
        assert isinstance(markup, dict)
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if button["text"].startswith("1.1"):
                    return int(button["callback_data"].split(":")[1])
    raise AssertionError("no button of 1.1")
