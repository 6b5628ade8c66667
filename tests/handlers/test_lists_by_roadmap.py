"""Lists that span roadmaps, through the real bot: /digest and the coordinator's calendar group
or name by roadmap when the department runs more than one active roadmap, and leave archived
ones out; what waits for the coordinator's decision names its roadmap the same way; a
department with one roadmap (its requests beside it) sees no heading; a button shown before its
roadmap was archived is refused and starts nothing."""

from __future__ import annotations

from datetime import date

from icalendar import Event
from sqlalchemy import func, select, update

from domain.requests import AddresseeKind, Addressees
from domain.roles import Role
from standin import SimulatedUser
from standin.users import button_texts
from storage.models import (
    Assignment,
    ExtensionRequest,
    Measure,
    Occurrence,
    Organisation,
    Person,
    StatusReport,
)
from storage.usecases.requests.lifecycle import send_request
from tests.conftest import RunningBot
from tests.handlers.test_calendar_chat import events_of
from tests.handlers.test_digest_export import next_text_with, next_with
from tests.handlers.test_reports import reminded
from tests.handlers.test_several_roadmaps import _coordinator_with, _import
from tests.support import audit_actions, unit_of_work

TO_2030 = "«Дорожная карта повышения качества образования в Усть-Кутском муниципальном…»"
SHNOR = "«Муниципальная дорожная карта по сопровождению общеобразовательных организаций…»"
ARCHIVED = (
    "— в архиве: отчёты по мероприятиям этой дорожной карты больше не принимаются. "
    "Что ещё ждёт вашего отчёта — в /my."
)


async def _department(bot: RunningBot) -> tuple[SimulatedUser, SimulatedUser]:
    """The roadmap to 2030, and the ШНОР roadmap (2024-2025: archived by its period) with
    Мария's school among its ШНОР schools."""
    anna = await _coordinator_with(bot, "ust_kut")
    maria = await bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    async with bot.session_factory() as session:
        await session.execute(
            update(Organisation).where(Organisation.name == "СОШ № 1").values(tags=["ШНОР"])
        )
        await session.commit()
    await _import(anna, "ust_ilimsk")
    return anna, maria


async def _roadmap_button(anna: SimulatedUser, label: str) -> None:
    await anna.ask("/roadmaps")
    await anna.press(label)
    await anna.next_message()


async def _digest(anna: SimulatedUser) -> str:
    """/digest's text: the chart first, then its parts, the last one with the buttons."""
    await anna.send("/digest")
    await next_with(anna, "photo")
    parts = []
    while True:
        message = await next_text_with(anna, "")
        parts.append(str(message["text"]))
        if message.get("reply_markup"):
            return "\n".join(parts)


async def test_the_digest_groups_by_roadmap_only_when_several_are_active(
    running_bot: RunningBot,
) -> None:
    anna, _maria = await _department(running_bot)

    alone = await _digest(anna)  # 2 March 2026: the ШНОР roadmap is in the archive
    assert alone.startswith("Сводка на 02.03.2026")
    assert "«" not in alone.split("\n• ")[0]  # no heading: reads as it always has
    assert "Просрочено (1):\n• 28.02 1.1 Разработка муниципальной" in alone
    assert alone.count("Просрочено (") == 1 and "просрочено на 701 день" not in alone

    await _roadmap_button(anna, "Вернуть № 2 из архива")
    grouped = await _digest(anna)
    assert grouped.count("Выполнено: 0 · В работе: 0") == 1  # the totals, once for all
    shnor, to_2030 = grouped.index("\n" + SHNOR + "\n"), grouped.index("\n" + TO_2030 + "\n")
    # Each heading with its own measures under it, in the order the roadmaps are listed.
    assert shnor < grouped.index("Просрочено (32):") < to_2030
    assert grouped.index("• 31.03 1 Определение и согласование") < to_2030
    assert grouped[to_2030:].startswith(
        "\n" + TO_2030 + "\nПросрочено (1):\n• 28.02 1.1 Разработка муниципальной"
    )

    await anna.press("СОШ № 1")  # the school's detail, grouped the same way
    detail = str((await next_text_with(anna, "СОШ № 1: мероприятия"))["text"])
    assert "\n" + SHNOR + "\n7 Разработка концептуальных документов" in detail


def _categories(event: Event) -> str:
    value = event["categories"].to_ical()
    return value.decode() if isinstance(value, bytes) else str(value)


def _names_a_roadmap(event: Event) -> bool:
    """The description begins with the roadmap's title when the file names roadmaps."""
    return str(event.get("description", "")).startswith(("«Дорожная", "«Муниципальная", "«Запрос"))


async def test_the_coordinators_calendar_names_roadmaps_and_leaves_archived_ones_out(
    running_bot: RunningBot,
) -> None:
    anna, _maria = await _department(running_bot)

    await anna.send("/calendar")
    alone = events_of(running_bot, await next_with(anna, "document"))
    assert alone and all(event.decoded("dtstart").year >= 2026 for event in alone)
    assert not [e for e in alone if "categories" in e or _names_a_roadmap(e)]

    await _roadmap_button(anna, "Вернуть № 2 из архива")
    await anna.send("/calendar")
    both = events_of(running_bot, await next_with(anna, "document"))
    shnor = [e for e in both if e.decoded("dtstart").year < 2026]
    assert shnor and len(both) > len(alone)
    for event in both:
        description = str(event["description"])
        title = "Муниципальная" if event in shnor else "Дорожная карта повышения"
        assert description.startswith("«" + title), description
        assert _categories(event).startswith(title)


async def test_one_roadmap_and_its_requests_bring_no_heading(running_bot: RunningBot) -> None:
    anna = await _coordinator_with(running_bot, "ust_kut")
    maria = await running_bot.join_as(
        "Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1"
    )
    # A request under no measure: the department's holder of requests, no second roadmap.
    async with unit_of_work(running_bot.session_factory) as uow:
        await send_request(
            uow,
            text="Пришлите план летней кампании",
            due_text="до 30.04.2026",
            due_on=date(2026, 4, 30),
            addressees=Addressees(AddresseeKind.ALL),
            now=running_bot.clock.now(),
        )
        await uow.commit()

    await maria.send("/my")
    mine = str((await next_text_with(maria, "Ваши мероприятия"))["text"])
    assert "Пришлите план летней кампании" in mine and "«" not in mine
    await maria.send("/report")
    choices = await next_text_with(maria, "По какому мероприятию")
    assert choices["text"] == "По какому мероприятию вы отчитываетесь?"
    assert not [text for text in button_texts(choices) if text.startswith("1) ")]
    await maria.send("/calendar")
    events = events_of(running_bot, await next_with(maria, "document"))
    assert any("Пришлите план" in str(event["summary"]) for event in events)
    assert not [e for e in events if "categories" in e or _names_a_roadmap(e)]
    await anna.send("/calendar")
    everyone = events_of(running_bot, await next_with(anna, "document"))
    assert not [e for e in everyone if "categories" in e]


async def _reports(bot: RunningBot) -> int:
    async with bot.session_factory() as session:
        return int(await session.scalar(select(func.count(StatusReport.id))) or 0)


async def test_a_list_button_of_a_roadmap_archived_since_is_refused(
    running_bot: RunningBot,
) -> None:
    anna, maria = await _department(running_bot)
    await _roadmap_button(anna, "Вернуть № 2 из архива")
    choices = await maria.ask("/report")
    late = next(text for text in button_texts(choices) if "31.05.2024" in text)
    assert late.startswith("1) 7 · 31.05.2024")

    await _roadmap_button(anna, "Отправить № 1 в архив")  # the ШНОР roadmap, first in the list
    answer = await maria.press(late)
    assert answer["show_alert"] and len(str(answer["text"])) <= 200
    assert answer["text"] == ("«Муниципальная дорожная карта по сопровождению…» " + ARCHIVED)
    # Nothing started: her next words are no report's answer, and nothing was saved.
    await maria.send("Проведено")
    reply = await next_text_with(maria, "")
    assert "Это сообщение не сохранено" in str(reply["text"])
    assert await _reports(running_bot) == 0
    assert ("report.pick", "refused") in await audit_actions(running_bot.session_factory)
    again = str((await maria.ask("/my"))["text"])
    assert "31.05.2024" not in again and "«" not in again


async def test_a_reminders_buttons_after_its_roadmap_was_archived(
    running_bot: RunningBot,
) -> None:
    anna, maria, _petr, reminder = await reminded(running_bot)
    assert "Выполнено" in button_texts(reminder)
    await _roadmap_button(anna, "Отправить № 1 в архив")

    answer = await maria.press("Выполнено")
    assert answer["show_alert"]
    assert str(answer["text"]).startswith("«Дорожная карта повышения качества образования")
    assert str(answer["text"]).endswith(ARCHIVED)
    await maria.send("Дорожная карта направлена")
    reply = await next_text_with(maria, "")
    assert "что сделано" not in str(reply["text"]) and "Прикрепите" not in str(reply["text"])
    assert await _reports(running_bot) == 0
    assert ("report.button", "refused") in await audit_actions(running_bot.session_factory)
    assert (await maria.ask("/report"))["text"] == "Сейчас у вас нет открытых мероприятий."


async def _waiting_in_each_roadmap(bot: RunningBot) -> None:
    """Мария's report and her request to move a deadline, on a measure of each roadmap, both
    waiting for the coordinator."""
    async with bot.session_factory() as session:
        maria = await session.scalar(
            select(Person.id).where(Person.full_name == "Иванова Мария Петровна")
        )
        school = await session.scalar(select(Organisation.id).where(Organisation.name == "СОШ № 1"))
        for roadmap in (1, 2):
            occurrence = await session.scalar(
                select(Occurrence.id)
                .join(Measure, Measure.id == Occurrence.measure_id)
                .join(Assignment, Assignment.id == Occurrence.assignment_id)
                .where(Measure.roadmap_id == roadmap, Assignment.organisation_id == school)
                .order_by(Occurrence.due_on, Measure.position)
                .limit(1)
            )
            assert occurrence is not None and maria is not None
            now = bot.clock.now()
            session.add(
                StatusReport(
                    occurrence_id=occurrence, person_id=maria, status="done", created_at=now
                )
            )
            session.add(
                ExtensionRequest(
                    occurrence_id=occurrence,
                    person_id=maria,
                    requested_on=date(2026, 6, 1),
                    reason="Ждём решения педсовета",
                    created_at=now,
                )
            )
        await session.commit()


async def test_what_waits_for_the_coordinator_names_its_roadmap_when_several_are_active(
    running_bot: RunningBot,
) -> None:
    anna, _maria = await _department(running_bot)
    await _waiting_in_each_roadmap(running_bot)

    # One active roadmap (the ШНОР one is in the archive): the lists read as they always have.
    alone = await _digest(anna)
    assert (
        "Отчёты ждут вашего решения (2):\n• П3.2 · СОШ № 1 · Иванова Мария Петровна\n"
        "• 7 · СОШ № 1 · Иванова Мария Петровна\n"
        "Просьбы перенести срок (2):\n• П3.2 · СОШ № 1 → 01.06.2026\n• 7 · СОШ № 1 → 01.06.2026"
    ) in alone

    await _roadmap_button(anna, "Вернуть № 2 из архива")
    grouped = await _digest(anna)
    # Each line under its roadmap's title, in the order the digest lists the roadmaps.
    assert (
        f"Отчёты ждут вашего решения (2):\n{SHNOR}\n• 7 · СОШ № 1 · Иванова Мария Петровна\n"
        f"{TO_2030}\n• П3.2 · СОШ № 1 · Иванова Мария Петровна\n"
        f"Просьбы перенести срок (2):\n{SHNOR}\n• 7 · СОШ № 1 → 01.06.2026\n"
        f"{TO_2030}\n• П3.2 · СОШ № 1 → 01.06.2026"
    ) in grouped
