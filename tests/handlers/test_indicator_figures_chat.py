"""An indicator asked of schools as two numbers, from the coordinator's /indicators to the heads'
answers in the chat: 20 schools, 17 answer (2 of them first with a mistake the bot explains),
3 do not and are reminded by the policy; bad input, figures far from last year's, a forged
button, a returned answer and MAX are each answered plainly, and nothing is half-saved."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from domain.indicators.draft import IndicatorDraft, Value
from domain.roles import Role
from standin import SimulatedUser
from standin.users import button_texts
from storage.models import IndicatorFigure, Organisation, Roadmap, StatusReport
from storage.usecases.indicator_collection import propose_collections
from storage.usecases.indicators import save_indicators
from tests.conftest import RunningBot
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
        draft = IndicatorDraft("1", NAME, "%", Value(2025, "8"), (Value(2026, "10"),), None)
        await save_indicators(uow, roadmap.id, (draft,))
        await propose_collections(uow, roadmap.id)
        await uow.commit()


async def confirm_collection(anna: SimulatedUser) -> None:
    listing = await anna.ask("/indicators")
    assert "два числа, 17.03.2026 — ещё не подтверждён" in str(listing["text"])
    await anna.press(button_texts(listing)[0])
    card = await anna.next_message()
    text = str(card["text"])
    assert f"1) {NUMERATOR_Q}" in text and f"2) {DENOMINATOR_Q}" in text
    assert "По состоянию на: 17.03.2026" in text
    await anna.press("Подтвердить сбор")
    confirmed = await anna.next_message()
    assert "Кто отвечает: каждая школа (20 школ)" in str(confirmed["text"])
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
    assert button_texts(first)[:2] == ["Ввести данные", "Перенести срок"]
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
    assert sum(d for _s, _n, d in rows) == sum(a.denominator for a in ANSWERS)

    # 7 days before: the policy's next reminder reaches only the three who have not answered.
    bot.clock.set(datetime(2026, 3, 10, 2, 0, 30, tzinfo=UTC))
    silent = [heads[s] for s in SILENT]
    await bot.world.wait_until(lambda: all(len(reminders_of(h)) == 2 for h in silent), 20)
    await asyncio.sleep(1)
    assert all(len(reminders_of(heads[a.school])) == 1 for a in ANSWERS)
