"""Reporting through the real Dispatcher: every path, its messages, state and rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from demo.documents import seed_document, to_docx
from domain.roles import Role
from standin import SimulatedUser
from standin.users import button_texts
from storage.models import ExtensionRequest, Occurrence, Reminder, StatusReport
from tests.conftest import RunningBot
from tests.support import audit_actions


async def reminded(
    bot: RunningBot,
) -> tuple[SimulatedUser, SimulatedUser, SimulatedUser, dict[str, object]]:
    """Coordinator, two heads; the Ust-Kut roadmap; 3 April: the heads' first reminder."""
    coordinator = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    maria = await bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    petr = await bot.join_as("Пётр", "Петров Пётр Петрович", Role.RESPONSIBLE, "СОШ № 2")
    await coordinator.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    await coordinator.next_message()
    await coordinator.press("Подтвердить")
    await coordinator.next_message()
    bot.clock.set(datetime(2026, 4, 3, 2, 0, tzinfo=UTC))
    # Planning and sending take seconds on a machine busy with the rest of the suite.
    reminder = await maria.next_message(timeout=45)
    await petr.next_message(timeout=45)
    return coordinator, maria, petr, reminder


async def report_without_evidence(head: SimulatedUser, status: str, text: str) -> None:
    """Press ``status`` on the head's latest reminder, answer ``text``, no evidence, save."""
    await head.press(status)
    await head.next_message()
    await head.ask(text)
    await head.press("Без файла и ссылки")
    await head.next_message()
    await head.press("Сохранить")
    await head.next_message()


async def rows(bot: RunningBot, model: type) -> list:  # type: ignore[type-arg]
    async with bot.session_factory() as session:
        return list(await session.scalars(select(model).order_by(model.id)))  # type: ignore[attr-defined]


async def test_done_with_a_pdf_returned_corrected_and_accepted(
    running_bot: RunningBot, tmp_path: Path
) -> None:
    coordinator, maria, _petr, reminder = await reminded(running_bot)
    assert "Выполнено" in button_texts(reminder)

    await maria.press("Выполнено")
    assert "что сделано" in (await maria.next_message())["text"]
    await maria.ask("Дорожная карта школы направлена в УО 10 апреля")
    await maria.upload(b"%PDF-1.4 protocol", "Дорожная карта СОШ 1.pdf", "application/pdf")
    summary = await maria.next_message()
    assert "Статус: Выполнено" in summary["text"] and "Дорожная карта СОШ 1.pdf" in summary["text"]
    await maria.press("Сохранить")
    assert "сохранён и отправлен координатору" in (await maria.next_message())["text"]

    incoming = await coordinator.next_message()
    assert incoming["text"].startswith("Новый отчёт по мероприятию П3.2\n")
    assert "версия" not in incoming["text"]
    assert "От: Иванова Мария Петровна (СОШ № 1)" in incoming["text"]
    assert button_texts(incoming) == ["Принять", "Вернуть с комментарием"]
    (report,) = await rows(running_bot, StatusReport)
    stored = tmp_path / "evidence" / report.evidence_sha256[:2] / report.evidence_sha256
    assert stored.read_bytes() == b"%PDF-1.4 protocol"
    async with running_bot.session_factory() as session:
        occurrence = await session.get(Occurrence, report.occurrence_id)
        pending = await session.scalars(
            select(Reminder).where(
                Reminder.occurrence_id == report.occurrence_id, Reminder.state == "pending"
            )
        )
        assert occurrence is not None and occurrence.status == "closed"
        assert list(pending) == []  # reminders for this occurrence stopped

    await coordinator.press("Вернуть с комментарием")
    await coordinator.next_message()
    await coordinator.ask("Приложите приказ об утверждении дорожной карты")
    returned = await maria.next_message()
    assert returned["text"] == (
        "Отчёт по мероприятию П3.2 возвращён на доработку. Комментарий (Антипина Анна "
        "Михайловна): «Приложите приказ об утверждении дорожной карты»\n"
        "Исправьте, пожалуйста, и отправьте отчёт снова кнопками ниже."
    )
    assert "Выполнено" in button_texts(returned)
    async with running_bot.session_factory() as session:
        reopened = await session.get(Occurrence, report.occurrence_id)
        assert reopened is not None and reopened.status == "open"

    await maria.press("Выполнено")
    await maria.next_message()
    await maria.ask("Направлена, приказ № 12 размещён на сайте")
    await maria.ask("https://school1.example.ru/roadmap")
    await maria.press("Сохранить")
    await maria.next_message()
    second = await coordinator.next_message()
    assert second["text"].startswith("Исправленный отчёт по мероприятию П3.2\n")
    await coordinator.press("Принять")
    assert "принят" in (await maria.next_message())["text"]

    versions = await rows(running_bot, StatusReport)
    assert [(r.version, r.review) for r in versions] == [(1, "returned"), (2, "accepted")]
    assert versions[1].evidence_url == "https://school1.example.ru/roadmap"
    stale = await coordinator.press_data(f"v1rev:{versions[0].id}:accept")
    assert stale["show_alert"] and "уже рассмотрен" in stale["text"]
    again = await maria.press_data(f"v1rep:{report.occurrence_id}:done")
    assert again["show_alert"]  # an accepted report can no longer be changed


async def test_in_progress_keeps_reminding(running_bot: RunningBot) -> None:
    _coordinator, maria, _petr, _reminder = await reminded(running_bot)
    await maria.press("В работе")
    await maria.next_message()
    await maria.ask("Проект готов, согласуем с педсоветом")
    await maria.press("Без файла и ссылки")
    await maria.next_message()
    await maria.press("Сохранить")
    assert "напоминания продолжатся" in (await maria.next_message())["text"]
    (report,) = await rows(running_bot, StatusReport)
    async with running_bot.session_factory() as session:
        occurrence = await session.get(Occurrence, report.occurrence_id)
        pending = list(
            await session.scalars(
                select(Reminder).where(
                    Reminder.occurrence_id == report.occurrence_id, Reminder.state == "pending"
                )
            )
        )
    assert occurrence is not None and occurrence.status == "open" and pending


async def test_bad_answers_keep_the_conversation(running_bot: RunningBot) -> None:
    _coordinator, maria, petr, _reminder = await reminded(running_bot)
    await maria.press("В работе")
    await maria.next_message()

    assert "ответьте текстом" in (await maria.ask_upload(b"\x89PNG", "photo.png"))["text"]
    assert "пустой" in (await maria.ask("   "))["text"]
    assert "длиннее 2000" in (await maria.ask("я" * 2001))["text"]
    await maria.ask("Не успели согласовать")
    assert "Это не похоже на ссылку" in (await maria.ask("просто текст"))["text"]
    assert "не принимаются" in (await maria.ask_upload(b"MZ\x90\x00", "setup.exe"))["text"]
    other = await petr.press_data(f"v1rep:{await _occurrence_of(running_bot, 'Иванова')}:done")
    assert other["show_alert"] and "не для вас" in other["text"]  # another school's occurrence
    assert "Прервано" in (await maria.ask("/cancel"))["text"]
    assert await rows(running_bot, StatusReport) == []
    assert ("report.button", "forbidden") in await audit_actions(running_bot.session_factory)


async def _occurrence_of(bot: RunningBot, name: str) -> int:
    from storage.models import Assignment, Measure, Organisation, Person

    async with bot.session_factory() as session:
        person = await session.scalar(select(Person).where(Person.full_name.like(f"{name}%")))
        assert person is not None
        occurrence_id = await session.scalar(
            select(Occurrence.id)
            .join(Assignment, Assignment.id == Occurrence.assignment_id)
            .join(Organisation, Organisation.id == Assignment.organisation_id)
            .join(Measure, Measure.id == Occurrence.measure_id)
            .where(Organisation.id == person.organisation_id, Measure.number == "П3.2")
        )
        assert occurrence_id is not None
        return occurrence_id


async def test_second_report_while_one_is_in_progress(running_bot: RunningBot) -> None:
    _coordinator, maria, _petr, _reminder = await reminded(running_bot)
    await maria.press("Выполнено")
    await maria.next_message()
    await maria.send("/report")
    choices = await maria.next_message()
    await maria.press(next(b for b in button_texts(choices) if b.startswith("П3.3")))
    await maria.next_message()
    answer = await maria.press("Выполнено")
    assert answer["show_alert"] and "не закончили другой отчёт" in answer["text"]


async def test_my_measures_and_extension(running_bot: RunningBot) -> None:
    coordinator, maria, _petr, _reminder = await reminded(running_bot)
    mine = await maria.ask("/my")
    # Each line says what the measure is, and has its own button to report on it.
    assert "1. П3.2 Направить дорожные карты" in mine["text"]
    assert "— срок 17.04.2026 — отчёта пока нет" in mine["text"]
    assert button_texts(mine)[0].startswith("1. Отчитаться: П3.2 Направить")
    assert "2030" not in mine["text"] and "Позже в этом периоде" in mine["text"]

    await maria.press("Перенести срок")
    await maria.next_message()
    assert "будущую дату" in (await maria.ask("31.02.2026"))["text"]
    await maria.ask("30.04.2026")
    await maria.ask("Ждём решения педсовета 28 апреля")
    request = await coordinator.next_message()
    assert "просит перенести срок мероприятия П3.2 с 17.04.2026 на 30.04.2026" in request["text"]
    await coordinator.press("Одобрить")
    assert "перенёс ваш срок на 30.04.2026" in (await maria.next_message())["text"]
    (extension,) = await rows(running_bot, ExtensionRequest)
    async with running_bot.session_factory() as session:
        occurrence = await session.get(Occurrence, extension.occurrence_id)
    assert (
        extension.state == "approved"
        and occurrence is not None
        and occurrence.due_on == date(2026, 4, 30)
    )
    twice = await coordinator.press_data(f"v1ext:{extension.id}:reject")
    assert twice["show_alert"]


async def test_heads_cannot_review(running_bot: RunningBot) -> None:
    _coordinator, maria, _petr, _reminder = await reminded(running_bot)
    answer = await maria.press_data("v1rev:1:accept")
    assert answer["show_alert"] and "не для вас" in answer["text"]


async def test_evidence_over_telegrams_download_limit_is_refused(running_bot: RunningBot) -> None:
    _coordinator, maria, _petr, _reminder = await reminded(running_bot)
    await maria.press("Выполнено")
    await maria.next_message()
    await maria.ask("Сделано")
    # Telegram reports the size; a file over 20 MB could not even be downloaded by a bot.
    stored = running_bot.world.add_file(b"%PDF-1.4", "scan.pdf", "application/pdf")
    maria.skip_unread()
    await maria.upload_document(
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": "scan.pdf",
            "file_size": 21 * 1024 * 1024,
        }
    )
    assert "больше 20 МБ" in (await maria.next_message())["text"]
    assert await rows(running_bot, StatusReport) == []


async def test_messages_arriving_together_keep_a_sensible_state(running_bot: RunningBot) -> None:
    _coordinator, maria, _petr, _reminder = await reminded(running_bot)
    await maria.press("Выполнено")
    await maria.next_message()
    # Two messages at once: the first is the answer, the second is read as the evidence step.
    await maria.send("Направлена в УО")
    await maria.send("и размещена на сайте")
    first, second = await maria.next_message(), await maria.next_message()
    assert "Приложите подтверждение" in first["text"]
    assert "Это не похоже на ссылку" in second["text"]
    await maria.press("Без файла и ссылки")
    summary = await maria.next_message()
    assert "Результат: Направлена в УО" in summary["text"]


async def test_evidence_telegram_refuses_to_hand_over(running_bot: RunningBot) -> None:
    """No size was declared, but Telegram answers getFile with «file is too big»."""
    _coordinator, maria, _petr, _reminder = await reminded(running_bot)
    await maria.press("Выполнено")
    await maria.next_message()
    await maria.ask("Сделано")
    stored = running_bot.world.add_file(
        b"0" * (20 * 1024 * 1024 + 1), "scan.pdf", "application/pdf"
    )
    maria.skip_unread()
    await maria.upload_document(
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": "scan.pdf",
        }
    )
    assert "больше 20 МБ" in (await maria.next_message())["text"]
    assert await rows(running_bot, StatusReport) == []
