"""«Пояснительная записка» and «Выводы и предложения» typed in the chat, through the real bot:
/export offers them next to the report; the coordinator types a text (in several messages, a
text starting with «=» included) and the .docx prints it; too long a text is refused; clearing
leaves the section out; the later of two editors is told; an observer reads, a head is refused;
forged, archived and removed roadmaps' buttons change nothing."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
from sqlalchemy import delete, select, update

from domain.roles import Role
from handlers.common.callbacks import NotesCb
from standin import SimulatedUser
from standin.users import button_texts
from storage.models import ReportNotes, Roadmap
from storage.usecases.actual_results import set_report_notes
from tests.conftest import RunningBot
from tests.handlers.test_actual_results import file_of
from tests.handlers.test_digest_export import next_text_with, next_with
from tests.handlers.test_several_roadmaps import _coordinator_with, _roadmap_id
from tests.support import unit_of_work

MONDAY_0900_IRKUTSK = datetime(2026, 4, 20, 1, 0, tzinfo=UTC)
FORMULA = "=СУММ(A1:A3) школ разработали дорожные карты."
EMPTY = "Раздел пока пуст, в документе его не будет."
STALE = "Эта кнопка устарела. Отправьте /export ещё раз."
LIMIT = "20\u00a0000"


async def _notes(bot: RunningBot) -> list[tuple[str, str, int, int]]:
    async with bot.session_factory() as session:
        rows = await session.execute(
            select(
                ReportNotes.explanatory,
                ReportNotes.conclusions,
                ReportNotes.explanatory_version,
                ReportNotes.conclusions_version,
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def _department(bot: RunningBot) -> SimulatedUser:
    """Анна, coordinator of the Ust-Kut roadmap, on Monday 20 April 2026 (its period runs)."""
    anna = await _coordinator_with(bot, "ust_kut")
    bot.clock.set(MONDAY_0900_IRKUTSK)
    return anna


async def _open(user: SimulatedUser, section: str) -> dict[str, object]:
    """/export, then the section's button; the section's last message (with its buttons)."""
    await user.send("/export")
    await next_text_with(user, "Какой отчёт нужен")
    await user.press(section)
    return await next_text_with(user, "Раздел «" + section)


async def test_the_coordinator_types_the_explanatory_note_and_the_document_prints_it(
    running_bot: RunningBot,
) -> None:
    anna = await _department(running_bot)

    await anna.send("/export")
    question = await next_text_with(anna, "Какой отчёт нужен")
    assert button_texts(question) == [
        "Таблица (.xlsx)",
        "Документ (.docx)",
        "Пояснительная записка",
        "Выводы и предложения",
    ]
    assert "документа за 2026 год пишете вы" in str(question["text"])
    await anna.press("Пояснительная записка")
    prompt = str((await next_text_with(anna, EMPTY))["text"])
    assert prompt.startswith("Раздел «Пояснительная записка» отчёта за 2026 год\n«Дорожная карта")
    assert f"всего до {LIMIT} знаков" in prompt
    assert button_texts(anna.inbox()[-1]) == ["Оставить как есть"]  # nothing to clear yet

    # A long text comes in two messages (a messenger cuts it); nothing is saved until «Сохранить».
    first = await anna.ask(FORMULA)
    assert f"Получено знаков: {len(FORMULA)} из {LIMIT}" in str(first["text"])
    assert button_texts(first) == ["Сохранить", "Оставить как было"]
    await anna.ask("Все школы приняли участие.")
    assert await _notes(running_bot) == []
    await anna.press("Сохранить")
    saved = await next_text_with(anna, "Сохранено")
    expected = FORMULA + "\nВсе школы приняли участие."
    assert f"Знаков в разделе «Пояснительная записка» отчёта за 2026 год: {len(expected)}" in str(
        saved["text"]
    )
    assert await _notes(running_bot) == [(expected, "", 1, 0)]

    await anna.press("Документ (.docx)")
    await next_text_with(anna, "должность")
    await anna.send("Заместитель начальника Управления образованием")
    sent = await next_with(anna, "document")
    assert button_texts(sent) == ["Пояснительная записка", "Выводы и предложения"]
    paragraphs = [p.text for p in docx.Document(io.BytesIO(file_of(running_bot, sent))).paragraphs]
    at = paragraphs.index("Пояснительная записка")
    # «=…» is the text itself: never a formula or a field.
    assert paragraphs[at + 1 : at + 3] == [FORMULA, "Все школы приняли участие."]
    assert "Выводы и предложения" not in paragraphs  # empty: left out

    # Opened again: her text is shown; «Оставить как есть» changes nothing.
    await anna.press("Пояснительная записка")
    again = await next_text_with(anna, "Сейчас в разделе:")
    assert expected in str(again["text"])
    assert button_texts(again) == ["Оставить как есть", "Очистить (раздела не будет)"]
    await anna.press("Оставить как есть")
    assert (await anna.next_message())["text"] == "Ничего не изменено."
    assert await _notes(running_bot) == [(expected, "", 1, 0)]


async def test_too_long_a_text_is_refused_and_clearing_leaves_the_section_out(
    running_bot: RunningBot,
) -> None:
    anna = await _department(running_bot)
    await _open(anna, "Выводы и предложения")
    part = "б" * 4000
    for _ in range(5):
        answer = await anna.ask(part)
    # The fifth part would make 20 004 characters: told, not added, the rest kept.
    assert "стало бы 20\u00a0004" in str(answer["text"]) and f"не больше {LIMIT}" in str(
        answer["text"]
    )
    assert "не добавлено" in str(answer["text"])
    await anna.press("Сохранить")
    await next_text_with(anna, "Сохранено")
    ((_explanatory, conclusions, _v1, version),) = await _notes(running_bot)
    assert len(conclusions) == 4 * 4000 + 3 and version == 1

    # A text longer than a message is shown whole, in several messages, buttons on the last.
    await anna.send("/export")
    await next_text_with(anna, "Какой отчёт нужен")
    await anna.press("Выводы и предложения")
    shown = [await anna.next_message()]
    while not button_texts(shown[-1]):
        shown.append(await anna.next_message())
    assert len(shown) > 4 and all(len(str(m["text"])) <= 4096 for m in shown)
    assert sum(str(m["text"]).count(part) for m in shown) == 4  # nothing cut off
    assert "Очистить (раздела не будет)" in button_texts(shown[-1])
    await anna.press("Очистить (раздела не будет)")
    cleared = await anna.next_message()
    assert cleared["text"] == (
        "Раздел «Выводы и предложения» очищен: в документе за 2026 год его не будет."
    )
    assert await _notes(running_bot) == [("", "", 0, 2)]


async def test_the_later_of_two_editors_is_told_and_gets_her_text_back(
    running_bot: RunningBot,
) -> None:
    anna = await _department(running_bot)
    olga = await running_bot.join_as("Ольга", "Смирнова Ольга Ивановна", Role.COORDINATOR, "УО")
    for editor in (anna, olga):
        await _open(editor, "Пояснительная записка")
        await editor.ask(f"Записка от {editor.label}")
    await olga.press("Сохранить")
    await next_text_with(olga, "Сохранено")
    await anna.press("Сохранить")
    late = str((await next_text_with(anna, "не сохранено"))["text"])
    assert "Пока вы редактировали раздел «Пояснительная записка», его изменили: Смирнова" in late
    assert "Сейчас в разделе:\nЗаписка от Ольга" in late  # what the report says now
    assert "Ваш текст:\nЗаписка от Анна" in late  # hers, to copy
    assert button_texts(anna.inbox()[-1]) == ["Пояснительная записка"]
    assert await _notes(running_bot) == [("Записка от Ольга", "", 1, 0)]
    # The other section is not in the way: Анна saves «Выводы» meanwhile.
    await _open(anna, "Выводы и предложения")
    await anna.ask("Выводы Анны")
    await anna.press("Сохранить")
    await next_text_with(anna, "Сохранено")
    assert await _notes(running_bot) == [("Записка от Ольга", "Выводы Анны", 1, 1)]

    # `roadmap-bot report-notes` on the server while she edits: she is told the same way.
    await _open(anna, "Выводы и предложения")
    await anna.ask("Выводы, которые опоздали")
    async with unit_of_work(running_bot.session_factory) as uow:
        roadmap = await _roadmap_id(running_bot, "Усть-Кут")
        await set_report_notes(
            uow, roadmap, 2026, explanatory=None, conclusions="С сервера", now=MONDAY_0900_IRKUTSK
        )
        await uow.commit()
    await anna.press("Сохранить")
    late = str((await next_text_with(anna, "не сохранено"))["text"])
    assert "его изменили на сервере (20.04.2026 09:00)" in late
    assert "Ваш текст:\nВыводы, которые опоздали" in late
    assert await _notes(running_bot) == [("Записка от Ольга", "С сервера", 1, 2)]


async def test_an_observer_reads_a_head_is_refused_and_forged_buttons_change_nothing(
    running_bot: RunningBot,
) -> None:
    anna = await _department(running_bot)
    await _open(anna, "Пояснительная записка")
    await anna.ask("Текст координатора")
    await anna.press("Сохранить")
    await next_text_with(anna, "Сохранено")
    roadmap = await _roadmap_id(running_bot, "Усть-Кут")

    head = await running_bot.join_as("Ольга", "Смирнова Ольга Петровна", Role.OBSERVER, "УО")
    await head.send("/export")
    question = await next_text_with(head, "Какой отчёт нужен")
    assert "Кнопками ниже можно посмотреть разделы" in str(question["text"])
    await head.press("Пояснительная записка")
    read = str((await next_text_with(head, "Сейчас в разделе"))["text"])
    assert "Текст координатора" in read and "может только координатор" in read
    assert button_texts(head.inbox()[-1]) == []
    forged = await head.press_data(
        NotesCb(
            roadmap_id=roadmap, section="explanatory", action="clear", year=2026, version=1
        ).pack()
    )
    assert forged["show_alert"] and "только координатор" in str(forged["text"]).lower()

    maria = await running_bot.join_as(
        "Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1"
    )
    await maria.send("/export")
    assert button_texts(await next_text_with(maria, "Какой отчёт нужен")) == [
        "Таблица (.xlsx)",
        "Документ (.docx)",
    ]
    for action in ("open", "clear"):
        refused = await maria.press_data(
            NotesCb(roadmap_id=roadmap, section="explanatory", action=action, year=2026).pack()
        )
        assert refused["show_alert"] and "только координатор" in str(refused["text"]).lower()

    for data in (
        NotesCb(roadmap_id=roadmap, section="summary", action="open", year=2026).pack(),
        NotesCb(roadmap_id=roadmap, section="explanatory", action="drop", year=2026).pack(),
        NotesCb(roadmap_id=roadmap, section="explanatory", action="clear", year=2025).pack(),
        NotesCb(roadmap_id=999, section="explanatory", action="open", year=2026).pack(),
    ):
        answer = await anna.press_data(data)
        assert answer["show_alert"] and answer["text"] == STALE, data
    malformed = await anna.press_data("v1note:x")  # not even a button of ours: the fallback's
    assert malformed["show_alert"] and "Эта кнопка устарела" in str(malformed["text"])
    assert await _notes(running_bot) == [("Текст координатора", "", 1, 0)]


async def test_a_roadmap_archived_or_removed_while_she_types_is_left_as_it_was(
    running_bot: RunningBot,
) -> None:
    anna = await _department(running_bot)
    roadmap = await _roadmap_id(running_bot, "Усть-Кут")
    await _open(anna, "Пояснительная записка")
    await anna.ask("Текст, который не сохранится")
    async with running_bot.session_factory() as session:
        await session.execute(
            update(Roadmap).where(Roadmap.id == roadmap).values(archive_choice="archived")
        )
        await session.commit()
    await anna.press("Сохранить")
    refused = str((await anna.next_message())["text"])
    assert refused.startswith("«Дорожная карта") and "— в архиве:" in refused
    assert refused.endswith("его разделы больше не меняются. Ничего не изменено.")
    assert await _notes(running_bot) == []
    # An archived roadmap's /export offers no sections to write.
    await anna.send("/export")
    assert button_texts(await next_text_with(anna, "Какой отчёт нужен")) == [
        "Таблица (.xlsx)",
        "Документ (.docx)",
    ]

    async with running_bot.session_factory() as session:
        await session.execute(
            update(Roadmap).where(Roadmap.id == roadmap).values(archive_choice="active")
        )
        await session.commit()
    await _open(anna, "Пояснительная записка")
    await anna.ask("И этот текст не сохранится")
    async with running_bot.session_factory() as session:
        await session.execute(delete(Roadmap).where(Roadmap.id == roadmap))
        await session.commit()
    gone = await anna.press("Сохранить")
    assert gone["show_alert"] and gone["text"] == STALE
    assert await _notes(running_bot) == []
