"""A request from start to merged workbook: the coordinator asks 20 schools for a one-sheet
form by a date; 15 answer (3 first with a mistake the bot explains, then corrected); the 5
others are reminded by the policy; the merged workbook has the 15 schools' rows under the
header, each row naming its school, and the 5 listed as not answered."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime

import openpyxl
from sqlalchemy import func, select

from domain.roles import Role
from standin import SimulatedUser
from storage.models import StatusReport
from tests.conftest import RunningBot
from tests.fixtures.forms import filled_form, form_template

SCHOOLS = 20
ANSWERING = 15
WITH_A_MISTAKE = 3


async def test_twenty_schools_fifteen_answers_one_merged_workbook(running_bot: RunningBot) -> None:
    bot = running_bot
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО")
    heads: list[SimulatedUser] = []
    for n in range(1, SCHOOLS + 1):
        heads.append(
            await bot.join_as(
                f"Директор{n}", f"Директор {n:02d}", Role.RESPONSIBLE, f"СОШ № {n:02d}"
            )
        )

    # Monday 2 March, 10:00 in Irkutsk: the request, due Friday 13 March.
    await anna.ask("/ask")
    await anna.ask("Прошу в срок до 13.03 предоставить сведения о численности обучающихся.")
    await anna.press(f"Всем школам ({SCHOOLS})")
    await anna.next_message()
    await anna.ask("до 13.03")
    await anna.upload(form_template(), "Численность.xlsx")
    await anna.next_message()
    await anna.press("Отправить")
    sent = await anna.next_message()
    assert f"отправлен {SCHOOLS} адресатам; в чате его уже получили: {SCHOOLS}" in sent["text"]
    for head in heads:
        request = await head.next_message(timeout=20)
        assert "Запрос управления образования № З-1" in str(request["text"])

    for n, head in enumerate(heads[:ANSWERING], start=1):
        await head.press("Выполнено")
        await head.next_message()  # the filled form first: no sentence before it
        if n <= WITH_A_MISTAKE:
            wrong = await head.ask_upload(filled_form(counts=(20 + n, "нет данных", 30)), "ф.xlsx")
            assert "строка 4, столбец «Количество учащихся»: нужно число" in str(wrong["text"])
        await head.upload(filled_form(counts=(20 + n, 25, 30), note=f"школа {n}"), "ф.xlsx")
        await head.next_message()
        await head.press("Сохранить")
        await head.next_message()
    async with bot.session_factory() as session:
        assert await session.scalar(select(func.count(StatusReport.id))) == ANSWERING

    # Friday 6 March, 10:00: seven days before the deadline, only those who have not answered
    # are reminded.
    for head in heads:
        head.skip_unread()
    bot.clock.set(datetime(2026, 3, 6, 2, 0, tzinfo=UTC))
    for head in heads[ANSWERING:]:
        reminder = await head.next_message(timeout=20)
        assert str(reminder["text"]).startswith("⏰ Напоминание: запрос № З-1")
    await asyncio.sleep(1)
    assert all(head.unread() == [] for head in heads[:ANSWERING])

    anna.skip_unread()
    standing = await anna.ask("/requests")
    assert f"Ответили: {ANSWERING} из {SCHOOLS}" in str(standing["text"])
    await anna.press("Сводные ответы (.xlsx)")
    merged = await anna.next_message()
    assert "Ответов сведено: 15; не ответили: 5" in str(merged["caption"])
    data = bot.world.files[merged["document"]["file_id"]].content
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(workbook["Сведения"].iter_rows(values_only=True))
    assert rows[0] == ("Организация", "Класс", "Количество учащихся", "Дата проверки", "Примечание")
    assert len(rows) == 1 + ANSWERING * 3
    schools = [row[0] for row in rows[1:]]
    assert sorted(set(schools)) == [f"СОШ № {n:02d}" for n in range(1, ANSWERING + 1)]
    assert rows[4][:3] == ("СОШ № 02", "1 класс", 22) and rows[4][4] == "школа 2"
    not_answered = [
        row[0] for row in workbook["Не ответили"].iter_rows(min_row=2, values_only=True)
    ]
    assert not_answered == [f"СОШ № {n:02d}" for n in range(ANSWERING + 1, SCHOOLS + 1)]

    # Requests under no measure belong to the department's own holder, which is no roadmap
    # of the official report: with no roadmap imported, /export says so, and the request's
    # answers are in the merged workbook above.
    nothing = await anna.ask("/export")
    assert "карта ещё не загружена" in str(nothing["text"]) and "document" not in nothing
