"""«Фактический результат»: the coordinator writes column 6 of the official report on a
measure's card, from a draft of the schools' accepted answers; two editors at once; the report
prints her text and never the schools' standings."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import openpyxl
from sqlalchemy import select

from domain.roles import Role
from handlers.common.callbacks import ActualCb, MeasureCb
from standin import SimulatedUser
from standin.users import button_texts
from storage.models import ActualResult, Measure
from tests.conftest import RunningBot
from tests.handlers.test_digest_export import next_text_with, next_with
from tests.handlers.test_reports import reminded
from tests.handlers.test_reports import report_without_evidence as report

MONDAY_0900_IRKUTSK = datetime(2026, 4, 20, 1, 0, tzinfo=UTC)


async def measure_id(bot: RunningBot, number: str) -> int:
    async with bot.session_factory() as session:
        found = await session.scalar(select(Measure.id).where(Measure.number == number))
    assert found is not None
    return found


async def saved_results(bot: RunningBot) -> list[tuple[int, str, int]]:
    async with bot.session_factory() as session:
        rows = await session.execute(
            select(ActualResult.measure_id, ActualResult.text, ActualResult.version)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def file_of(bot: RunningBot, message: dict[str, object]) -> bytes:
    document = message["document"]
    assert isinstance(document, dict)
    return bot.world.files[document["file_id"]].content


async def accepted_answer(bot: RunningBot) -> tuple[SimulatedUser, int]:
    """Мария reports П3.2 done and the coordinator accepts it; Пётр never answers."""
    coordinator, maria, _petr, _reminder = await reminded(bot)
    await report(maria, "Выполнено", "Дорожная карта школы утверждена приказом № 12")
    await next_text_with(coordinator, "Новый отчёт")
    await coordinator.press("Принять")
    await maria.next_message()
    return coordinator, await measure_id(bot, "П3.2")


async def test_the_coordinator_writes_the_actual_result_from_the_draft(
    running_bot: RunningBot,
) -> None:
    coordinator, measure = await accepted_answer(running_bot)

    card = await coordinator.press_data(MeasureCb(measure_id=measure).pack())
    assert card.get("ok", True)
    shown = await next_text_with(coordinator, "П3.2")
    assert "Фактический результат" in button_texts(shown)
    await coordinator.press("Фактический результат")
    prompt = await next_text_with(coordinator, "Черновик")
    # One line per school from its accepted answer; the school that did not answer is not
    # named, and no standing («Просрочено», «Нет ответа») is ever part of the draft.
    said = str(prompt["text"])
    assert "СОШ № 1: Дорожная карта школы утверждена приказом № 12." in said
    assert "СОШ № 2" not in said and "Просрочено" not in said
    assert button_texts(prompt)[:3] == [
        "Взять черновик",
        "«Срок исполнения не наступил»",
        "«Мероприятие реализуется»",
    ]

    # 10,000 characters: refused, told why, nothing saved, still waiting for the text.
    refused = await coordinator.ask("а" * 10_000)
    assert "10000" in refused["text"] and "4000" in refused["text"]
    assert await saved_results(running_bot) == []
    await coordinator.press("Взять черновик")
    assert "Сохранено" in (await coordinator.next_message())["text"]
    assert await saved_results(running_bot) == [
        (measure, "СОШ № 1: Дорожная карта школы утверждена приказом № 12.", 1)
    ]

    # A text that starts with «=» is kept as text, in the .docx and in the .xlsx.
    await coordinator.press_data(ActualCb(measure_id=measure, action="open", version=1).pack())
    await next_text_with(coordinator, "Черновик")
    await coordinator.ask("=СУММ(A1:A3) школ разработали дорожные карты")
    running_bot.clock.set(MONDAY_0900_IRKUTSK)
    await coordinator.send("/export")
    await next_text_with(coordinator, "Какой отчёт нужен")
    await coordinator.press("Документ (.docx)")
    await next_text_with(coordinator, "должность")
    await coordinator.send("Заместитель начальника Управления образованием")
    sent = await next_with(coordinator, "document")
    document = docx.Document(io.BytesIO(file_of(running_bot, sent)))
    table = document.tables[0]
    p32 = next(row for row in table.rows if row.cells[0].text == "П3.2")
    assert p32.cells[5].text == "=СУММ(A1:A3) школ разработали дорожные карты"
    column_6 = "\n".join(row.cells[5].text for row in table.rows)
    assert "Просрочено" not in column_6 and "Нет ответа" not in column_6

    await coordinator.send("/export")
    await next_text_with(coordinator, "Какой отчёт нужен")
    await coordinator.press("Таблица (.xlsx)")
    sent = await next_with(coordinator, "document")
    book = openpyxl.load_workbook(io.BytesIO(file_of(running_bot, sent)))
    row = next(r for r in book["Отчет"].iter_rows() if r[0].value == "П3.2")
    assert row[5].value == "=СУММ(A1:A3) школ разработали дорожные карты"
    assert row[5].data_type == "s"  # never a formula


async def test_the_later_of_two_editors_is_told_and_loses_nothing(
    running_bot: RunningBot,
) -> None:
    anna, measure = await accepted_answer(running_bot)
    olga = await running_bot.join_as("Ольга", "Смирнова Ольга Ивановна", Role.COORDINATOR, "УО")
    for editor in (anna, olga):
        await editor.press_data(ActualCb(measure_id=measure, action="open").pack())
        await next_text_with(editor, "Черновик")
    await olga.ask("Все школы разработали дорожные карты")
    late = await anna.ask("Дорожные карты разработаны в 2 школах из 2")
    assert "Смирнова Ольга Ивановна" in late["text"] and "не сохранён" in late["text"]
    assert "Все школы разработали дорожные карты" in late["text"]  # what the report says now
    assert "Дорожные карты разработаны в 2 школах из 2" in late["text"]  # hers, to copy
    assert await saved_results(running_bot) == [
        (measure, "Все школы разработали дорожные карты", 1)
    ]
    # A button pressed on the old prompt loses the same way.
    stale = await anna.press_data(ActualCb(measure_id=measure, action="not_due").pack())
    assert stale.get("ok", True)
    assert "не сохранён" in (await anna.next_message())["text"]


async def test_a_head_cannot_write_the_actual_result(running_bot: RunningBot) -> None:
    _anna, maria, _petr, _reminder = await reminded(running_bot)
    measure = await measure_id(running_bot, "П3.2")
    refused = await maria.press_data(ActualCb(measure_id=measure, action="open").pack())
    assert refused["show_alert"] and "только координатор" in str(refused["text"]).lower()
    assert await saved_results(running_bot) == []
