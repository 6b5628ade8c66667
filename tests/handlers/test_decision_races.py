"""Two coordinators decide the same report at the same moment, through the real Dispatcher (its
updates handled side by side): one decision stands, the head hears of that one only, and the
other coordinator is told who decided."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select

from demo.documents import seed_document, to_docx
from domain.roles import Role
from standin import SimulatedUser
from storage.models import Occurrence, Reminder, StatusReport
from tests.conftest import RunningBot


async def _report(head: SimulatedUser) -> None:
    await head.press("Выполнено")
    await head.next_message()
    await head.ask("Дорожная карта направлена")
    await head.press("Без файла и ссылки")
    await head.next_message()
    await head.press("Сохранить")
    await head.next_message()


async def test_two_coordinators_decide_one_report_once(running_bot: RunningBot) -> None:
    bot = running_bot
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    olga = await bot.join_as("Ольга", "Смирнова Ольга Ивановна", Role.COORDINATOR, "УО")
    heads = [
        await bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1"),
        await bot.join_as("Пётр", "Петров Пётр Петрович", Role.RESPONSIBLE, "СОШ № 2"),
    ]
    await anna.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    await anna.next_message()
    await anna.press("Подтвердить")
    await anna.next_message()
    bot.clock.set(datetime(2026, 4, 3, 2, 0, tzinfo=UTC))
    for head in heads:
        await head.next_message(timeout=15)

    rounds = 0
    for head in heads:
        while True:  # a returned report is reported again and raced again
            rounds += 1
            await _report(head)
            await anna.next_message()
            await olga.next_message()
            await olga.press("Вернуть с комментарием")
            await olga.next_message()
            head.skip_unread()
            anna.skip_unread()
            olga.skip_unread()
            # Anna accepts while Olga sends her comment: both updates at once.
            pressed, _sent = await asyncio.gather(
                anna.press("Принять"), olga.send("Приложите приказ об утверждении")
            )
            await bot.world.wait_until(lambda: bool(olga.unread()), 10)
            await asyncio.sleep(0.5)  # anything more the bot would send arrives meanwhile
            told = [m["text"] for m in head.unread()]
            olga_heard = [m["text"] for m in olga.unread()]
            async with bot.session_factory() as session:
                report = (
                    await session.scalars(
                        select(StatusReport).order_by(StatusReport.id.desc()).limit(1)
                    )
                ).one()
                occurrence = await session.get(Occurrence, report.occurrence_id)
                pending = list(
                    await session.scalars(
                        select(Reminder.id).where(
                            Reminder.occurrence_id == report.occurrence_id,
                            Reminder.state == "pending",
                        )
                    )
                )
            for person in (anna, olga, head):
                person.skip_unread()
            assert occurrence is not None
            assert len(told) == 1, told  # the head hears of one decision, never of two
            if report.review == "accepted":
                assert "принят" in told[0] and occurrence.status == "closed" and not pending
                assert pressed["text"] == "Принято."
                assert olga_heard == [
                    "Этот отчёт уже рассмотрен. ✅ Принято: Антипина Анна Михайловна, "
                    "03.04.2026 10:00"
                ]
                break
            assert report.review == "returned" and occurrence.status == "open"
            assert "возвращён" in told[0]
            assert pressed["show_alert"] and pressed["text"].startswith(
                "Этот отчёт уже рассмотрен. ↩ Возвращено на доработку: Смирнова Ольга Ивановна"
            )
            assert rounds < 6, "Olga won every race: the test no longer races"
