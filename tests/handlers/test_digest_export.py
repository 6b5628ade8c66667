"""The weekly digest (chart included) and the spreadsheet export, through the real bot."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import openpyxl
import pytest

from domain.roles import Role
from handlers.export import report_files as export_handlers
from standin import SimulatedUser
from standin.users import button_texts
from tests.conftest import RunningBot
from tests.handlers.test_reports import reminded
from tests.handlers.test_reports import report_without_evidence as report
from tests.support import audit_actions

HOSTILE = '=HYPERLINK("http://evil.example/","Отчёт")'
MONDAY_0900_IRKUTSK = datetime(2026, 4, 20, 1, 0, tzinfo=UTC)


async def next_with(user: SimulatedUser, key: str) -> dict[str, object]:
    """The next message carrying ``key`` (a report notification may arrive in between)."""
    while True:
        message = await user.next_message()
        if key in message:
            return message


async def next_text_with(user: SimulatedUser, words: str) -> dict[str, object]:
    """The next message whose text holds ``words``, skipping reminders that the clock brought."""
    while True:
        message = await user.next_message()
        if words in str(message.get("text", "")):
            return message


def png_of(bot: RunningBot, message: dict[str, object]) -> bytes:
    photo = message["photo"]
    assert isinstance(photo, list)
    return bot.world.files[photo[-1]["file_id"]].content


def workbook_of(bot: RunningBot, message: dict[str, object]) -> openpyxl.Workbook:
    document = message["document"]
    assert isinstance(document, dict)
    return openpyxl.load_workbook(io.BytesIO(bot.world.files[document["file_id"]].content))


async def test_weekly_digest_with_chart_and_detail(running_bot: RunningBot) -> None:
    coordinator, maria, petr, _reminder = await reminded(running_bot)
    await report(maria, "Выполнено", "Дорожная карта направлена в УО")
    assert "Новый отчёт" in (await coordinator.next_message())["text"]
    await petr.press("Перенести срок")
    await petr.next_message()
    await petr.ask("30.04.2026")
    await petr.ask("Ждём решения педсовета")
    assert "просит перенести срок" in (await coordinator.next_message())["text"]
    running_bot.clock.set(MONDAY_0900_IRKUTSK)

    assert await running_bot.app.weekly_digest.send() == 1
    chart = await coordinator.next_message()
    png = png_of(running_bot, chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and 5_000 < len(png) < 300_000
    text = (await coordinator.next_message())["text"]
    assert text.startswith(
        "Сводка на 20.04.2026\n"
        "Отчёты со сроком до 27.04.2026 — по каждой организации и каждому сроку "
        "(пояснения — в /help):\n"
        "Выполнено: 1 · В работе: 0 · Не выполнено: 0"
    )
    assert "срок прошёл" not in text  # the words are explained in /help, not every week
    assert "Просрочено (2):\n• 28.02 1.1 Разработка муниципальной" in text
    assert "\n• 17.04 П3.2 Направить дорожные карты" in text
    assert "… — СОШ № 2, просрочено на 3 дня\n" in text  # Мария reported done: only СОШ № 2
    # One line per measure, both schools on it, not a line per school.
    assert "Срок в ближайшие 7 дней (" in text and "— СОШ № 1, СОШ № 2\n" in text
    assert "Отчёты ждут вашего решения (1):\n• П3.2 · СОШ № 1 · Иванова Мария Петровна" in text
    assert "Просьбы перенести срок (1):\n• П3.2 · СОШ № 2 → 30.04.2026" in text
    assert "СОШ № 2" in button_texts(await_last(coordinator, text))

    await coordinator.press("СОШ № 2")
    detail = (await coordinator.next_message())["text"]
    assert detail.startswith("СОШ № 2: мероприятия со сроком до конца этой недели")
    assert "П3.2 Направить дорожные карты" in detail and "— Просрочено" in detail

    # Monday 20 April also brings Пётр his overdue reminder, which may arrive before the refusal.
    await petr.send("/digest")
    refused = await next_text_with(petr, "только координатор")
    assert refused["text"] == (
        "Это может сделать только координатор. Если вам это нужно, обратитесь к координатору."
    )
    forged = await coordinator.press_data("v1dg:zzz")
    assert forged["show_alert"] and "устарела" in forged["text"]


def await_last(user: SimulatedUser, text: str) -> dict[str, object]:
    return next(m for m in reversed(user.inbox()) if m.get("text") == text)


async def test_a_quiet_week_is_one_line(running_bot: RunningBot) -> None:
    coordinator = await running_bot.join_as("Анна", "Антипина Анна", Role.COORDINATOR, "УО")
    answer = await coordinator.ask("/digest")
    assert answer["text"].endswith(
        "просрочек нет, на этой неделе сроков нет, вашего решения ничего не ждёт."
    )
    assert "photo" not in answer
    no_roadmap = await coordinator.ask("/export")  # said at once: no format to choose first
    assert "ещё не загружена" in no_roadmap["text"] and "reply_markup" not in no_roadmap


async def test_export_for_the_coordinator_and_for_a_head(running_bot: RunningBot) -> None:
    coordinator, maria, petr, _reminder = await reminded(running_bot)
    await report(maria, "Выполнено", HOSTILE)
    await report(petr, "В работе", "Согласуем с педсоветом")
    running_bot.clock.set(MONDAY_0900_IRKUTSK)

    await coordinator.send("/export")
    choice = await next_text_with(coordinator, "Какой отчёт нужен")
    assert button_texts(choice) == [
        "Таблица (.xlsx)",
        "Документ (.docx)",
        "Пояснительная записка",
        "Выводы и предложения",
    ]
    await coordinator.press("Таблица (.xlsx)")
    sent = await next_with(coordinator, "document")
    document = sent["document"]
    assert isinstance(document, dict)
    assert document["file_name"] == "Отчет о реализации на 20.04.2026.xlsx"
    book = workbook_of(running_bot, sent)
    assert book.sheetnames == ["Отчет", "Свод", "Ответы"]
    report_rows = list(book["Отчет"].iter_rows(values_only=True))
    assert report_rows[1][5] == "Фактический результат на 20.04.2026"
    assert len(book["Отчет"].merged_cells.ranges) >= 4  # the title and the sections
    p32 = next(row for row in report_rows if row[0] == "П3.2")
    # Column 6 is the coordinator's own text (none written yet), never the schools' standings.
    assert p32[5] is None
    assert not any("Просрочено" in str(row[5]) for row in report_rows)
    answers = book["Ответы"]
    assert [answers.cell(row=r, column=3).value for r in (2, 3)] == ["СОШ № 1", "СОШ № 2"]
    assert answers["H2"].value == HOSTILE and answers["H2"].data_type == "s"
    summary = [row[0] for row in book["Свод"].iter_rows(min_row=2, values_only=True)]
    assert "СОШ № 1" in summary and "СОШ № 2" in summary

    await maria.send("/export")
    await next_text_with(maria, "Какой отчёт нужен")
    await maria.press("Таблица (.xlsx)")
    mine = workbook_of(running_bot, await next_with(maria, "document"))
    assert [row[2] for row in mine["Ответы"].iter_rows(min_row=2, values_only=True)] == ["СОШ № 1"]
    assert [row[0] for row in mine["Свод"].iter_rows(min_row=2, values_only=True)] == ["СОШ № 1"]
    mine_p32 = next(r for r in mine["Отчет"].iter_rows(values_only=True) if r[0] == "П3.2")
    assert "СОШ № 2" not in str(mine_p32[5])


async def test_the_digest_job_runs_on_monday_morning_in_irkutsk(running_bot: RunningBot) -> None:
    job = running_bot.app.scheduler.get_job("send_weekly_digest")
    assert job is not None
    after = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # a Sunday
    fire = job.trigger.get_next_fire_time(None, after)
    assert fire.astimezone(UTC) == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


async def test_a_coordinator_who_blocked_the_bot_does_not_stop_the_digest(
    running_bot: RunningBot,
) -> None:
    coordinator, _maria, _petr, _reminder = await reminded(running_bot)
    deputy = await running_bot.join_as("Ирина", "Заместитель Ирина", Role.COORDINATOR, "УО")
    coordinator.block()
    coordinator.skip_unread()
    deputy.skip_unread()
    running_bot.clock.set(MONDAY_0900_IRKUTSK)

    assert await running_bot.app.weekly_digest.send() == 1
    assert "photo" in await deputy.next_message()
    assert (await deputy.next_message())["text"].startswith("Сводка на 20.04.2026")
    assert coordinator.unread() == []


async def test_refusals_and_limits(
    running_bot: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    coordinator, _maria, _petr, _reminder = await reminded(running_bot)
    observer = await running_bot.join_as("Ольга", "Смирнова Ольга", Role.OBSERVER, None)
    # An observer reads /digest and /export (tests/handlers/test_observer_reads.py), but
    # imports nothing.
    assert "только координатор" in (await observer.ask("/import"))["text"]

    nobody = await coordinator.press_data("v1dg:o99999")
    assert not nobody["show_alert"]
    assert "нет ни просроченных" in str((await next_with(coordinator, "text"))["text"])

    monkeypatch.setattr(export_handlers, "TELEGRAM_DOCUMENT_LIMIT", 1_000)
    await coordinator.send("/export")
    await next_text_with(coordinator, "Какой отчёт нужен")
    await coordinator.press("Таблица (.xlsx)")
    too_big = await next_text_with(coordinator, "мессенджер")
    assert "больше, чем позволяет мессенджер" in str(too_big["text"])
    assert "roadmap-bot export" in str(too_big["text"])


def document_of(bot: RunningBot, message: dict[str, object]) -> docx.document.Document:
    document = message["document"]
    assert isinstance(document, dict)
    assert str(document["file_name"]).endswith(".docx")
    return docx.Document(io.BytesIO(bot.world.files[document["file_id"]].content))


async def test_the_report_as_a_document_ready_to_sign(running_bot: RunningBot) -> None:
    coordinator, maria, _petr, _reminder = await reminded(running_bot)
    await report(maria, "Выполнено", HOSTILE)
    running_bot.clock.set(MONDAY_0900_IRKUTSK)

    await coordinator.send("/export")
    await next_text_with(coordinator, "Какой отчёт нужен")
    await coordinator.press("Документ (.docx)")
    question = await next_text_with(coordinator, "Какая у вас должность")
    assert "блок подписи" in str(question["text"])
    await coordinator.send("x")
    assert "не длиннее 200 символов" in str(
        (await next_text_with(coordinator, "должность"))["text"]
    )
    await coordinator.send("Заместитель начальника Управления образованием")
    sent = await next_with(coordinator, "document")
    assert "готовый к подписи" in str(sent["caption"])
    document = document_of(running_bot, sent)

    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[:5] == [
        "Управление образованием Усть-Кутского муниципального образования",
        "«Утверждено»",
        "приказом Управления образованием Усть-Кутского муниципального образования",
        "№ 61 от 20.02.2026",
        "Отчет",
    ]
    assert paragraphs[5] == (
        "о ходе реализации дорожной карты повышения качества образования в Усть-Кутском "
        "муниципальном образовании на период до 2030 года за период с 01.01.2026 по 20.04.2026"
    )
    text = "\n".join(paragraphs)
    assert "В дорожной карте 22 мероприятия." in text  # the plural form for 22
    assert "Доля выполненных в срок" in text and "Таблица 2" in text
    table, signature = document.tables
    assert table.rows[0].cells[3].text.startswith("Муниципальный орган управления образованием")
    p32 = next(row for row in table.rows if row.cells[0].text == "П3.2")
    assert p32.cells[5].text == ""  # the coordinator has written nothing yet: no standings
    assert "Антипина А.М., Заместитель начальника Управления образованием" in p32.cells[3].text
    assert signature.rows[0].cells[0].text == "Заместитель начальника Управления образованием"
    assert signature.rows[0].cells[2].text == "А.М. Антипина"
    assert ("export.docx", "ok") in await audit_actions(running_bot.session_factory)

    # The position is kept: the next document comes at once.
    await coordinator.send("/export")
    await next_text_with(coordinator, "Какой отчёт нужен")
    await coordinator.press("Документ (.docx)")
    assert document_of(running_bot, await next_with(coordinator, "document")).tables
    forged = await coordinator.press_data("v1exp:pdf")
    assert forged["show_alert"] and "Эта кнопка устарела" in str(forged["text"])
