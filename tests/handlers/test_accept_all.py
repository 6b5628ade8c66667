"""«Принять все»: twenty schools' answers accepted in one tap; only what was shown: a second
press, or an answer that came in after the card was shown, accepts nothing new. Under a request
with a form, only answers whose filled form passes the check; the rest are named, with why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl.workbook.workbook import Workbook
from sqlalchemy import func, select

from demo.documents import seed_document, to_docx
from domain.people_sheet import SchoolHead
from domain.requests import AddresseeKind, Addressees
from domain.roles import Role
from handlers.common.callbacks import AcceptAllCb, MeasureCb
from standin.users import button_texts
from storage.evidence import store_evidence
from storage.models import Assignment, Occurrence, Organisation, Person, StatusReport
from storage.usecases.people import import_school_heads
from storage.usecases.planning import sync_occurrences
from storage.usecases.requests.lifecycle import Form, send_request
from tests.conftest import RunningBot
from tests.fixtures.forms import SHEET, filled_form, form_template
from tests.handlers.test_digest_export import next_text_with
from tests.support import unit_of_work


async def _answer(
    bot: RunningBot,
    measure_id: int,
    school: str,
    text: str,
    *,
    status: str = "done",
    form: bytes | None = None,
) -> int:
    """A head's answer on the school's first occurrence of the measure, as saved by a report;
    ``form``: the file attached, stored as evidence."""
    sha = None
    if form is not None:
        sha, _size = store_evidence(Path(bot.app.settings.evidence_dir), "Форма.xlsx", form)
    async with unit_of_work(bot.session_factory) as uow:
        occurrence_id, person_id = (
            await uow.session.execute(
                select(Occurrence.id, Person.id)
                .join(Assignment, Assignment.id == Occurrence.assignment_id)
                .join(Organisation, Organisation.id == Assignment.organisation_id)
                .join(Person, Person.organisation_id == Organisation.id)
                .where(Occurrence.measure_id == measure_id, Organisation.name == school)
                .order_by(Occurrence.due_on)
                .limit(1)
            )
        ).one()
        report = StatusReport(
            occurrence_id=occurrence_id,
            person_id=person_id,
            status=status,
            text=text,
            evidence_file_name="Форма.xlsx" if form is not None else None,
            evidence_sha256=sha,
            evidence_size=len(form) if form is not None else None,
            created_at=bot.clock.now(),
        )
        uow.session.add(report)
        await uow.commit()
        return report.id


async def test_accept_all_takes_twenty_answers_in_one_tap_and_only_those_shown(
    running_bot: RunningBot,
) -> None:
    anna = await running_bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    maria = await running_bot.join_as(
        "Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1"
    )
    async with unit_of_work(running_bot.session_factory) as uow:
        heads = [
            SchoolHead(f"СОШ № {i}", f"Руководитель {i} Школы", "директор", None, None, False)
            for i in range(2, 22)
        ]
        await import_school_heads(uow, heads, now=running_bot.clock.now())
        await sync_occurrences(uow)
        await uow.commit()
    await anna.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    await anna.next_message()
    await anna.press("Подтвердить")
    await anna.next_message()
    async with running_bot.session_factory() as session:
        # A measure every school reports on.
        measure_id = await session.scalar(
            select(Occurrence.measure_id)
            .join(Assignment, Assignment.id == Occurrence.assignment_id)
            .where(Assignment.organisation_id.is_not(None))
            .group_by(Occurrence.measure_id)
            .order_by(func.count(func.distinct(Assignment.organisation_id)).desc())
            .limit(1)
        )
    assert measure_id is not None
    shown = [await _answer(running_bot, measure_id, "СОШ № 1", "Сделано")]
    shown += [await _answer(running_bot, measure_id, f"СОШ № {i}", "Сделано") for i in range(2, 21)]

    anna.skip_unread()
    await anna.press_data(MeasureCb(measure_id=measure_id).pack())
    card = await next_text_with(anna, "Ждут вашего решения: 20")
    assert "Принять все (20)" in button_texts(card)
    # The 21st school answers after the card was shown.
    late = await _answer(running_bot, measure_id, "СОШ № 21", "Сделано позже")

    await anna.press("Принять все (20)")
    assert "Принято 20 ответов" in str((await next_text_with(anna, "Принято"))["text"])
    async with running_bot.session_factory() as session:
        reviews = {
            report_id: review
            for report_id, review in await session.execute(
                select(StatusReport.id, StatusReport.review)
            )
        }
        closed = await session.scalar(
            select(func.count(Occurrence.id)).where(
                Occurrence.id.in_(
                    select(StatusReport.occurrence_id).where(StatusReport.id.in_(shown))
                ),
                Occurrence.status == "closed",
            )
        )
    assert [reviews[i] for i in shown] == ["accepted"] * 20
    assert reviews[late] == "pending"
    assert closed == 20
    assert "принят" in str((await next_text_with(maria, "принят"))["text"])

    # Pressed again (the same button): nothing new is accepted, the late answer stays pending.
    again = await anna.press_data(AcceptAllCb(measure_id=measure_id, upto=max(shown)).pack())
    assert again["show_alert"] and "Нечего принимать" in str(again["text"])
    async with running_bot.session_factory() as session:
        assert await session.scalar(select(StatusReport.review).where(StatusReport.id == late)) == (
            "pending"
        )


async def test_accept_all_by_a_head_is_refused(running_bot: RunningBot) -> None:
    maria = await running_bot.join_as(
        "Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1"
    )
    refused = await maria.press_data(AcceptAllCb(measure_id=1, upto=10**6).pack())
    assert refused["show_alert"] and "Эта кнопка не для вас" in str(refused["text"])


def _header_changed(workbook: Workbook) -> None:
    workbook[SHEET].cell(2, 1, "Классы")  # the form's header, renamed by the school


async def _reviews(bot: RunningBot) -> dict[int, str]:
    async with bot.session_factory() as session:
        return {
            report_id: review
            for report_id, review in await session.execute(
                select(StatusReport.id, StatusReport.review)
            )
        }


async def test_accept_all_under_a_form_request_takes_only_forms_that_pass_the_check(
    running_bot: RunningBot,
) -> None:
    anna = await running_bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    maria = await running_bot.join_as(
        "Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1"
    )
    async with unit_of_work(running_bot.session_factory) as uow:
        heads = [
            SchoolHead(f"СОШ № {i}", f"Руководитель {i} Школы", "директор", None, None, False)
            for i in range(2, 6)
        ]
        await import_school_heads(uow, heads, now=running_bot.clock.now())
        template, _size = store_evidence(
            Path(running_bot.app.settings.evidence_dir), "Форма численности.xlsx", form_template()
        )
        sent = await send_request(
            uow,
            text="Сведения о численности обучающихся по форме.",
            due_text="до 18.12",
            due_on=date(2026, 12, 18),
            addressees=Addressees(AddresseeKind.ALL),
            now=running_bot.clock.now(),
            form=Form("Форма численности.xlsx", template),
        )
        await uow.commit()
    measure = sent.measure_id
    passing = [
        await _answer(running_bot, measure, "СОШ № 1", "Форма", form=filled_form()),
        await _answer(running_bot, measure, "СОШ № 2", "Форма", form=filled_form((20, 21, 22))),
    ]
    failing = await _answer(
        running_bot, measure, "СОШ № 3", "Форма", form=filled_form(change=_header_changed)
    )
    unfinished = await _answer(running_bot, measure, "СОШ № 4", "Собираем", status="in_progress")

    anna.skip_unread()
    await anna.send("/requests")
    card = await next_text_with(anna, "Ждут вашего решения: 4")
    assert "Принять все (4)" in button_texts(card)
    late = await _answer(running_bot, measure, "СОШ № 5", "Форма позже", form=filled_form())

    await anna.press("Принять все (4)")
    done = str((await next_text_with(anna, "Принято"))["text"])
    assert done.startswith("Принято 2 ответа; авторам сообщено.")
    assert "2 ответа не приняты автоматически — проверьте их сами:" in done
    assert "• СОШ № 3: заполненная форма не проходит проверку" in done
    assert "• СОШ № 4: заполненная форма не приложена" in done
    assert "СОШ № 5" not in done  # came in after the card was shown
    reviews = await _reviews(running_bot)
    assert [reviews[i] for i in passing] == ["accepted", "accepted"]
    assert [reviews[failing], reviews[unfinished], reviews[late]] == ["pending"] * 3
    thanked = await next_text_with(maria, "принят")
    assert "Ответ на запрос № З-1 принят" in str(thanked["text"])

    # Pressed again: nothing new is accepted, and the two are named again; the late one waits.
    await anna.press_data(AcceptAllCb(measure_id=measure, upto=unfinished).pack())
    again = str((await next_text_with(anna, "Ничего не принято"))["text"])
    assert "2 ответа не приняты" in again and "СОШ № 5" not in again
    assert await _reviews(running_bot) == reviews
