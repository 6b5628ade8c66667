"""The coordinator sends the roadmap file; the preview; Confirm saves; bad files change nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from demo.documents import district_plan, seed_document, seed_text, to_docx, to_xlsx
from domain.roles import Role
from standin.users import button_texts
from storage.models import ColumnChoiceMemory, Measure, Roadmap
from tests.conftest import RunningBot
from tests.support import audit_actions, row_counts


async def measure_count(bot: RunningBot) -> int:
    async with bot.session_factory() as session:
        return int(await session.scalar(select(func.count(Measure.id))) or 0)


async def test_upload_preview_confirm(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)

    await coordinator.upload(to_docx(seed_document("ust_kut")), "Дорожная карта УКМО.docx")
    preview = await coordinator.next_message()

    text = preview["text"]
    assert "Дорожная карта: Дорожная карта повышения качества образования" in text
    assert "Приказ № 61 от 20.02.2026" in text
    assert "Период: 2026–2030; ежегодный отчёт до 01.11" in text
    assert "Координатор: Антипина Анна Михайловна" in text
    assert "Разделов: 3, мероприятий: 22, сроков распознано: 18 из 22" in text
    assert "Нужно указать даты (4): 1.6, 1.7, 1.8, 1.10" in text
    assert "«учителя-предметники»" in text
    # Two of the bodies it names may be one («МКУ РЦ УО УКМО» with its qualifier): asked
    # above the preview's own buttons; left unanswered, each is an organisation of its own.
    assert "«МКУ РЦ УО УКМО» — это «МКУ РЦ УО УКМО (методический кабинет)»?" in text
    assert button_texts(preview) == [
        "Да",
        "Нет, это другая организация",
        "Подтвердить",
        "Отмена",
        "Столбцы прочитаны неверно",
    ]
    assert await measure_count(running_bot) == 0  # nothing is saved before Confirm

    await coordinator.press("Подтвердить")
    saved = await coordinator.next_message()
    assert "Мероприятий добавлено: 22, обновлено: 0" in saved["text"]
    assert await measure_count(running_bot) == 22

    # The amended roadmap again: updated in place, not duplicated.
    await coordinator.upload(to_xlsx(seed_document("ust_kut")), "Дорожная карта УКМО v2.xlsx")
    second = await coordinator.next_message()
    assert "Будет обновлена загруженная ранее дорожная карта" in second["text"]
    await coordinator.press("Подтвердить")
    assert "обновлено: 22" in (await coordinator.next_message())["text"]
    async with running_bot.session_factory() as session:
        assert await session.scalar(select(func.count(Roadmap.id))) == 1


async def test_cancel_saves_nothing(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    before = await row_counts(running_bot.session_factory)

    await coordinator.upload(seed_text("ust_ilimsk").encode(), "карта.txt")
    await coordinator.next_message()
    await coordinator.press("Отмена")

    assert "Ничего не сохранено" in (await coordinator.next_message())["text"]
    assert await row_counts(running_bot.session_factory) == before
    stale = await coordinator.press_data("v1imp:confirm")
    assert stale["show_alert"] and "Нет загрузки" in stale["text"]
    assert await row_counts(running_bot.session_factory) == before


async def test_bad_files_get_a_clear_answer_and_change_nothing(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    before = await row_counts(running_bot.session_factory)
    cases = [
        (b"GIF89a", "карта.jpg", "(.docx"),
        (b"%PDF-1.4", "карта.pdf", "повреждён"),
        (b"not really a docx", "карта.docx", "повреждён"),
        (b"PK\x03\x04" + b"0" * (10 * 1024 * 1024 + 1), "big.docx", "больше 10 МБ"),
        ("Просто текст без таблицы".encode(), "заметка.txt", "не нашёл в файле таблицу"),
    ]
    for data, name, expected in cases:
        await coordinator.upload(data, name)
        reply = await coordinator.next_message()
        assert expected in reply["text"], name
        assert "Ничего не сохранено" in reply["text"]
    assert await row_counts(running_bot.session_factory) == before
    outcomes = [
        o for a, o in await audit_actions(running_bot.session_factory) if a == "roadmap.upload"
    ]
    assert outcomes == ["unsupported_type", "corrupt", "corrupt", "too_large", "no_table"]


async def test_school_head_cannot_import(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")
    before = await row_counts(running_bot.session_factory)

    await head.upload(seed_text("ust_kut").encode(), "карта.txt")
    reply = await head.next_message()
    forged = await head.press_data("v1imp:confirm")

    assert "Этот файл не сохранён" in reply["text"]
    assert forged["show_alert"] and "только координатор" in forged["text"]
    assert await row_counts(running_bot.session_factory) == before
    assert ("roadmap.confirm", "forbidden") in await audit_actions(running_bot.session_factory)


async def test_browse_and_correct_measures(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    await coordinator.upload(seed_text("ust_kut").encode(), "карта.txt")
    await coordinator.next_message()
    await coordinator.press("Подтвердить")
    await coordinator.next_message()

    sections = await coordinator.ask("/measures")
    assert len(button_texts(sections)) == 4  # three sections and the order's instructions
    await coordinator.press(button_texts(sections)[0])
    measures = await coordinator.next_message()
    await coordinator.press(next(b for b in button_texts(measures) if b.startswith("1.6.")))
    card = await coordinator.next_message()
    assert (
        "Срок: «Ежегодно по плану министерства образования ИО» — сроки устанавливаются отдельно"
        in card["text"]
    )
    assert "Указать даты" in button_texts(card)

    await coordinator.press("Указать даты")
    await coordinator.next_message()
    saved = await coordinator.ask("ежегодно до 15 декабря")
    assert "ежегодно до 15 декабря, 2026–2030" in saved["text"]
    async with running_bot.session_factory() as session:
        measure = await session.scalar(select(Measure).where(Measure.number == "1.6"))
        assert measure is not None and measure.schedule_due[0] == "2026-12-15"

    await coordinator.next_message()  # the refreshed card
    await coordinator.press("Изменить ответственных")
    await coordinator.next_message()
    await coordinator.ask("УО УКМО, Петрова Е.В. - методист")
    card = await coordinator.next_message()
    assert "Петрова Е.В." in card["text"]


async def test_forged_measure_buttons(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    for data in ("v1ms:999", "v1sec:1:999", "v1me:999:deadline", "v1me:1:title"):
        answer = await coordinator.press_data(data)
        assert answer["show_alert"] and "Эта кнопка устарела" in answer["text"], data


async def remembered(bot: RunningBot) -> list[dict[str, int]]:
    async with bot.session_factory() as session:
        return list((await session.scalars(select(ColumnChoiceMemory.columns))).all())


async def test_an_unknown_deadline_column_is_chosen_with_one_tap(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    await coordinator.upload(district_plan(2026), "План 2026.docx")
    question = await coordinator.next_message()

    assert "Столбец «Этап» → не используется" in question["text"]
    assert "В каком столбце сроки?" in question["text"]
    assert button_texts(question) == ["2. Мероприятие", "3. Этап", "4. Ответственный", "Отмена"]
    assert await measure_count(running_bot) == 0

    await coordinator.press("3. Этап")
    preview = await coordinator.next_message()
    assert "✅ Выбран столбец 3." in question["text"]  # the answer stays, the buttons go
    assert button_texts(question) == []
    assert "Столбец «Этап» → срок исполнения" in preview["text"]
    assert "мероприятий: 3" in preview["text"]
    assert await remembered(running_bot) == [{"deadline": 2}]
    await coordinator.press("Подтвердить")
    assert "Мероприятий добавлено: 3" in (await coordinator.next_message())["text"]
    assert await measure_count(running_bot) == 3

    # Next year's plan has the same header: no question this time.
    await coordinator.upload(district_plan(2027), "План 2027.docx")
    preview = await coordinator.next_message()
    assert "Столбец «Этап» → срок исполнения" in preview["text"]
    assert button_texts(preview) == ["Подтвердить", "Отмена", "Столбцы прочитаны неверно"]


async def test_column_question_cancel_and_forged_answers_change_nothing(
    running_bot: RunningBot,
) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    before = await row_counts(running_bot.session_factory)
    await coordinator.upload(district_plan(2026), "План.docx")
    await coordinator.next_message()

    beyond = await coordinator.press_data("v1imc:deadline:17")
    assert beyond["show_alert"] and "нет такого столбца" in beyond["text"]
    other_role = await coordinator.press_data("v1imc:result:2")
    assert other_role["show_alert"] and "Нет загрузки" in other_role["text"]
    await coordinator.press("Отмена")
    assert "Ничего не сохранено" in (await coordinator.next_message())["text"]
    stale = await coordinator.press_data("v1imc:deadline:2")
    assert stale["show_alert"] and "Нет загрузки" in stale["text"]
    assert await row_counts(running_bot.session_factory) == before
    assert await remembered(running_bot) == []

    head = await running_bot.joined("Мария")
    refused = await head.press_data("v1imc:deadline:2")
    assert refused["show_alert"] and "только координатор" in refused["text"]
    assert await remembered(running_bot) == []


async def test_columns_read_wrong_are_corrected_from_the_preview(running_bot: RunningBot) -> None:
    """The deadline column was found by its cells, but the coordinator knows better: two taps
    (deadline, then measure) from the preview, and the next file is read the same way."""
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    await coordinator.upload(district_plan(2026), "План.docx")
    await coordinator.next_message()
    await coordinator.press("3. Этап")
    preview = await coordinator.next_message()

    await coordinator.press("Столбцы прочитаны неверно")
    deadline_question = await coordinator.next_message()
    assert deadline_question["text"].startswith("Вот как я прочитал столбцы:")
    assert "В каком столбце сроки?" in deadline_question["text"]
    assert button_texts(preview) == []  # the old preview cannot be confirmed any more
    await coordinator.press("4. Ответственный")
    title_question = await coordinator.next_message()
    assert "В каком столбце мероприятия" in title_question["text"]
    await coordinator.press("2. Мероприятие")
    corrected = await coordinator.next_message()
    assert "Столбец «Ответственный» → срок исполнения" in corrected["text"]
    assert await remembered(running_bot) == [{"deadline": 3, "title": 1}]
    await coordinator.press("Отмена")
    await coordinator.next_message()
    assert await measure_count(running_bot) == 0
