"""An indicator asked of schools as two numbers, from the coordinator's /indicators to the heads'
answers in the chat: 20 schools, 17 answer (2 of them first with a mistake the bot explains),
3 do not and are reminded by the policy; bad input, figures far from last year's, a forged
button, a returned answer and MAX are each answered plainly, and nothing is half-saved."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from domain.indicators.draft import Direction, IndicatorDraft, Value
from domain.indicators.municipal import russian_number
from domain.roles import Role
from handlers.common.callbacks import FiguresCb
from standin import SimulatedUser
from standin.users import button_texts
from storage.models import (
    Assignment,
    IndicatorFigure,
    Occurrence,
    Organisation,
    Roadmap,
    StatusReport,
)
from storage.usecases.indicator_collection import propose_collections
from storage.usecases.indicators import save_indicators
from tests.conftest import RunningBot
from tests.indicator_support import printed_indicators
from tests.support import unit_of_work

NAME = "Доля педагогических работников, прошедших диагностику профессиональных дефицитов"
NUMERATOR_Q = "Сколько педагогических работников прошли диагностику профессиональных дефицитов?"
DENOMINATOR_Q = "Сколько всего педагогических работников в школе?"
AS_OF = date(2026, 3, 17)  # the roadmap's report day; the clock starts on 2 March


@dataclass(frozen=True)
class Answer:
    school: str
    numerator: int
    denominator: int
    # How the head types it: one line, or two messages; a first mistake the bot refuses.
    lines: tuple[str, ...]
    mistake: str | None = None


# The schools' figures: 17 of 20 answer. Extend here (the lead checks «Таблица 1» against them).
ANSWERS = [Answer(f"СОШ № {n}", n * 3, 40 + n, (f"{n * 3} из {40 + n}",)) for n in range(1, 14)] + [
    Answer("СОШ № 14", 10, 50, ("10", "50")),  # one question a message
    Answer("СОШ № 15", 7, 35, ("7/35",)),
    Answer("СОШ № 16", 12, 40, ("12 из 40",), mistake="30 %"),  # a percentage typed
    Answer("СОШ № 17", 30, 40, ("30", "40"), mistake="50 из 40"),  # a part over its whole
]
SILENT = ["СОШ № 18", "СОШ № 19", "СОШ № 20"]


async def roadmap_with_indicator(bot: RunningBot) -> None:
    async with unit_of_work(bot.session_factory) as uow:
        roadmap = Roadmap(
            title="Дорожная карта",
            period_start_on=date(2026, 1, 1),
            period_end_on=date(2026, 12, 31),
            annual_due_month=AS_OF.month,
            annual_due_day=AS_OF.day,
            timezone="Asia/Irkutsk",
            created_at=bot.clock.now(),
        )
        uow.session.add(roadmap)
        await uow.session.flush()
        draft = IndicatorDraft("1", NAME, "%", Value(2025, "8"), (Value(2026, "10"),), Direction.UP)
        await save_indicators(uow, roadmap.id, (draft,))
        await propose_collections(uow, roadmap.id)
        await uow.commit()


async def confirm_collection(anna: SimulatedUser, who: str = "все школы (20 школ)") -> None:
    listing = await anna.ask("/indicators")
    assert "два числа, 17.03.2026 — сбор ещё не подтверждён" in str(listing["text"])
    await anna.press(button_texts(listing)[0])
    card = await anna.next_message()
    text = str(card["text"])
    assert f"1) {NUMERATOR_Q}" in text and f"2) {DENOMINATOR_Q}" in text
    assert "По состоянию на: 17.03.2026" in text
    await anna.press("Подтвердить сбор")
    confirmed = await anna.next_message()
    assert f"Кто отвечает: {who}" in str(confirmed["text"])
    assert "Сбор подтверждён" in str(confirmed["text"])


def reminders_of(user: SimulatedUser) -> list[dict[str, object]]:
    return [m for m in user.inbox() if str(m.get("text", "")).startswith("📊 Нужны данные")]


async def answer(user: SimulatedUser, given: Answer) -> None:
    await user.press("Ввести данные")
    question = await user.next_message()
    assert NUMERATOR_Q in str(question["text"])
    if given.mistake is not None:
        refused = await user.ask(given.mistake)
        if "%" in given.mistake:
            assert "Пришлите сами числа, а не проценты" in str(refused["text"])
            assert NUMERATOR_Q in str(refused["text"])  # what is asked, again
        else:
            assert "50 больше, чем общее количество 40" in str(refused["text"])
    *first, last = given.lines
    for line in first:
        asked = await user.ask(line)
        assert str(asked["text"]) == DENOMINATOR_Q
    saved = await user.ask(last)
    assert (
        f"Данные по показателю 1 сохранены и отправлены координатору: "
        f"{given.numerator} из {given.denominator}." == saved["text"]
    )


async def test_twenty_schools_answer_a_share_as_two_numbers(running_bot: RunningBot) -> None:
    bot = running_bot
    await roadmap_with_indicator(bot)
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО")
    heads = {
        school: await bot.join_as(f"Глава{n}", f"Директор Школы {n}", Role.RESPONSIBLE, school)
        for n, school in enumerate([a.school for a in ANSWERS] + SILENT, start=1)
    }
    await confirm_collection(anna)

    # 14 days before the date, at 10:00 in Irkutsk: every head is asked for the figures.
    bot.clock.set(datetime(2026, 3, 3, 2, 0, 30, tzinfo=UTC))
    await bot.world.wait_until(lambda: all(reminders_of(h) for h in heads.values()), 20)
    first = reminders_of(heads["СОШ № 1"])[0]
    assert "По состоянию на 17 марта 2026 — осталось 14 дней" in str(first["text"])
    assert button_texts(first) == ["Ввести данные", "Перенести срок", "Напомнить завтра"]
    for head in heads.values():
        head.skip_unread()

    for given in ANSWERS:
        await answer(heads[given.school], given)

    async with unit_of_work(bot.session_factory) as uow:
        rows = (
            await uow.session.execute(
                select(Organisation.name, IndicatorFigure.numerator, IndicatorFigure.denominator)
                .join(Organisation, Organisation.id == IndicatorFigure.organisation_id)
                .where(IndicatorFigure.as_of_on == AS_OF)
            )
        ).all()
        reports = await uow.session.scalar(
            select(func.count(StatusReport.id)).where(StatusReport.status == "done")
        )
    assert len(rows) == 17 and reports == 17  # the mistakes saved nothing
    assert {name for name, _n, _d in rows} == {a.school for a in ANSWERS}
    assert sum(n for _s, n, _d in rows) == sum(a.numerator for a in ANSWERS)
    assert sum(d or 0 for _s, _n, d in rows) == sum(a.denominator for a in ANSWERS)

    # «Таблица 1» and the «Показатели» sheet: exactly Σ numerators / Σ denominators, with how
    # many of the 20 answered; 42,8 % is at or above the target of 10 for a higher-is-better one.
    numerator = sum(a.numerator for a in ANSWERS)
    denominator = sum(a.denominator for a in ANSWERS)
    table1, sheet = await printed_indicators(bot.session_factory, AS_OF)
    share = russian_number(numerator / denominator * 100)
    assert table1 == [
        [
            "1",
            f"{NAME}, %",
            "10",
            f"{share} % ({russian_number(numerator)} из {russian_number(denominator)}), "
            "ответили 17 из 20 школ",
            "достигнуто",
        ]
    ]
    value = next(row for row in sheet if row[0] == "1")
    assert value[5] == pytest.approx(numerator / denominator * 100)
    assert value[6:9] == (numerator, denominator, "17 / 20")
    schools = [row for row in sheet if row[0] == "1" and str(row[1]).startswith("СОШ")]
    assert sorted((r[1], r[3], r[4]) for r in schools) == sorted(
        (a.school, a.numerator, a.denominator) for a in ANSWERS
    )

    # 7 days before: the policy's next reminder reaches only the three who have not answered.
    bot.clock.set(datetime(2026, 3, 10, 2, 0, 30, tzinfo=UTC))
    silent = [heads[s] for s in SILENT]
    await bot.world.wait_until(lambda: all(len(reminders_of(h)) == 2 for h in silent), 20)
    await asyncio.sleep(1)
    assert all(len(reminders_of(heads[a.school])) == 1 for a in ANSWERS)


async def occurrence_of(bot: RunningBot, school: str) -> int:
    async with unit_of_work(bot.session_factory) as uow:
        found = await uow.session.scalar(
            select(Occurrence.id)
            .join(Assignment, Assignment.id == Occurrence.assignment_id)
            .join(Organisation, Organisation.id == Assignment.organisation_id)
            .where(Organisation.name == school, Occurrence.due_on == AS_OF)
        )
    assert found is not None
    return found


async def figures(bot: RunningBot) -> list[tuple[date, float, float | None, bool]]:
    async with unit_of_work(bot.session_factory) as uow:
        rows = await uow.session.execute(
            select(
                IndicatorFigure.as_of_on,
                IndicatorFigure.numerator,
                IndicatorFigure.denominator,
                IndicatorFigure.confirmed_unusual,
            ).order_by(IndicatorFigure.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_bad_answers_unusual_figures_a_forged_button_and_a_returned_answer(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await roadmap_with_indicator(bot)
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО")
    maria = await bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    petr = await bot.join_as("Пётр", "Петров Пётр Петрович", Role.RESPONSIBLE, "СОШ № 2")
    async with unit_of_work(bot.session_factory) as uow:  # the school's own figures a year ago
        school = await uow.session.scalar(
            select(Organisation.id).where(Organisation.name == "СОШ № 1")
        )
        uow.session.add(
            IndicatorFigure(
                indicator_id=1,
                organisation_id=school,
                as_of_on=date(2025, 3, 17),
                numerator=10,
                denominator=100,
                created_at=bot.clock.now(),
            )
        )
        await uow.commit()
    await confirm_collection(anna, "все школы (2 школы)")

    # From /report: the indicator asks its first question instead of a status.
    choices = await maria.ask("/report")
    await maria.press(button_texts(choices)[0])
    assert NUMERATOR_Q in str((await maria.next_message())["text"])
    for typed, said in [
        ("много", "Здесь нужно число, записанное цифрами."),
        ("-3", "Число не может быть отрицательным."),
        ("2,5", "Здесь нужно целое число"),
        ("30 %", "Пришлите сами числа, а не проценты"),
        ("10 из 0", "Общее количество не может быть равно нулю."),
        ("1 2 из 3 из 4", "Здесь нужно число"),
    ]:
        reply = str((await maria.ask(typed))["text"])
        assert said in reply and ("Вопрос: " in reply), (typed, reply)
    # Far from last year's 10 of 100: asked to confirm, nothing kept until she does.
    check = await maria.ask("90 из 100")
    assert "сейчас 90 из 100, тогда 10 из 100. Всё верно?" in str(check["text"])
    assert button_texts(check) == ["Да, всё верно", "Ввести заново"]
    assert len(await figures(bot)) == 1
    await maria.press("Ввести заново")
    assert str((await maria.next_message())["text"]) == NUMERATOR_Q
    await maria.ask("90 из 100")
    await maria.press("Да, всё верно")
    saved = await maria.next_message()
    assert "сохранены и отправлены координатору: 90 из 100." in str(saved["text"])
    assert await figures(bot) == [
        (date(2025, 3, 17), 10, 100, False),  # both kept
        (AS_OF, 90, 100, True),
    ]

    # Пётр cannot answer for СОШ № 1, by a forged button or otherwise.
    forged = await petr.press_data(
        FiguresCb(occurrence_id=await occurrence_of(bot, "СОШ № 1")).pack()
    )
    assert forged["show_alert"] and "не для вас" in str(forged["text"])
    assert len(await figures(bot)) == 2

    # Returned by the coordinator: the head is asked for the figures again.
    await bot.world.wait_until(
        lambda: any("Новый отчёт" in str(m.get("text")) for m in anna.inbox()), 5
    )
    card = next(m for m in reversed(anna.inbox()) if "Новый отчёт" in str(m.get("text")))
    assert "Результат: 90 из 100" in str(card["text"])
    await anna.press("Вернуть с комментарием")
    await anna.next_message()
    await anna.ask("В школе 120 педагогов, проверьте")
    returned = await maria.next_message()
    assert "Проверьте" in str(returned["text"]) or "проверьте" in str(returned["text"])
    await maria.press("Выполнено")
    assert NUMERATOR_Q in str((await maria.next_message())["text"])
    again = await maria.ask("12 из 120")
    assert "12 из 120." in str(again["text"])
    async with unit_of_work(bot.session_factory) as uow:
        reviews = list(
            await uow.session.scalars(select(StatusReport.review).order_by(StatusReport.id))
        )
    assert reviews == ["returned", "pending"]
    assert [row[1:3] for row in await figures(bot)] == [(10, 100), (90, 100), (12, 120)]


async def test_a_head_in_max_answers_in_one_line(two_messenger_bot: RunningBot) -> None:
    bot = two_messenger_bot
    await roadmap_with_indicator(bot)
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО")
    olga = await bot.join_in_max("Ольга", "Орлова Ольга Ивановна", Role.RESPONSIBLE, "СОШ № 3")
    await confirm_collection(anna, "все школы (1 школа)")
    bot.clock.set(datetime(2026, 3, 3, 2, 0, 30, tzinfo=UTC))
    await bot.max_world.wait_until(
        lambda: any(str(m.get("text", "")).startswith("📊") for m in olga.inbox()), 20
    )
    olga.skip_unread()
    await olga.press("Ввести данные")
    await olga.next_message()
    saved = await olga.ask("103/1 000")
    assert "103 из 1 000." in str(saved["text"])
    assert [row[1:3] for row in await figures(bot)] == [(103, 1000)]
