"""Reminders reach the heads in the chat, snooze works, a blocked head is reported."""

from __future__ import annotations

from datetime import UTC, datetime

from demo.documents import seed_document, to_docx
from domain.roles import Role
from standin.users import button_texts
from tests.conftest import RunningBot


async def test_reminders_snooze_and_a_blocked_head(running_bot: RunningBot) -> None:
    world = running_bot.world
    coordinator = await running_bot.join_as(
        "Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО"
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
    assert button_texts(reminder) == [
        "Выполнено",
        "В работе",
        "Не выполнено",
        "Перенести срок",
        "Напомнить завтра",
        "Через 3 дня",
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
    assert "Не удаётся доставить напоминания: Петров Пётр Петрович (СОШ № 2)" in alert["text"]
    snoozed = await maria.next_message(timeout=15)
    assert snoozed["text"].startswith("⏰ Напоминание")
    assert world.faults.injected == 0


async def test_snooze_on_someone_elses_reminder_is_refused(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")
    answer = await head.press_data("v1snz:12345:1")
    assert answer["show_alert"] and "неактуально" in answer["text"]
