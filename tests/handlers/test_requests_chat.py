"""/ask and /requests in the chat: a request with a form goes to the schools, a head fills it
(first with a mistake the bot explains), the coordinator gets the merged answers; bad input
and forged buttons change nothing."""

from __future__ import annotations

import asyncio
import io
from datetime import date
from pathlib import Path

import openpyxl
from sqlalchemy import select

from demo.documents import seed_document, to_docx
from domain.roles import Role
from formats.request_forms.template import read_template
from handlers.common.callbacks import AskCb, FormCb, RequestCb
from standin import SimulatedUser
from standin.users import button_texts
from storage.models import Occurrence, Reminder, Request, StatusReport
from tests.conftest import RunningBot
from tests.fixtures.forms import filled_form, form_template
from tests.support import row_counts


async def schools_and_heads(bot: RunningBot) -> tuple[SimulatedUser, SimulatedUser, SimulatedUser]:
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    maria = await bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    petr = await bot.join_as("Пётр", "Петров Пётр Петрович", Role.RESPONSIBLE, "СОШ № 2")
    return anna, maria, petr


async def import_ust_kut(coordinator: SimulatedUser) -> None:
    await coordinator.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    await coordinator.next_message()
    await coordinator.press("Подтвердить")
    await coordinator.next_message()


async def ask_with_form(anna: SimulatedUser, due: str = "до 18.12") -> dict[str, object]:
    await anna.ask("/ask")
    who = await anna.ask("Прошу предоставить сведения о численности обучающихся по форме.")
    assert button_texts(who)[0] == "Всем школам (2)"
    await anna.press("Всем школам (2)")
    await anna.next_message()
    form_question = await anna.ask(due)
    assert "18 декабря 2026" in str(form_question["text"])
    await anna.upload(form_template(), "Форма численности.xlsx")
    preview = await anna.next_message()
    assert "Кому: все школы" in str(preview["text"])
    assert "Форма: Форма численности.xlsx" in str(preview["text"])
    await anna.press("Отправить")
    return await anna.next_message()


async def test_a_request_with_a_form_is_answered_checked_and_merged(
    running_bot: RunningBot,
) -> None:
    anna, maria, petr = await schools_and_heads(running_bot)
    sent = await ask_with_form(anna)
    assert "Запрос № З-1 отправлен 2 адресатам" in str(sent["text"])

    request = await maria.next_message(timeout=15)  # at once, not by the reminder policy
    assert str(request["text"]).startswith("📨 Запрос управления образования № З-1")
    assert "Форма численности.xlsx" in str(request["text"])
    # Only what answering needs: the form, the answer, more time, tomorrow.
    assert button_texts(request) == [
        "📎 Форма для заполнения",
        "Выполнено",
        "Перенести срок",
        "Напомнить завтра",
    ]
    await petr.next_message(timeout=15)
    await maria.press("📎 Форма для заполнения")
    form = await maria.next_message()
    content = running_bot.world.files[form["document"]["file_id"]].content
    assert read_template(content) == read_template(form_template())  # the form as sent

    # A mistake first: the bot says where and what, and keeps nothing.
    await maria.press("Выполнено")
    asked = await maria.next_message()  # the file first: no sentence before it
    assert str(asked["text"]) == (
        "Теперь пришлите заполненную форму «Форма численности.xlsx» файлом (.xlsx)."
    )
    await maria.upload(filled_form(counts=(25, "двадцать семь", 30)), "СОШ 1.xlsx")
    refused = await maria.next_message()
    assert (
        "на листе «Сведения», строка 4, столбец «Количество учащихся»: нужно число, а не "
        "«двадцать семь»"
    ) in str(refused["text"])
    await maria.upload(filled_form(), "СОШ 1.xlsx")
    await maria.next_message()  # please check
    await maria.press("Сохранить")
    await maria.next_message()

    await anna.world.wait_until(
        lambda: any("Новый ответ на запрос № З-1" in str(m.get("text")) for m in anna.inbox()), 5
    )
    standing = await anna.ask("/requests")
    assert "Ответили: 1 из 2" in str(standing["text"])
    assert "Ещё нет: СОШ № 2" in str(standing["text"])
    await anna.press("Сводные ответы (.xlsx)")
    merged = await anna.next_message()
    data = running_bot.world.files[merged["document"]["file_id"]].content
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(workbook["Сведения"].iter_rows(values_only=True))
    assert rows[0] == ("Организация", "Класс", "Количество учащихся", "Дата проверки", "Примечание")
    assert [row[:3] for row in rows[1:]] == [
        ("СОШ № 1", "1 класс", 25),
        ("СОШ № 1", "2 класс", 27),
        ("СОШ № 1", "3 класс", 30),
    ]
    assert list(workbook["Не ответили"].iter_rows(values_only=True)) == [
        ("Организация",),
        ("СОШ № 2",),
    ]

    # A later deadline: Пётр, who still owes an answer, is told once; Мария has answered.
    petr.skip_unread()
    maria.skip_unread()
    await anna.press("Изменить срок")
    await anna.next_message()
    changed = await anna.ask("до 25.12")
    assert "Адресатам в чате сообщено один раз: 1" in str(changed["text"])
    told = await petr.next_message(timeout=15)
    assert str(told["text"]).startswith("✏️ Запрос № З-1 изменён")
    assert "25 декабря 2026" in str(told["text"])
    await asyncio.sleep(0.5)
    assert maria.unread() == []
    async with running_bot.session_factory() as session:
        assert await session.scalar(select(Request.due_on)) == date(2026, 12, 25)

    # Withdrawn: Пётр's reminders stop.
    await anna.press("Отозвать")
    async with running_bot.session_factory() as session:
        state = await session.scalar(select(Request.state))
        open_left = await session.scalar(select(Occurrence).where(Occurrence.status == "open"))
        pending = await session.scalar(
            select(Reminder).where(Reminder.state == "pending", Reminder.kind.not_like("request%"))
        )
    assert state == "withdrawn" and open_left is None and pending is None


async def test_what_is_refused_while_asking(running_bot: RunningBot) -> None:
    anna, maria, _petr = await schools_and_heads(running_bot)
    before = await row_counts(running_bot.session_factory)

    refused = await maria.ask("/ask")  # a school head sends no requests
    assert "Запросы школам отправляет координатор" in str(refused["text"])
    forged = await maria.press_data(AskCb(action="send").pack())
    assert forged["show_alert"]
    collect = await maria.press_data(RequestCb(request_id=1, action="collect").pack())
    assert collect["show_alert"]

    await anna.ask("/ask")
    await anna.ask("Сведения о кадрах")
    await anna.press("Выбрать школы")
    await anna.next_message()
    await anna.press("Готово (0)")
    nobody = await anna.next_message()
    assert "Выберите хотя бы одного адресата" in str(nobody["text"])
    found = await anna.ask("№ 2")
    assert button_texts(found)[0] == "СОШ № 2"
    await anna.press("СОШ № 2")
    await anna.world.wait_until(lambda: "Готово (1)" in button_texts(anna.inbox()[-1]), 5)
    assert button_texts(anna.inbox()[-1])[0] == "✅ СОШ № 2"  # the same message, edited
    await anna.press("Готово (1)")
    await anna.next_message()
    past = await anna.ask("01.02.2026")
    assert "уже прошло" in str(past["text"])
    vague = await anna.ask("в течение недели")
    assert "не удалось прочитать одну дату" in str(vague["text"]).lower()
    await anna.ask("до 18 декабря")
    macro = await anna.ask_upload(b"not a workbook", "форма.pdf")
    assert ".xlsx" in str(macro["text"])
    broken = await anna.ask_upload(b"PK\x03\x04garbage", "форма.xlsx")
    assert "Пришлите форму ещё раз" in str(broken["text"])
    stale = await anna.press_data(AskCb(action="all").pack())
    assert stale["show_alert"]  # a button of an earlier step
    await anna.press("Отмена")
    assert await row_counts(running_bot.session_factory) == before

    form = await maria.press_data(FormCb(occurrence_id=999).pack())
    assert form["show_alert"]


async def test_a_head_cannot_skip_the_form_or_send_a_link(running_bot: RunningBot) -> None:
    anna, maria, _petr = await schools_and_heads(running_bot)
    await ask_with_form(anna)
    await maria.next_message(timeout=15)
    await maria.press("Выполнено")
    await maria.next_message()
    link = await maria.ask("https://sosh1.example.ru/forma")
    assert "не книга Excel" in str(link["text"])
    macro = await maria.ask_upload(filled_form(), "СОШ 1.xlsm")
    assert "макросы" in str(macro["text"])
    async with running_bot.session_factory() as session:
        assert await session.scalar(select(StatusReport)) is None


async def test_a_request_under_a_measure_and_the_workbook_when_all_have_answered(
    running_bot: RunningBot,
) -> None:
    anna, maria, _petr = await schools_and_heads(running_bot)
    await import_ust_kut(anna)
    sections = await anna.ask("/measures")
    await anna.press(button_texts(sections)[0])
    measures = await anna.next_message()
    first = button_texts(measures)[0]
    await anna.press(first)
    card = await anna.next_message()
    assert "Запросить у школ" in button_texts(card)
    await anna.press("Запросить у школ")
    started = await anna.next_message()
    assert str(started["text"]).startswith("Запрос по мероприятию 1.1.")
    await anna.ask("Пришлите протокол педсовета по форме.")
    await anna.press("Выбрать школы")
    await anna.next_message()
    await anna.press("СОШ № 1")
    await anna.world.wait_until(lambda: "Готово (1)" in button_texts(anna.inbox()[-1]), 5)
    await anna.press("Готово (1)")
    await anna.next_message()
    await anna.ask("до 20.12")
    await anna.upload(form_template(), "Форма.xlsx")
    await anna.next_message()
    await anna.press("Отправить")
    await anna.next_message()

    await maria.next_message(timeout=15)
    await maria.press("Выполнено")
    await maria.next_message()
    await maria.upload(filled_form(), "СОШ 1.xlsx")
    await maria.next_message()
    await maria.press("Сохранить")
    # The one addressee answered: the coordinator gets the merged workbook without asking.
    await anna.world.wait_until(
        lambda: any("Ответили все" in str(m.get("caption")) for m in anna.inbox()), 10
    )
    async with running_bot.session_factory() as session:
        request = await session.scalar(select(Request))
        assert request is not None and request.parent_measure_id is not None

    await anna.press(first)  # the measure's card again: the request is listed
    await anna.world.wait_until(
        lambda: "Запросы по этому мероприятию" in str(anna.inbox()[-1].get("text")), 5
    )
    assert "• № З-1 — срок 20.12.2026: ответили 1 из 1" in str(anna.inbox()[-1]["text"])


async def test_a_methodist_asks_under_their_own_measure_and_sees_only_their_requests(
    running_bot: RunningBot,
) -> None:
    anna, maria, _petr = await schools_and_heads(running_bot)
    await import_ust_kut(anna)
    irina = await running_bot.join_as(
        "Ирина",
        "Методист Ирина Олеговна",
        Role.RESPONSIBLE,
        "МКУ РЦ УО УКМО (методический кабинет)",
    )
    await irina.world.wait_until(lambda: "/ask" in irina.menu(), 5)  # a methodist's menu
    assert "/requests" in irina.menu() and "/ask" not in maria.menu()
    # Her own overdue measure comes first, as a catch-up summary.
    await irina.world.wait_until(lambda: any("📋" in str(m.get("text")) for m in irina.inbox()), 10)
    irina.skip_unread()
    assert "/ask — " in str((await irina.ask("/help"))["text"])  # /help lists what the menu has

    choose = await irina.ask("/ask")
    assert "По какому из ваших мероприятий запрос?" in str(choose["text"])
    theirs = button_texts(choose)
    assert theirs and all(
        not label.startswith("П3.") for label in theirs
    )  # the order's are the schools'
    not_hers = await irina.press_data(AskCb(action="measure", value=10_000).pack())
    assert not_hers["show_alert"]
    await irina.press(theirs[0])
    await irina.next_message()
    await irina.ask("Пришлите план методической работы.")
    await irina.press("Всем школам (2)")
    await irina.next_message()
    await irina.ask("до 20.12")
    await irina.press("Без формы")
    await irina.next_message()
    await irina.press("Отправить")
    await irina.world.wait_until(
        lambda: any(
            "Запрос № З-1 отправлен 2 адресатам" in str(m.get("text")) for m in irina.inbox()
        ),
        5,
    )

    await anna.ask("/ask")
    await anna.ask("Сведения о кадрах")
    await anna.press("Всем школам (2)")
    await anna.next_message()
    await anna.ask("до 21.12")
    await anna.press("Без формы")
    await anna.next_message()
    await anna.press("Отправить")
    await anna.next_message()

    irina.skip_unread()
    await irina.send("/requests")
    await asyncio.sleep(0.5)
    listed = [str(m.get("text")) for m in irina.unread() if "Запрос №" in str(m.get("text"))]
    assert len(listed) == 1 and "З-1" in listed[0]  # the coordinator's З-2 is not hers
    before = await row_counts(running_bot.session_factory)
    forged = await irina.press_data(RequestCb(request_id=2, action="withdraw").pack())
    assert forged["show_alert"]
    assert await row_counts(running_bot.session_factory) == before
    async with running_bot.session_factory() as session:
        requests = list(await session.scalars(select(Request).order_by(Request.id)))
    assert [r.state for r in requests] == ["open", "open"]
    assert requests[0].parent_measure_id is not None


async def test_a_request_to_chosen_people_found_by_name(running_bot: RunningBot) -> None:
    anna, maria, petr = await schools_and_heads(running_bot)
    await anna.ask("/ask")
    await anna.ask("Просьба подтвердить участие в семинаре.")
    await anna.press("Выбрать людей")
    await anna.next_message()
    found = await anna.ask("иванова")
    assert button_texts(found)[0] == "Иванова Мария Петровна (СОШ № 1)"
    await anna.press("Иванова Мария Петровна (СОШ № 1)")
    await anna.world.wait_until(lambda: "Готово (1)" in button_texts(anna.inbox()[-1]), 5)
    await anna.press("Готово (1)")
    await anna.next_message()
    await anna.ask("до 20.12")
    await anna.press("Без формы")
    preview = await anna.next_message()
    assert "Кому: 1 выбранный человек" in str(preview["text"])
    await anna.press("Отправить")
    sent = await anna.next_message()
    assert "отправлен 1 адресату" in str(sent["text"])
    request = await maria.next_message(timeout=15)
    assert "Просьба подтвердить участие" in str(request["text"])
    await asyncio.sleep(0.5)
    assert petr.unread() == []


async def test_a_closed_request_and_a_lost_form_file_are_said_plainly(
    running_bot: RunningBot, tmp_path: Path
) -> None:
    anna, maria, _petr = await schools_and_heads(running_bot)
    await ask_with_form(anna)
    await maria.next_message(timeout=15)

    # The template kept with the evidence files is gone (a restored backup without them).
    for stored in (tmp_path / "evidence").rglob("*"):
        if stored.is_file():
            stored.unlink()
    answer = await maria.press_data(FormCb(occurrence_id=1).pack())
    assert answer["show_alert"] and "Файл формы не найден" in str(answer["text"])

    standing = await anna.ask("/requests")
    while "Ответили" not in str(standing.get("text")):
        standing = await anna.next_message()
    await anna.press("Изменить срок")  # started before the withdrawal below
    await anna.next_message()
    await anna.press_data(RequestCb(request_id=1, action="withdraw").pack())
    again = await anna.press_data(RequestCb(request_id=1, action="withdraw").pack())
    # Whoever acts on it afterwards learns who withdrew it, and when.
    assert again["show_alert"] and str(again["text"]).startswith(
        "Этот запрос уже отозван: Антипина Анна Михайловна, "
    )
    late = await anna.ask("до 25.12")
    assert late["text"] == again["text"]
    after = await maria.press_data(FormCb(occurrence_id=1).pack())
    assert after["show_alert"]  # withdrawn: the button no longer serves


async def test_more_time_for_a_request_is_asked_as_a_request_not_a_measure(
    running_bot: RunningBot,
) -> None:
    anna, maria, _petr = await schools_and_heads(running_bot)
    await ask_with_form(anna)
    await maria.next_message(timeout=15)
    await maria.press("Перенести срок")
    await maria.next_message()
    await maria.ask("25.12.2026")
    sent = await maria.ask("Ждём данные от классных руководителей")

    assert sent["text"] == "Просьба о переносе срока отправлена координатору. О решении я сообщу."
    told = await anna.next_message(timeout=15)
    assert str(told["text"]).startswith(
        "Иванова Мария Петровна просит перенести срок ответа на запрос № З-1 с 18.12.2026 на "
        "25.12.2026"
    )
