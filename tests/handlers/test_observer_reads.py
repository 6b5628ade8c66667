"""An observer (the department's head, a ministry's curator) reads /digest, /export and
/measures, and changes nothing: the card has no buttons to change, a forged one is refused."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from domain.roles import Role
from handlers.common.callbacks import MeasureCb, MeasureEditCb
from standin.users import button_texts
from storage.models import Measure
from tests.conftest import RunningBot
from tests.handlers.test_digest_export import next_text_with, next_with
from tests.handlers.test_reports import reminded, report_without_evidence


async def test_an_observer_reads_the_digest_the_export_and_the_measures(
    running_bot: RunningBot,
) -> None:
    _anna, maria, _petr, _reminder = await reminded(running_bot)
    await report_without_evidence(maria, "Выполнено", "Провели педсовет")
    head = await running_bot.join_as("Ольга", "Смирнова Ольга Петровна", Role.OBSERVER, "УО УКМО")

    digest = await head.ask("/digest")
    assert "только координатор" not in str(digest.get("text", ""))
    assert "Сводка на" in str((await next_text_with(head, "Сводка на"))["text"])
    head.skip_unread()

    await head.send("/export")
    await next_text_with(head, "Какой отчёт нужен")
    await head.press("Таблица (.xlsx)")
    document = await next_with(head, "document")
    file_id = document["document"]["file_id"]  # type: ignore[index]
    workbook = openpyxl.load_workbook(io.BytesIO(running_bot.world.files[file_id].content))
    cells = " ".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    )
    # A school's answer: the observer reads every school's, not only the department's.
    assert "Провели педсовет" in cells

    async with running_bot.session_factory() as session:
        measure = await session.scalar(select(Measure).where(Measure.section_id.is_not(None)))
    assert measure is not None
    deadline_before = measure.deadline_text
    head.skip_unread()
    assert not (await head.press_data(MeasureCb(measure_id=measure.id).pack()))["show_alert"]
    card = await head.next_message()
    assert card["text"].startswith(f"{measure.number}. ")
    assert button_texts(card) == ["« Назад к разделу"]

    forged = await head.press_data(MeasureEditCb(measure_id=measure.id, field="deadline").pack())
    assert forged["show_alert"] and "только координатор" in str(forged["text"])
    await head.send("до 1 мая 2026 г.")
    async with running_bot.session_factory() as session:
        again = await session.get(Measure, measure.id)
    assert again is not None and again.deadline_text == deadline_before
