"""Reminders reach the heads in the chat, snooze works, a blocked head is reported."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

from bot.i18n import build_i18n
from demo.documents import seed_document, to_docx
from domain.roles import Role
from handlers.report.reminders import ReminderTexts
from standin.users import button_texts
from storage.usecases.outbox.claim import ReminderView
from tests.conftest import RunningBot
from tests.handlers.test_digest_export import next_text_with
from tests.handlers.test_reports import reminded


async def test_reminders_snooze_and_a_blocked_head(running_bot: RunningBot) -> None:
    world = running_bot.world
    coordinator = await running_bot.join_as(
        "Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО"
    )
    maria = await running_bot.join_as(
        "Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1"
    )
    petr = await running_bot.join_as("Пётр", "Петров Пётр Петрович", Role.RESPONSIBLE, "СОШ № 2")
    await coordinator.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    await coordinator.next_message()
    await coordinator.press("Подтвердить")
    await coordinator.next_message()

    # 3 April 2026, 10:00 in Irkutsk: two weeks before the heads must send their roadmaps.
    running_bot.clock.set(datetime(2026, 4, 3, 2, 0, tzinfo=UTC))
    reminder = await maria.next_message(timeout=15)
    assert reminder["text"].startswith("⏰ Напоминание: мероприятие П3.2")
    assert "Срок: 17 апреля 2026 — осталось 14 дней" in reminder["text"]
    # Two weeks ahead, «Не выполнено» is not yet a question; one «later» button.
    assert button_texts(reminder) == [
        "Выполнено",
        "В работе",
        "Перенести срок",
        "Напомнить завтра",
    ]
    assert (await petr.next_message(timeout=15))["text"].startswith(
        "⏰ Напоминание: мероприятие П3.2"
    )

    answer = await maria.press("Напомнить завтра")
    assert answer["text"] == "Хорошо, напомню 6 апреля."  # Saturday and Sunday are skipped

    # Пётр blocks the bot; his next reminder cannot be delivered and the coordinator learns it.
    petr.block()
    running_bot.clock.set(datetime(2026, 4, 6, 2, 0, tzinfo=UTC))
    alert = await coordinator.next_message(timeout=15)
    assert alert["text"] == (
        "⚠ Петров Пётр Петрович (СОШ № 2): бот заблокирован или аккаунт в мессенджере удалён, "
        "поэтому напоминания в чате остановлены, а адреса почты у бота нет.\n"
        "Свяжитесь с этим человеком и попросите снова открыть бота."
    )
    snoozed = await maria.next_message(timeout=15)
    assert snoozed["text"].startswith("⏰ Напоминание")
    assert world.faults.injected == 0


async def test_snooze_on_someone_elses_reminder_is_refused(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")
    answer = await head.press_data("v1snz:12345:1")
    assert answer["show_alert"] and "не для вас" in answer["text"]


def test_a_long_summary_is_split_and_every_measure_keeps_its_button() -> None:
    views = [
        ReminderView(
            reminder_id=n,
            kind="catchup:due",
            occurrence_id=100 + n,
            person_id=1,
            chat_id=1,
            locale="ru",
            measure_number=f"{n}.1",
            measure_title="Очень длинное название мероприятия дорожной карты " * 10,
            planned_result="",
            deadline_text="",
            due_on=date(2026, 11, 1) + timedelta(days=n),
            timezone="Asia/Irkutsk",
        )
        for n in range(45)
    ]
    with build_i18n("ru").context():
        messages = ReminderTexts(build_i18n("ru")).summary(views, date(2026, 12, 2))
    assert len(messages) == 3 and all(len(text) <= 4096 for text, _markup in messages)
    pressed = [
        button.callback_data
        for _text, markup in messages
        if markup is not None
        for row in markup.inline_keyboard
        for button in row
    ]
    assert pressed == [f"v1pick:{100 + n}" for n in range(45)]
    assert all(
        len(button.text) <= 60
        for _text, markup in messages
        if markup is not None
        for row in markup.inline_keyboard
        for button in row
    )


async def test_the_due_days_reminder_asks_whether_it_was_done(running_bot: RunningBot) -> None:
    """Before the deadline a reminder offers «done» or «in progress»; on the due day «Не
    выполнено» joins them, and a reminder never carries more than one «later» button."""
    _coordinator, maria, _petr, early = await reminded(running_bot)
    assert "Не выполнено" not in button_texts(early)
    running_bot.clock.set(datetime(2026, 4, 17, 2, 0, tzinfo=UTC))  # 17 April, 10:00 in Irkutsk
    due_day = await next_text_with(maria, "Срок: 17 апреля 2026")
    assert button_texts(due_day) == [
        "Выполнено",
        "В работе",
        "Не выполнено",
        "Перенести срок",
        "Напомнить завтра",
    ]
    await maria.press("Не выполнено")
    await next_text_with(maria, "Почему не выполнено?")


def test_a_reminder_in_someone_elses_stead_says_whose_measure_it_is() -> None:
    view = ReminderView(
        reminder_id=1,
        kind="before:7",
        occurrence_id=10,
        person_id=1,
        chat_id=1,
        locale="ru",
        measure_number="1.2",
        measure_title="Мониторинг",
        planned_result="",
        deadline_text="",
        due_on=date(2026, 12, 9),
        timezone="Asia/Irkutsk",
        stands_in_for="Белова Вера Олеговна",
    )
    text, _markup = ReminderTexts(build_i18n("ru")).reminder(view, date(2026, 12, 2))
    assert text.endswith(
        "Мероприятие поручено: Белова Вера Олеговна. Этого сотрудника пока нет в боте, поэтому "
        "напоминание приходит вам. Отчитайтесь сами или попросите открыть приглашение."
    )
    own, _markup = ReminderTexts(build_i18n("ru")).reminder(
        dataclasses.replace(view, stands_in_for=None), date(2026, 12, 2)
    )
    assert "поручено" not in own
