"""/people's changes of staff through the real bot: a head replaced mid-year, a deputy who
reports and is reminded, someone deactivated, the late schools to call, and the refusals."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain.people_sheet import SchoolHead
from domain.roles import Role
from handlers.common.callbacks import ReportCb, StaffCb
from standin import SimulatedUser
from standin.users import button_texts
from storage.models import AccessToken, Invitation, Organisation, Person, Reminder, StatusReport
from storage.usecases.people import import_school_heads
from storage.usecases.tokens import issue_token
from tests.conftest import RunningBot
from tests.handlers.test_digest_export import next_text_with
from tests.handlers.test_reports import reminded, report_without_evidence
from tests.support import row_counts, unit_of_work

STRANGER = "Здравствуйте! Этот бот напоминает"


def token_in(text: str) -> str:
    found = re.search(r"start=([\w-]+)", text)
    assert found, text
    return found.group(1)


async def person_named(bot: RunningBot, prefix: str) -> Person:
    async with bot.session_factory() as session:
        person = await session.scalar(select(Person).where(Person.full_name.like(f"{prefix}%")))
    assert person is not None
    return person


async def open_people(coordinator: SimulatedUser) -> None:
    coordinator.skip_unread()
    await coordinator.send("/people")
    await coordinator.next_message()  # the instructions, with the buttons of staff changes
    await coordinator.next_message()  # the template


async def replace_with(coordinator: SimulatedUser, school: str, text: str) -> str:
    await open_people(coordinator)
    await coordinator.press("Заменить руководителя")
    assert "Какая школа?" in (await coordinator.next_message())["text"]
    await coordinator.press(school)
    assert "новый руководитель" in (await coordinator.next_message())["text"]
    return str((await coordinator.ask(text))["text"])


async def test_a_head_replaced_mid_year_keeps_the_schools_reports(running_bot: RunningBot) -> None:
    anna, maria, _petr, _reminder = await reminded(running_bot)
    await report_without_evidence(maria, "Выполнено", "Провели педсовет")
    old = await person_named(running_bot, "Иванова")
    maria.skip_unread()

    answer = await replace_with(
        anna, "СОШ № 1", "Сидорова Светлана Ивановна, s.sidorova@school1.ru, +7 900 111-22-33"
    )
    assert "У школы «СОШ № 1» новый руководитель: Сидорова Светлана Ивановна" in answer
    assert "Иванова Мария Петровна больше не может пользоваться ботом" in answer
    assert "отчёты и сроки школы остаются за школой" in answer

    new = await person_named(running_bot, "Сидорова")
    assert (new.organisation_id, new.role, new.deputy) == (
        old.organisation_id,
        "responsible",
        False,
    )
    assert (new.email, new.phone) == ("s.sidorova@school1.ru", "+7 900 111-22-33")
    assert not (await person_named(running_bot, "Иванова")).is_active
    async with running_bot.session_factory() as session:
        report = await session.scalar(select(StatusReport))
        pending = await session.scalar(
            select(Reminder.id).where(Reminder.person_id == old.id, Reminder.state == "pending")
        )
    assert report is not None and report.text == "Провели педсовет"
    assert pending is None  # the old head is reminded of nothing

    # The old head is a stranger now; the new one joins by the link and has the school's measures.
    assert STRANGER in (await maria.ask("/my"))["text"]
    svetlana = running_bot.user("Светлана")
    welcome = await svetlana.ask(f"/start {token_in(answer)}")
    assert "Сидорова" in welcome["text"] or "Светлана" in welcome["text"]
    svetlana.skip_unread()
    my = await svetlana.ask("/my")
    assert STRANGER not in my["text"]


async def test_a_head_of_another_school_is_refused_and_nothing_changes(
    running_bot: RunningBot,
) -> None:
    anna, _maria, _petr, _reminder = await reminded(running_bot)
    before = await row_counts(running_bot.session_factory)

    answer = await replace_with(anna, "СОШ № 1", "Петров Пётр Петрович")

    assert "Этот человек уже руководит школой «СОШ № 2»" in answer
    assert "Ничего не изменено" in answer
    assert (await person_named(running_bot, "Иванова")).is_active
    after = await row_counts(running_bot.session_factory)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }


async def test_a_replacement_pressed_by_a_head_is_refused(running_bot: RunningBot) -> None:
    _anna, maria, petr, _reminder = await reminded(running_bot)
    school = (await person_named(running_bot, "Иванова")).organisation_id
    assert school is not None
    petr.skip_unread()

    forged = await petr.press_data(StaffCb(action="replace_school", value=school).pack())
    assert forged["show_alert"] and "только координатор" in str(forged["text"])
    await petr.send("Петров Пётр Петрович")
    assert (await person_named(running_bot, "Иванова")).is_active
    assert maria.unread() == [] or all("больше" not in str(m) for m in maria.unread())


async def test_a_deputy_reports_is_reminded_as_chosen_and_is_refused_once_removed(
    running_bot: RunningBot,
) -> None:
    anna, maria, _petr, _reminder = await reminded(running_bot)
    await open_people(anna)
    await anna.press("Добавить заместителя")
    await anna.next_message()
    await anna.press("СОШ № 1")
    await anna.next_message()
    added = await anna.ask("Орлова Ольга Игоревна, orlova@school1.ru")
    assert "Орлова Ольга Игоревна теперь заместитель руководителя школы «СОШ № 1»" in added["text"]
    olga = running_bot.user("Ольга")
    await olga.ask(f"/start {token_in(added['text'])}")
    olga.skip_unread()

    await anna.press("Заместителю")
    assert (
        "напоминания школы «СОШ № 1» теперь приходят заместителю"
        in (await anna.next_message())["text"]
    )
    deputy = await person_named(running_bot, "Орлова")
    head = await person_named(running_bot, "Иванова")
    async with running_bot.session_factory() as session:
        school = await session.get(Organisation, head.organisation_id)
        deputy_pending = await session.scalar(
            select(Reminder.id).where(Reminder.person_id == deputy.id, Reminder.state == "pending")
        )
        head_pending = await session.scalar(
            select(Reminder.id).where(Reminder.person_id == head.id, Reminder.state == "pending")
        )
    assert school is not None and school.reminded == "deputy"
    assert deputy_pending is not None and head_pending is None

    # The deputy reports for the school on the head's occurrence.
    occurrence = ReportCb.unpack(
        next(
            button["callback_data"]
            for row in _reminder["reply_markup"]["inline_keyboard"]  # type: ignore[index]
            for button in row
            if button["callback_data"].startswith(ReportCb.__prefix__)
        )
    ).occurrence_id
    started = await olga.press_data(ReportCb(occurrence_id=occurrence, action="done").pack())
    assert not started["show_alert"]
    assert "что сделано" in str((await next_text_with(olga, "что сделано"))["text"])
    await olga.send("/cancel")
    olga.skip_unread()

    # Removed: her next press is a stranger's, and nothing is saved.
    await open_people(anna)
    await anna.press("Отключить пользователя")
    await anna.next_message()
    await anna.ask("Орлова Ольга Игоревна")
    await anna.press("Орлова Ольга Игоревна — СОШ № 1")
    assert "Орлова Ольга Игоревна: доступ к боту закрыт" in (await anna.next_message())["text"]
    refused = await olga.press_data(ReportCb(occurrence_id=occurrence, action="done").pack())
    assert refused["show_alert"]
    async with running_bot.session_factory() as session:
        assert await session.scalar(select(StatusReport.id)) is None
    assert maria is not None


async def test_deactivating_revokes_unused_invitations_and_links(running_bot: RunningBot) -> None:
    anna = await running_bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    token = await running_bot.invite("Кузнецов Илья Петрович", Role.RESPONSIBLE, "СОШ № 5")
    ilya = await person_named(running_bot, "Кузнецов")
    async with unit_of_work(running_bot.session_factory) as uow:
        await issue_token(
            uow, ilya.id, "calendar", now=running_bot.clock.now(), ttl=timedelta(days=30)
        )
        await uow.commit()

    await open_people(anna)
    await anna.press("Отключить пользователя")
    await anna.next_message()
    await anna.ask("Кузнецов Илья Петрович")
    await anna.press("Кузнецов Илья Петрович — СОШ № 5")
    await anna.next_message()

    async with running_bot.session_factory() as session:
        invitations = list(
            await session.scalars(
                select(Invitation.revoked_at).where(Invitation.person_id == ilya.id)
            )
        )
        tokens = list(await session.scalars(select(AccessToken.revoked_at)))
    assert invitations and all(invitations)
    assert tokens and all(tokens)
    late = running_bot.user("Илья")
    assert "Кузнецов" not in (await late.ask(f"/start {token}"))["text"]


async def test_the_last_coordinator_cannot_be_deactivated(running_bot: RunningBot) -> None:
    anna = await running_bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    await open_people(anna)
    await anna.press("Отключить пользователя")
    await anna.next_message()
    await anna.ask("Антипина Анна Михайловна")
    await anna.press("Антипина Анна Михайловна — УО")
    assert "единственный координатор" in (await anna.next_message())["text"]
    assert (await person_named(running_bot, "Антипина")).is_active


async def test_the_late_schools_with_the_heads_phone_and_e_mail(running_bot: RunningBot) -> None:
    anna, _maria, _petr, _reminder = await reminded(running_bot)
    async with unit_of_work(running_bot.session_factory) as uow:
        petr = await uow.people.find("Петров Пётр Петрович", None)
        for person in await uow.people.named("Петров Пётр Петрович"):
            person.phone, person.email = "+7 900 222-33-44", "petrov@school2.ru"
        await uow.commit()
    assert petr is None  # he belongs to his school
    running_bot.clock.set(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    await open_people(anna)
    await anna.press("Опаздывающие школы: кому позвонить")
    late = await anna.next_message()
    while not late.get("text", "").startswith("Школ с просроченными отчётами"):
        late = await anna.next_message()
    assert "СОШ № 2 — просрочено:" in late["text"]
    assert "Петров Пётр Петрович, +7 900 222-33-44, petrov@school2.ru" in late["text"]
    assert "Иванова Мария Петровна, нет телефона, нет почты" in late["text"]


async def test_schools_to_choose_from_come_in_the_order_of_their_numbers(
    running_bot: RunningBot,
) -> None:
    anna = await running_bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    async with unit_of_work(running_bot.session_factory) as uow:
        heads = [
            SchoolHead(f"СОШ № {n}", f"Руководитель {n} Школы", "директор", None, None, False)
            for n in (10, 2, 1, 11, 3)
        ]
        await import_school_heads(uow, heads, now=running_bot.clock.now())
        await uow.commit()
    in_order = ["СОШ № 1", "СОШ № 2", "СОШ № 3", "СОШ № 10", "СОШ № 11"]

    # The head to replace: not «№ 1, № 10, № 11, № 2, № 3».
    await open_people(anna)
    await anna.press("Заменить руководителя")
    assert button_texts(await anna.next_message()) == in_order

    # The schools a request is for.
    await anna.ask("/ask")
    await anna.ask("Сведения о кадрах")
    await anna.press("Выбрать школы")
    assert button_texts(await anna.next_message())[:5] == in_order
