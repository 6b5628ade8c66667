"""A department running several roadmaps: /export and /measures ask which (archived ones at
the end, their report given as history), forged and stale picker buttons are refused,
/roadmaps archives and restores, an archived roadmap reminds nobody. With one roadmap,
nobody is asked anything."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, update

from demo.documents import seed_document, to_docx
from domain.roles import Role
from standin import SimulatedUser
from standin.users import button_texts
from storage.models import Measure, Organisation, Reminder, Roadmap
from tests.conftest import RunningBot
from tests.handlers.test_digest_export import next_text_with, next_with, workbook_of

PICKER = "В управлении несколько дорожных карт"
FORMATS = "Какой отчёт нужен"
STALE = "Эта кнопка устарела. Отправьте /export ещё раз."


async def _import(coordinator: SimulatedUser, seed: str) -> None:
    await coordinator.upload(to_docx(seed_document(seed)), f"{seed}.docx")
    await coordinator.next_message()
    await coordinator.press("Подтвердить")
    await coordinator.next_message()


async def _coordinator_with(bot: RunningBot, *seeds: str) -> SimulatedUser:
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    for seed in seeds:
        await _import(anna, seed)
    return anna


async def _roadmap_id(bot: RunningBot, words: str) -> int:
    async with bot.session_factory() as session:
        found = await session.scalar(select(Roadmap.id).where(Roadmap.title.contains(words)))
    assert found is not None
    return int(found)


def _report_rows(bot: RunningBot, message: dict[str, object]) -> tuple[str, int]:
    sheet = workbook_of(bot, message)["Отчет"]
    rows = list(sheet.iter_rows(values_only=True))
    return str(rows[0][0]), len([row for row in rows[3:] if row[2]])


async def test_one_roadmap_means_no_picker_anywhere(running_bot: RunningBot) -> None:
    anna = await _coordinator_with(running_bot, "ust_kut")
    sections = await anna.ask("/measures")
    assert "Выберите раздел" in sections["text"] and PICKER not in sections["text"]
    await anna.send("/export")
    formats = await next_text_with(anna, FORMATS)
    assert button_texts(formats) == [
        "Таблица (.xlsx)",
        "Документ (.docx)",
        "Пояснительная записка",
        "Выводы и предложения",
    ]
    listed = await anna.ask("/roadmaps")
    assert button_texts(listed) == ["Отправить № 1 в архив"]


async def test_export_asks_which_roadmap_and_gives_each_its_own(running_bot: RunningBot) -> None:
    # Ust-Kut's roadmap runs to 2030; the ШНОР roadmap of Ust-Ilimsk ended with 2025.
    anna = await _coordinator_with(running_bot, "ust_kut", "ust_ilimsk")

    await anna.send("/export")
    picker = await next_text_with(anna, PICKER)
    to_2030, shnor = button_texts(picker)
    assert to_2030.startswith("1. Дорожная карта") and to_2030.endswith("(2026–2030)")
    assert shnor.startswith("2. Муниципальная") and shnor.endswith("(2024–2025) — в архиве")
    assert "1. Дорожная карта повышения качества образования в Усть-Кутском" in str(picker["text"])
    assert "«Усть-Илимский район» в 2024-2025 гг. (2024–2025) — в архиве" in str(picker["text"])
    assert "Дорожные карты в архиве — в конце списка" in str(picker["text"])

    await anna.press(to_2030)
    await next_text_with(anna, FORMATS)
    await anna.press("Таблица (.xlsx)")
    title, measures = _report_rows(running_bot, await next_with(anna, "document"))
    assert "Усть-Кутском" in title and measures == 22

    await anna.send("/export")
    await next_text_with(anna, PICKER)
    await anna.press(shnor)
    history = await next_text_with(anna, FORMATS)
    assert "в архиве: напоминания не отправляются, отчёт доступен как архивный" in str(
        history["text"]
    )
    await anna.press("Таблица (.xlsx)")
    sent = await next_with(anna, "document")
    assert "доступен как архивный" in str(sent["caption"])  # history, and said so
    title, measures = _report_rows(running_bot, sent)
    assert "Усть-Илимский" in title and measures == 27


async def test_forged_and_stale_roadmap_buttons_are_refused(running_bot: RunningBot) -> None:
    anna = await _coordinator_with(running_bot, "ust_kut", "ust_ilimsk")
    await anna.send("/export")
    await next_text_with(anna, PICKER)
    for forged in ("v1rmp:export:999", "v1exp:xlsx:999", "v1rmp:measures:0"):
        answer = await anna.press_data(forged)
        assert answer["show_alert"], forged
        assert answer["text"] in (STALE, "Эта кнопка устарела. Отправьте /measures ещё раз.")
    # A format button from before there were several roadmaps names none of them.
    old = await anna.press_data("v1exp:xlsx")
    assert old["answered"] and "document" not in running_bot.world.bot_messages(anna.id)[-1]


async def test_measures_ask_which_and_an_archived_choice_says_so(running_bot: RunningBot) -> None:
    anna = await _coordinator_with(running_bot, "ust_kut", "ust_ilimsk")
    picker = await anna.ask("/measures")
    assert button_texts(picker)[0].startswith("1. Дорожная карта повышения качества")
    # Archived in /roadmaps after the picker was shown: the choice still opens the
    # roadmap, and says it is in the archive.
    listed = await anna.ask("/roadmaps")
    assert button_texts(listed) == ["Отправить № 1 в архив", "Вернуть № 2 из архива"]
    await anna.press("Отправить № 1 в архив")
    archived = await anna.next_message()
    assert "— в архиве: напоминаний больше не будет, отчёт остаётся в /export" in archived["text"]
    assert button_texts(archived) == ["Вернуть № 1 из архива", "Вернуть № 2 из архива"]
    await anna.press_data(button_texts_data(picker)[0])
    sections = await anna.next_message()
    assert "в архиве" in sections["text"] and "Выберите раздел" in sections["text"]
    assert sections["text"].startswith("«Дорожная карта повышения качества образования в Усть-Кут")
    assert button_texts(sections)  # its sections, to look through and correct


def button_texts_data(message: dict[str, object]) -> list[str]:
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return [button["callback_data"] for row in markup["inline_keyboard"] for button in row]


async def test_archive_twice_is_told_and_restore_says_reminders_resume(
    running_bot: RunningBot,
) -> None:
    anna = await _coordinator_with(running_bot, "ust_kut")
    listed = await anna.ask("/roadmaps")
    archive = button_texts_data(listed)[0]
    await anna.press("Отправить № 1 в архив")
    await anna.next_message()
    again = await anna.press_data(archive)  # the old button, pressed a second time
    assert again["show_alert"] and again["text"].endswith("уже в архиве.")
    forged = await anna.press_data("v1rma:999:True")
    assert forged["show_alert"] and forged["text"] == (
        "Эта кнопка устарела. Отправьте /roadmaps ещё раз."
    )
    await anna.press("Вернуть № 1 из архива")
    restored = await anna.next_message()
    assert "снова действует, напоминания возобновятся" in restored["text"]


async def test_an_archived_roadmap_reminds_nobody(running_bot: RunningBot) -> None:
    anna = await _coordinator_with(running_bot)
    maria = await running_bot.join_as(
        "Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1"
    )
    await _import(anna, "ust_kut")
    await anna.ask("/roadmaps")
    await anna.press("Отправить № 1 в архив")
    await anna.next_message()
    # 3 April: the day the heads' first reminder is due (tests/handlers/test_reports.py).
    running_bot.clock.set(datetime(2026, 4, 3, 2, 0, tzinfo=UTC))
    await anna.ask("/help")  # a round trip: the sender has had its ticks meanwhile
    async with running_bot.session_factory() as session:
        sent = await session.scalar(
            select(func.count(Reminder.id)).where(Reminder.state.in_(("sending", "sent")))
        )
        measures = await session.scalar(select(func.count(Measure.id)))
    assert measures and sent == 0
    assert not [m for m in running_bot.world.bot_messages(maria.id) if "Напоминание" in str(m)]


async def test_a_head_with_one_roadmap_exports_without_a_question(running_bot: RunningBot) -> None:
    anna = await _coordinator_with(running_bot, "ust_kut")
    maria = await running_bot.join_as(
        "Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1"
    )
    await maria.send("/export")
    formats = await next_text_with(maria, FORMATS)
    assert PICKER not in str(formats["text"])
    await _import(anna, "ust_ilimsk")
    await maria.send("/export")
    picker = await next_text_with(maria, PICKER)
    assert len(button_texts(picker)) == 2
    assert await _roadmap_id(running_bot, "Усть-Илимский") != await _roadmap_id(
        running_bot, "Усть-Кутском"
    )


async def test_my_and_report_group_a_heads_measures_by_roadmap(running_bot: RunningBot) -> None:
    anna = await _coordinator_with(running_bot, "ust_kut")
    maria = await running_bot.join_as(
        "Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1"
    )
    alone = await maria.ask("/my")
    assert "«" not in str(alone["text"])  # one roadmap: no heading
    async with running_bot.session_factory() as session:
        await session.execute(
            update(Organisation).where(Organisation.name == "СОШ № 1").values(tags=["ШНОР"])
        )
        await session.commit()
    await _import(anna, "ust_ilimsk")  # «руководители школ ШНОР»: Мария's school too

    # Its period (2024-2025) has ended: archived, its measures are not offered, and with one
    # active roadmap left the lists read as before, with no heading.
    archived = str((await maria.ask("/my"))["text"])
    assert "«" not in archived and ".2024" not in archived and ".2025" not in archived
    choices = await maria.ask("/report")
    assert "«" not in str(choices["text"])
    assert not [t for t in button_texts(choices) if ".2024" in t or ".2025" in t]

    await anna.ask("/roadmaps")
    await anna.press("Вернуть № 2 из архива")
    await anna.next_message()
    mine = str((await maria.ask("/my"))["text"])
    assert "\n«Дорожная карта повышения качества образования" in mine  # a heading each
    assert "\n«Муниципальная дорожная карта по сопровождению" in mine
    assert "— срок 31.05.2024 —" in mine  # the restored roadmap's late measures are back
    choices = await maria.ask("/report")
    assert "1) «" in str(choices["text"]) and "2) «" in str(choices["text"])
    marks = {text[:3] for text in button_texts(choices)}
    assert marks == {"1) ", "2) "}
