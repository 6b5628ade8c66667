"""/people and /template in the chat: the list goes in, a file of links comes out."""

from __future__ import annotations

import io

import openpyxl

from domain.people_sheet import read_people
from domain.roadmap.build import build_draft
from domain.roles import Role
from formats.roadmap_files import read_roadmap_file
from tests.conftest import RunningBot
from tests.fixtures.people import people_xlsx
from tests.support import row_counts


async def test_templates_are_real_spreadsheets_the_bot_reads_back(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)

    await coordinator.send("/template")
    roadmap_file = await coordinator.next_message()
    people_file = await coordinator.next_message()

    roadmap_bytes = running_bot.world.files[roadmap_file["document"]["file_id"]].content
    draft = build_draft(read_roadmap_file("t.xlsx", roadmap_bytes), fallback_year=2026)
    assert [m.number for m in draft.measures] == ["1.1", "1.2"]
    people_bytes = running_bot.world.files[people_file["document"]["file_id"]].content
    assert (
        read_people(read_roadmap_file("p.xlsx", people_bytes))[0].full_name
        == "Иванова Мария Петровна"
    )


async def test_people_list_then_links_for_everyone(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    await coordinator.ask("/people")
    await coordinator.next_message()  # the template

    await coordinator.upload(people_xlsx(), "руководители.xlsx")
    summary = await coordinator.next_message()
    assert "новых школ: 3, новых людей: 3" in summary["text"]
    # The one address that is not one is named; the row itself is saved without it.
    assert "Эти адреса почты не удалось прочитать" in summary["text"]
    assert "• Сидорова Анна Ивановна (МОУ СОШ № 3 г. Усть-Кута): «not-an-email»" in summary["text"]
    assert "school1@uk.ru" not in summary["text"]

    await coordinator.press("Пригласить всех")
    links = await coordinator.next_message()
    content = running_bot.world.files[links["document"]["file_id"]].content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == [
        "Иванова Мария Петровна",
        "Петров Пётр Петрович",
        "Сидорова Анна Ивановна",
    ]

    # A head opens their link from the file and joins, tied to their school.
    head = running_bot.user("Пётр")
    welcome = await head.ask("/start " + str(rows[1][2]).split("start=")[1])
    assert "Пётр Петрович" in welcome["text"]


async def test_a_file_that_is_not_a_list(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    await coordinator.ask("/people")
    await coordinator.next_message()
    before = await row_counts(running_bot.session_factory)

    await coordinator.upload(b"%PDF", "list.pdf")
    reply = await coordinator.next_message()

    assert ".docx" in reply["text"] and "Ничего не сохранено" in reply["text"]
    assert await row_counts(running_bot.session_factory) == before


async def test_heads_cannot_import_people(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")
    reply = await head.ask("/people")
    forged = await head.press_data("v1invall")
    assert "только координатор" in reply["text"]
    assert forged["show_alert"]


async def test_a_list_telegram_will_not_hand_over(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    await coordinator.ask("/people")
    await coordinator.next_message()
    before = await row_counts(running_bot.session_factory)
    stored = running_bot.world.add_file(b"0" * (20 * 1024 * 1024 + 1), "list.xlsx", None)

    coordinator.skip_unread()
    await coordinator.upload_document(
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": "list.xlsx",
        }
    )
    reply = await coordinator.next_message()

    assert "больше 10 МБ" in reply["text"] and "Ничего не сохранено" in reply["text"]
    assert await row_counts(running_bot.session_factory) == before
