"""Organisations as the department knows them, through the real Dispatcher: the import's
question «УО УКМО — это Управление образованием УКМО?», no phantom organisation, the
department's own measures reported by its methodist and coordinator, /organisations."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from demo.documents import seed_document, to_docx
from domain.roles import Role
from handlers.common.callbacks import ImportOrgCb, OrganisationCb
from standin import SimulatedUser
from standin.users import button_texts
from storage.models import (
    Assignment,
    AuditEvent,
    Measure,
    Occurrence,
    Organisation,
    OrganisationAlias,
    Person,
    StatusReport,
)
from storage.usecases.planning import replan
from tests.conftest import RunningBot
from tests.handlers.test_digest_export import next_text_with
from tests.support import row_counts, unit_of_work

DEPARTMENT = "Управление образованием УКМО"


async def organisations(bot: RunningBot) -> dict[str, int]:
    async with bot.session_factory() as session:
        rows = await session.execute(select(Organisation.name, Organisation.id))
        return {name: ident for name, ident in rows}


async def answer_all(coordinator: SimulatedUser, message: dict, first: str) -> dict:  # type: ignore[type-arg]
    """Press ``first`` on the first question, «Нет» on any after it; the last message."""
    choice = first
    while "Да" in button_texts(message):
        await coordinator.press(choice)
        message = await coordinator.next_message()
        choice = "Нет, это другая организация"
    return message


async def reply(user: SimulatedUser) -> dict:  # type: ignore[type-arg]
    """The next message that is not a reminder: the department's coordinator is reminded of its
    overdue measures while she works."""
    while True:
        message = await user.next_message()
        if not str(message.get("text", "")).startswith(("⏰", "📋")):
            return message


async def import_seed(bot: RunningBot, coordinator: SimulatedUser, first: str) -> dict:  # type: ignore[type-arg]
    await coordinator.upload(to_docx(seed_document("ust_kut")), "Дорожная карта УКМО.docx")
    preview = await coordinator.next_message()
    assert "«УО УКМО» — это «Управление образованием УКМО»?" in preview["text"]
    last = await answer_all(coordinator, preview, first)
    assert "Всё готово к сохранению" in last["text"]
    await coordinator.press("Подтвердить")
    return await reply(coordinator)


async def test_the_department_named_otherwise_is_asked_about_once_and_reports_its_measures(
    running_bot: RunningBot,
) -> None:
    coordinator = await running_bot.join_as(
        "Анна", "Антипина Анна Михайловна", Role.COORDINATOR, DEPARTMENT
    )
    await coordinator.upload(to_docx(seed_document("ust_kut")), "Дорожная карта УКМО.docx")
    preview = await coordinator.next_message()

    # The preview asks, says what it will create, and has created nothing yet.
    assert "Вопрос 1 из 3: «УО УКМО» — это «Управление образованием УКМО»?" in preview["text"]
    assert "Если не ответить на вопрос, организация будет создана отдельно" in preview["text"]
    assert "Будут созданы новые организации" in preview["text"]
    assert "«ГАУ ДПО ИРО»" in preview["text"]
    assert button_texts(preview)[:2] == ["Да", "Нет, это другая организация"]
    assert set(await organisations(running_bot)) == {DEPARTMENT}

    # One tap: «Да». The answer stays under the question, the next one follows.
    await coordinator.press("Да")
    following = await coordinator.next_message()
    assert following["text"].startswith("Вопрос 2 из 3: «МКУ РЦ УО УКМО» — это")
    stale = await coordinator.press_data(ImportOrgCb(same=False, asked=0).pack())
    assert stale["show_alert"] and "кнопка" in stale["text"].lower()
    last = await answer_all(coordinator, following, "Да")
    await coordinator.press("Подтвердить")
    saved = await reply(coordinator)
    assert "Мероприятий добавлено: 22" in saved["text"]
    assert "Добавлены организации:" in saved["text"] and "«ГАУ ДПО ИРО»" in saved["text"]
    assert "Всё готово к сохранению" in last["text"]
    assert "«УО УКМО» — это «Управление образованием УКМО»." in last["text"]

    # No phantom: «УО УКМО» is the department's other name, and its measures are the department's.
    names = await organisations(running_bot)
    assert "УО УКМО" not in names
    department = names[DEPARTMENT]
    async with running_bot.session_factory() as session:
        alias = await session.scalar(select(OrganisationAlias.organisation_id))
        assert alias == department
        own = await session.scalar(
            select(func.count(Assignment.id)).where(Assignment.organisation_id == department)
        )
    assert own and own >= 10
    # Its coordinator is reminded of the department's overdue measure, as a head would be.
    await next_text_with(coordinator, "1.1 Разработка муниципальной дорожной")

    # A methodist of the department reports on one of its measures.
    running_bot.clock.set(datetime(2026, 4, 3, 2, 0, tzinfo=UTC))
    methodist = await running_bot.join_as(
        "Сергей", "Парилов Сергей Викторович", Role.RESPONSIBLE, DEPARTMENT
    )
    # Joined after the deadline: the department's overdue measure is the methodist's to answer.
    reminder = await methodist.next_message(timeout=15)
    assert "1.1 Разработка муниципальной дорожной" in reminder["text"]
    choices = await methodist.ask("/report")
    assert "По какому мероприятию" in choices["text"]
    await methodist.press(button_texts(choices)[0])
    await methodist.next_message()
    await methodist.press("Выполнено")
    await methodist.next_message()
    await methodist.ask("Совещание с руководителями проведено 2 апреля")
    await methodist.press("Без файла и ссылки")
    await methodist.next_message()
    await methodist.press("Сохранить")
    assert "сохранён" in (await methodist.next_message())["text"]
    async with running_bot.session_factory() as session:
        report = await session.scalar(select(StatusReport))
        assert report is not None
        occurrence = await session.get(Occurrence, report.occurrence_id)
        assert occurrence is not None
        assignment = await session.get(Assignment, occurrence.assignment_id)
        assert assignment is not None and assignment.organisation_id == department
        methodist_id = await session.scalar(
            select(Person.id).where(Person.full_name == "Парилов Сергей Викторович")
        )
    assert report.person_id == methodist_id

    # The coordinator has /my and /report for the department's measures too.
    coordinator.skip_unread()
    await coordinator.send("/my")
    mine = await reply(coordinator)
    assert "Ваши мероприятия" in mine["text"] and "— срок " in mine["text"]
    assert button_texts(mine)[0].startswith("1. Отчитаться:")
    await coordinator.send("/report")
    offered = await reply(coordinator)
    assert "По какому мероприятию" in offered["text"]


async def test_a_no_keeps_the_organisation_apart_and_merging_later_keeps_every_report(
    running_bot: RunningBot,
) -> None:
    coordinator = await running_bot.join_as(
        "Анна", "Антипина Анна Михайловна", Role.COORDINATOR, DEPARTMENT
    )
    head = await running_bot.join_as(
        "Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "МБОУ СОШ № 1"
    )
    await import_seed(running_bot, coordinator, "Нет, это другая организация")
    names = await organisations(running_bot)
    phantom, department = names["УО УКМО"], names[DEPARTMENT]

    # Both organisations reported on the same date of the same measure (the department was
    # given the measure by hand meanwhile): both reports must survive the merge.
    async with running_bot.session_factory() as session:
        theirs = await session.scalar(
            select(Assignment).where(Assignment.organisation_id == phantom)
        )
        assert theirs is not None
        ours = Assignment(measure_id=theirs.measure_id, organisation_id=department)
        session.add(ours)
        await session.flush()
        occurrence = await session.scalar(
            select(Occurrence).where(Occurrence.assignment_id == theirs.id)
        )
        assert occurrence is not None
        twin = Occurrence(
            assignment_id=ours.id, measure_id=ours.measure_id, due_on=occurrence.due_on
        )
        session.add(twin)
        await session.flush()
        anna = await session.scalar(select(Person.id).where(Person.role == "coordinator"))
        assert anna is not None
        earlier = datetime(2026, 4, 1, 9, tzinfo=UTC)
        later = datetime(2026, 4, 2, 9, tzinfo=UTC)
        session.add(
            StatusReport(
                occurrence_id=occurrence.id,
                person_id=anna,
                status="in_progress",
                text="первый",
                created_at=earlier,
            )
        )
        await session.flush()
        session.add(
            StatusReport(
                occurrence_id=twin.id,
                person_id=anna,
                status="done",
                text="второй",
                created_at=later,
            )
        )
        await session.commit()
        kept_occurrence = twin.id
    # The department's new occurrence gets its coordinator's reminders now, not while the
    # head's press below is counted.
    async with unit_of_work(running_bot.session_factory) as uow:
        await replan(uow, running_bot.clock.now())
        await uow.commit()

    # A head cannot merge, even with a forged button.
    before = await row_counts(running_bot.session_factory)
    forged = await head.press_data(OrganisationCb(action="do", organisation_id=department).pack())
    assert forged["show_alert"] and "не для вас" in forged["text"]
    refused = await head.ask("/organisations")
    assert "только координатор" in refused["text"].lower()
    assert await row_counts(running_bot.session_factory) == before

    coordinator.skip_unread()
    await coordinator.send("/organisations")
    listing = await reply(coordinator)
    assert "Какая организация?" in listing["text"]
    await coordinator.press("УО УКМО")
    await reply(coordinator)
    await coordinator.press("Объединить с другой организацией")
    assert "С какой организацией объединить «УО УКМО»?" in (await reply(coordinator))["text"]
    await coordinator.press(DEPARTMENT)
    confirm = await reply(coordinator)
    assert "Объединить «УО УКМО» с «Управление образованием УКМО»?" in confirm["text"]
    await coordinator.press("Объединить")
    done = await reply(coordinator)
    assert "Готово: «УО УКМО» теперь «Управление образованием УКМО»." in done["text"]
    assert "Обе организации отчитались по 1 сроку" in done["text"]

    names = await organisations(running_bot)
    assert "УО УКМО" not in names
    async with running_bot.session_factory() as session:
        reports = list(
            await session.scalars(
                select(StatusReport)
                .where(StatusReport.occurrence_id == kept_occurrence)
                .order_by(StatusReport.id)
            )
        )
        assert [(r.text, r.version) for r in reports] == [("первый", 1), ("второй", 2)]
        left = await session.scalar(
            select(func.count(Assignment.id)).where(Assignment.organisation_id == phantom)
        )
        assert left == 0
        alias = await session.scalar(
            select(OrganisationAlias.organisation_id).where(OrganisationAlias.name == "УО УКМО")
        )
        assert alias == department
        audit = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organisation.merge")
        )
        assert audit is not None and audit.details is not None
        assert audit.details["both_reported"] == [kept_occurrence]
        measures = await session.scalar(select(func.count(Measure.id)))
    assert measures == 22

    # The same roadmap again: «УО УКМО» is known now, asked about no more.
    await coordinator.upload(to_docx(seed_document("ust_kut")), "Дорожная карта УКМО.docx")
    again = await reply(coordinator)
    assert "«УО УКМО» — это «Управление образованием УКМО»?" not in again["text"]
    assert "«УО УКМО» — это «Управление образованием УКМО»." in again["text"]


async def test_the_coordinator_renames_an_organisation_and_the_old_name_is_still_known(
    running_bot: RunningBot,
) -> None:
    coordinator = await running_bot.join_as(
        "Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО"
    )
    await coordinator.ask("/organisations")
    await coordinator.press("УО УКМО")
    await coordinator.next_message()
    await coordinator.press("Переименовать")
    assert "Напишите новое название" in (await coordinator.next_message())["text"]
    renamed = await coordinator.ask(DEPARTMENT)
    assert f"Переименовано: теперь «{DEPARTMENT}»." in renamed["text"]
    names = await organisations(running_bot)
    assert set(names) == {DEPARTMENT}
    await coordinator.upload(to_docx(seed_document("ust_kut")), "Дорожная карта УКМО.docx")
    preview = await coordinator.next_message()
    # The old name is an alias now: sure, not asked.
    assert "«УО УКМО» — это «Управление образованием УКМО»?" not in preview["text"]


async def test_a_department_measure_given_to_a_named_methodist_is_theirs(
    running_bot: RunningBot,
) -> None:
    coordinator = await running_bot.join_as(
        "Анна", "Антипина Анна Михайловна", Role.COORDINATOR, DEPARTMENT
    )
    methodist = await running_bot.join_as(
        "Сергей", "Парилов Сергей Викторович", Role.RESPONSIBLE, DEPARTMENT
    )
    await import_seed(running_bot, coordinator, "Да")
    await coordinator.send("/measures")
    sections = await reply(coordinator)
    await coordinator.press(button_texts(sections)[0])
    measures = await reply(coordinator)
    await coordinator.press(next(b for b in button_texts(measures) if b.startswith("1.1.")))
    await reply(coordinator)
    await coordinator.press("Изменить ответственных")
    await reply(coordinator)
    await coordinator.send("Парилов С.В. - методист")
    saved = await reply(coordinator)
    assert "Сохранено" in saved["text"]

    async with running_bot.session_factory() as session:
        measure = await session.scalar(select(Measure).where(Measure.number == "1.1"))
        assert measure is not None
        assignees = list(
            await session.execute(
                select(Assignment.person_id, Assignment.organisation_id).where(
                    Assignment.measure_id == measure.id
                )
            )
        )
        sergey = await session.scalar(
            select(Person.id).where(Person.full_name == "Парилов Сергей Викторович")
        )
        # No second «Парилов С.В.» was made up: the measure is the methodist's own.
        people = await session.scalar(
            select(func.count(Person.id)).where(Person.full_name.like("Парилов%"))
        )
    assert [(a.person_id, a.organisation_id) for a in assignees] == [(sergey, None)]
    assert people == 1
    methodist.skip_unread()
    mine = await methodist.ask("/my")
    assert "1.1 Разработка муниципальной дорожной" in mine["text"]
