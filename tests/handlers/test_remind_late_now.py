"""«Напомнить всем опаздывающим сейчас»: at night it is held for the sending window and the
coordinator is told when it goes; in the day it goes at once; twice in a day adds nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select

from standin import SimulatedUser
from storage.models import Reminder
from tests.conftest import RunningBot
from tests.handlers.test_digest_export import next_text_with
from tests.handlers.test_reports import reminded
from tests.handlers.test_staff_changes import open_people


async def press_remind_now(anna: SimulatedUser) -> str:
    await open_people(anna)
    await anna.press("Опаздывающие школы: кому позвонить")
    late = await next_text_with(anna, "Школ с просроченными отчётами")
    assert "Напомнить всем опаздывающим сейчас" in str(late["reply_markup"])
    await anna.press("Напомнить всем опаздывающим сейчас")
    while True:
        text = str((await anna.next_message()).get("text", ""))
        if any(words in text for words in ("Напомню", "получат напоминание", "Напоминать")):
            return text


async def states(bot: RunningBot, kind: str) -> list[str]:
    async with bot.session_factory() as session:
        return list(await session.scalars(select(Reminder.state).where(Reminder.kind == kind)))


async def test_remind_now_at_night_is_held_until_nine_and_says_so(running_bot: RunningBot) -> None:
    anna, maria, petr, _reminder = await reminded(running_bot)
    # 02:00 in Irkutsk on Tuesday 21 April: «до 17 апреля» has passed for both schools.
    running_bot.clock.set(datetime(2026, 4, 20, 18, 0, tzinfo=UTC))
    await asyncio.sleep(1)
    maria.skip_unread()

    answer = await press_remind_now(anna)
    assert (
        "Сейчас нерабочее время, и напоминания не отправляются. 2 человека получат напоминание в 09:00"
        in answer
    )
    assert "2 человека получат напоминание" in answer
    kind = "catchup:now:20260421"
    await asyncio.sleep(1.5)  # the outbox runs every 0.2 s: it must hold them
    # Two schools, two deadlines passed each: four reminders, two people, all held.
    assert await states(running_bot, kind) == ["pending"] * 4
    assert maria.unread() == []

    assert "Напоминать некому" in await press_remind_now(anna)  # the same night again

    running_bot.clock.set(datetime(2026, 4, 21, 1, 5, tzinfo=UTC))  # 09:05 in Irkutsk
    for _ in range(50):
        if "pending" not in await states(running_bot, kind):
            break
        await asyncio.sleep(0.2)
    assert "pending" not in await states(running_bot, kind)
    assert "П3.2" in str(await next_text_with(maria, "П3.2"))
    petr.skip_unread()


async def test_remind_now_in_the_day_goes_at_once(running_bot: RunningBot) -> None:
    anna, maria, _petr, _reminder = await reminded(running_bot)
    running_bot.clock.set(datetime(2026, 4, 21, 3, 0, tzinfo=UTC))  # 11:00 in Irkutsk
    await asyncio.sleep(1)
    answer = await press_remind_now(anna)
    assert "2 человека получат напоминание сейчас" in answer
    assert maria is not None
