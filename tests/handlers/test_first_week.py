"""A municipality's first week through the real Dispatcher: the onboarding summary, screens
that read right, buttons that go once they are done with, a lost conversation explained."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, update

from demo.documents import to_docx
from domain.roadmap.draft import SourceDocument, SourceRow
from domain.roles import Role
from standin import SimulatedUser, StandInServer
from standin.users import button_texts
from storage.models import Person, Reminder, StatusReport
from tests.conftest import RunningBot, make_settings, start_bot
from tests.support import MutableClock, row_counts

# Wednesday 2 December 2026, 16:00 in Irkutsk: a working afternoon.
WEDNESDAY_16 = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
HEADER = ("№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственные", "Результат")


def first_week_roadmap() -> bytes:
    """Due tomorrow, a week overdue, and in three weeks: what the catch-up must tell apart."""
    rows = [
        ("1.", "Провести педагогический совет по итогам полугодия", "до 3 декабря 2026 г."),
        (
            "2.",
            "Направить в Управление план работы со школами с низкими результатами",
            "до 25 ноября 2026 г.",
        ),
        ("3.", "Провести методический семинар для учителей математики", "до 23 декабря 2026 г."),
    ]
    return to_docx(
        SourceDocument(
            paragraphs=("Дорожная карта по повышению качества образования на 2026-2027 годы",),
            tables=(
                (
                    SourceRow(HEADER),
                    *(
                        SourceRow((n, title, due, "Руководители ОО", "Отчёт"))
                        for n, title, due in rows
                    ),
                ),
            ),
        )
    )


async def import_first_week(bot: RunningBot) -> tuple[SimulatedUser, SimulatedUser, SimulatedUser]:
    bot.clock.set(WEDNESDAY_16)
    coordinator = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    maria = await bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    petr = await bot.join_as("Пётр", "Петров Пётр Петрович", Role.RESPONSIBLE, "СОШ № 2")
    await coordinator.upload(first_week_roadmap(), "карта.docx")
    await coordinator.next_message()
    await coordinator.press("Подтвердить")
    await coordinator.next_message()
    return coordinator, maria, petr


async def test_an_afternoon_import_tells_each_head_what_is_due_and_late(
    running_bot: RunningBot,
) -> None:
    _coordinator, maria, petr = await import_first_week(running_bot)
    summaries = {}
    for head in (maria, petr):
        summary = summaries[head.label] = await head.next_message(timeout=15)
        assert summary["text"].startswith(
            "📋 Мероприятия дорожной карты, которые требуют вашего внимания"
        )
        overdue, soon = summary["text"].split("Скоро срок:")
        assert "Просрочено:" in overdue and "• 2 Направить в Управление" in overdue
        assert "срок 25 ноября 2026, просрочено на 7 дней" in overdue
        assert "• 1 Провести педагогический совет" in soon and "остался 1 день" in soon
        assert "Провести методический семинар" not in summary["text"]  # three weeks ahead
        labels = button_texts(summary)
        assert labels[0].startswith("2 · Направить в Управление план") and labels[0].endswith("…")
        assert len(labels) == 2 and all(len(label) <= 60 for label in labels)
    assert maria.unread() == [] and petr.unread() == []  # one message each, not one per measure

    assert button_texts(summaries[maria.label])[1] == (
        "1 · Провести педагогический совет по итогам полугодия"
    )
    await maria.press("1 · Провести педагогический совет по итогам полугодия")
    status = await maria.next_message()
    assert status["text"].endswith("Как продвигается работа? Выберите ответ кнопкой ниже.")
    await maria.press("Выполнено")
    await maria.next_message()
    evidence = await maria.ask("Педсовет проведён 2 декабря, протокол № 3")
    assert button_texts(evidence) == ["Без файла и ссылки"]
    await maria.press("Без файла и ссылки")
    await maria.next_message()
    await maria.press("Сохранить")
    assert "сохранён" in (await maria.next_message())["text"]
    assert button_texts(status) == []  # the status buttons of the measure just reported go


async def report_on_measure_one(head: SimulatedUser) -> None:
    await head.press("1 · Провести педагогический совет по итогам полугодия")
    await head.next_message()
    await head.press("Выполнено")
    await head.next_message()
    await head.ask("Педсовет проведён, протокол № 3")
    await head.press("Без файла и ссылки")
    await head.next_message()
    await head.press("Сохранить")
    await head.next_message()


async def test_a_decided_card_loses_its_buttons_and_says_who_decided(
    running_bot: RunningBot,
) -> None:
    anna, maria, _petr = await import_first_week(running_bot)
    olga = await running_bot.join_as("Ольга", "Орлова Ольга Игоревна", Role.COORDINATOR, "УО")
    await maria.next_message(timeout=15)
    await report_on_measure_one(maria)
    card_for_anna = await anna.next_message()
    card_for_olga = await olga.next_message()
    assert button_texts(card_for_anna) == ["Принять", "Вернуть с комментарием"]

    await anna.press("Принять")
    await running_bot.world.wait_until(lambda: button_texts(card_for_anna) == [], 5)
    assert card_for_anna["text"].endswith("✅ Принято: Антипина Анна Михайловна, 02.12.2026 16:00")

    # Ольга still has the old card: pressing it says who accepted it and closes it for her too.
    stale = await olga.press("Вернуть с комментарием")
    assert stale["show_alert"]
    assert stale["text"] == (
        "Этот отчёт уже рассмотрен. ✅ Принято: Антипина Анна Михайловна, 02.12.2026 16:00"
    )
    await running_bot.world.wait_until(lambda: button_texts(card_for_olga) == [], 5)
    (report,) = await reports(running_bot)
    assert report.review == "accepted"


async def test_returning_closes_the_card_and_names_nobody_in_the_wrong_case(
    running_bot: RunningBot,
) -> None:
    anna, maria, _petr = await import_first_week(running_bot)
    await maria.next_message(timeout=15)
    await report_on_measure_one(maria)
    card = await anna.next_message()
    await anna.press("Вернуть с комментарием")
    prompt = await anna.next_message()
    assert prompt["text"] == (
        "Напишите, что нужно исправить. Ваш комментарий получит Иванова Мария Петровна."
    )
    done = await anna.ask("Приложите протокол")
    assert done["text"] == (
        "Возвращено на доработку. Ваш комментарий получит Иванова Мария Петровна."
    )
    await running_bot.world.wait_until(lambda: button_texts(card) == [], 5)
    assert "↩ Возвращено на доработку: Антипина Анна Михайловна" in card["text"]


async def test_a_message_outside_any_conversation_gets_a_way_back(running_bot: RunningBot) -> None:
    _anna, maria, _petr = await import_first_week(running_bot)
    await maria.next_message(timeout=15)
    before = await row_counts(running_bot.session_factory)

    hint = await maria.ask("Педсовет проведён, протокол № 3")
    assert hint["text"].startswith("Это сообщение не сохранено")
    assert "Нажмите «Отчитаться»" in hint["text"] and button_texts(hint) == ["Отчитаться"]
    assert (await maria.ask("очень длинный ответ " * 500))["text"] == hint["text"]
    photo = await maria.ask_upload(b"\xff\xd8\xff\xe0 jpeg", "протокол.jpg")
    assert photo["text"].startswith("Этот файл не сохранён") and button_texts(photo) == [
        "Отчитаться"
    ]
    assert await row_counts(running_bot.session_factory) == before

    await maria.press("Отчитаться")
    choice = await maria.next_message()
    assert choice["text"] == "По какому мероприятию вы отчитываетесь?"


async def test_report_offers_the_next_occurrence_of_a_yearly_measure_not_all_years(
    running_bot: RunningBot,
) -> None:
    running_bot.clock.set(WEDNESDAY_16)
    coordinator = await running_bot.join_as("Анна", "Антипина А.М.", Role.COORDINATOR, "УО")
    maria = await running_bot.join_as("Мария", "Иванова М.П.", Role.RESPONSIBLE, "СОШ № 1")
    document = SourceDocument(
        paragraphs=("Дорожная карта на 2026-2030 годы",),
        tables=(
            (
                SourceRow(HEADER),
                SourceRow(("1.", "Мониторинг", "ежегодно до 1 февраля", "Руководители ОО", "")),
                SourceRow(("2.", "Отчёт по ШНОР", "ежегодно до 1 ноября", "Руководители ОО", "")),
            ),
        ),
    )
    await coordinator.upload(to_docx(document), "карта.docx")
    await coordinator.next_message()
    await coordinator.press("Подтвердить")
    await maria.next_message(timeout=15)  # the summary: 2 is a month overdue
    choice = await maria.ask("/report")
    # Overdue ones, then the next of each measure: not one button per year up to 2030.
    assert button_texts(choice) == [
        "1 · 01.02.2026 · Мониторинг",
        "2 · 01.11.2026 · Отчёт по ШНОР",
        "1 · 01.02.2027 · Мониторинг",
        "2 · 01.11.2027 · Отчёт по ШНОР",
    ]


async def reports(bot: RunningBot) -> list[StatusReport]:
    async with bot.session_factory() as session:
        return list(await session.scalars(select(StatusReport)))


async def test_a_restart_in_the_middle_of_a_report_loses_nothing(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> None:
    settings = make_settings(standin, db_url, tmp_path / "evidence")
    async with start_bot(standin, settings, clock) as bot:
        _anna, maria, _petr = await import_first_week(bot)
        await maria.next_message(timeout=15)
        await maria.press("1 · Провести педагогический совет по итогам полугодия")
        await maria.next_message()
        await maria.press("В работе")
        await maria.next_message()
    # The bot is restarted (a deploy, a crash); Мария goes on where she was.
    async with start_bot(standin, settings, clock) as bot:
        evidence = await maria.ask("Протокол готовится, педсовет 4 декабря")
        assert button_texts(evidence) == ["Без файла и ссылки"]
        await maria.press("Без файла и ссылки")
        check = await maria.next_message()
        assert "Статус: В работе" in check["text"] and "педсовет 4 декабря" in check["text"]
        await maria.press("Сохранить")
        assert "сохранён" in (await maria.next_message())["text"]
        (report,) = await reports(bot)
        assert (report.status, report.text) == (
            "in_progress",
            "Протокол готовится, педсовет 4 декабря",
        )


async def import_with_a_blocked_head(bot: RunningBot) -> tuple[SimulatedUser, SimulatedUser]:
    """The coordinator imports the roadmap on a working afternoon; Пётр has blocked the bot."""
    bot.clock.set(WEDNESDAY_16)
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    petr = await bot.join_as("Пётр", "Петров Пётр Петрович", Role.RESPONSIBLE, "СОШ № 2")
    async with bot.session_factory() as session:
        await session.execute(
            update(Person)
            .where(Person.full_name == "Петров Пётр Петрович")
            .values(email="petrov@school2.ru", phone="+7 914 000-11-22")
        )
        await session.commit()
    petr.block()
    await anna.upload(first_week_roadmap(), "карта.docx")
    await anna.next_message()
    await anna.press("Подтвердить")
    await anna.next_message()
    return anna, petr


async def test_a_head_who_blocked_the_bot_is_reported_once(running_bot: RunningBot) -> None:
    anna, _petr = await import_with_a_blocked_head(running_bot)
    alert = await anna.next_message(timeout=15)
    # The same story as the digest's: reminders now go by e-mail; the phone to call.
    assert alert["text"] == (
        "⚠ Петров Пётр Петрович (СОШ № 2): бот заблокирован или аккаунт в мессенджере удалён, "
        "поэтому напоминания в чате остановлены. Теперь они идут на почту petrov@school2.ru.\n"
        "Телефон: +7 914 000-11-22"
    )
    async with running_bot.session_factory() as session:
        states = set(
            await session.scalars(select(Reminder.state).where(Reminder.kind.like("catchup:%")))
        )
    assert states == {"cancelled"}  # both measures' catch-ups stopped, nothing left to retry
    await asyncio.sleep(0.5)  # room for a second alert, if one were coming
    assert anna.unread() == []  # told once, not once per measure


async def test_a_head_who_unblocks_the_bot_hears_what_he_missed(running_bot: RunningBot) -> None:
    anna, petr = await import_with_a_blocked_head(running_bot)
    await anna.next_message(timeout=15)  # «⚠ Петров …: бот заблокирован …»

    petr.record.blocked = False
    petr.skip_unread()
    await petr.send("/start")
    messages = [await petr.next_message(timeout=15), await petr.next_message(timeout=15)]
    summary = next(m for m in messages if m["text"].startswith("📋"))
    assert "Просрочено:" in summary["text"] and "Скоро срок:" in summary["text"]
    assert len(button_texts(summary)) == 2
    async with running_bot.session_factory() as session:
        pending_ahead = await session.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.state == "pending", Reminder.kind.not_like("catchup:%"))
        )
    assert pending_ahead and pending_ahead > 0  # the regular reminders still ahead are back


async def test_a_card_telegram_will_not_edit_still_records_the_decision(
    running_bot: RunningBot,
) -> None:
    anna, maria, _petr = await import_first_week(running_bot)
    await maria.next_message(timeout=15)
    await report_on_measure_one(maria)
    card = await anna.next_message()
    (report,) = await reports(running_bot)
    # The card is gone from the chat (deleted, or too old): «message to edit not found».
    gone = {**card, "message_id": 999_999}
    answer = await anna.press_data(f"v1rev:{report.id}:accept", message=gone)
    assert answer["text"] == "Принято."
    (report,) = await reports(running_bot)
    assert report.review == "accepted"
    assert "принят" in (await maria.next_message())["text"]
