"""«Принять все»: twenty schools' answers accepted in one tap; only what was shown: a second
press, or an answer that came in after the card was shown, accepts nothing new."""

from __future__ import annotations

from sqlalchemy import func, select

from demo.documents import seed_document, to_docx
from domain.people_sheet import SchoolHead
from domain.roles import Role
from handlers.common.callbacks import AcceptAllCb, MeasureCb
from standin.users import button_texts
from storage.models import Assignment, Occurrence, Organisation, Person, StatusReport
from storage.usecases.people import import_school_heads
from storage.usecases.planning import sync_occurrences
from tests.conftest import RunningBot
from tests.handlers.test_digest_export import next_text_with
from tests.support import unit_of_work


async def _answer(bot: RunningBot, measure_id: int, school: str, text: str) -> int:
    """A head's answer on the school's first occurrence of the measure, as saved by a report."""
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
            status="done",
            text=text,
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
