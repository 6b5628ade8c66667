"""«Координаторы № N» under /roadmaps, through the real bot: a second coordinator named for a
roadmap alone is told of its reports and deadline questions, and the weekly digest of it goes
to her; forged, repeated and wrong-role presses change nothing."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from domain.roles import Role
from standin.users import button_texts
from storage.models import AuditEvent, RoadmapCoordinator
from tests.conftest import RunningBot
from tests.handlers.test_reports import reminded, report_without_evidence, rows
from tests.handlers.test_several_roadmaps import button_texts_data
from tests.support import row_counts

ANNA = "▫️ Антипина Анна Михайловна"
BORIS = "▫️ Борисова Вера Павловна"


async def test_a_roadmaps_own_coordinator_alone_is_told_of_its_reports(
    running_bot: RunningBot,
) -> None:
    vera = await running_bot.join_as("Вера", "Борисова Вера Павловна", Role.COORDINATOR, "УО")
    anna, maria, petr, _reminder = await reminded(running_bot)

    listed = await anna.ask("/roadmaps")
    assert "Координаторы: все координаторы управления" in listed["text"]
    assert button_texts(listed) == ["Координаторы дорожной карты № 1", "Отправить № 1 в архив"]
    await anna.press("Координаторы дорожной карты № 1")
    choices = await anna.next_message()
    assert choices["text"].startswith("Кто отвечает за «Дорожная карта повышения качества")
    assert button_texts(choices) == [BORIS, ANNA]  # Вера joined first
    await anna.press(BORIS)
    world = running_bot.world
    await world.wait_until(  # marked in place: the message is edited, not sent again
        lambda: (
            button_texts(world.bot_messages(anna.id)[-1]) == ["✅ Борисова Вера Павловна", ANNA]
        ),
        5,
    )
    async with running_bot.session_factory() as session:
        named = (await session.execute(select(RoadmapCoordinator.roadmap_id))).scalars().all()
    assert named == [1]
    assert "Координаторы: Борисова Вера Павловна" in (await anna.ask("/roadmaps"))["text"]

    await report_without_evidence(maria, "Выполнено", "Направлена в УО")
    told = await vera.next_message()
    assert told["text"].startswith("Новый отчёт по мероприятию П3.2")
    await petr.press("Перенести срок")
    await petr.next_message()
    await petr.ask("30.04.2026")
    await petr.ask("Ждём решения педсовета")
    assert "просит перенести срок" in (await vera.next_message())["text"]
    await asyncio.sleep(0.3)
    assert not [m for m in anna.unread() if "Новый отчёт" in str(m.get("text"))]
    assert not [m for m in anna.unread() if "перенести срок" in str(m.get("text"))]

    assert await running_bot.app.weekly_digest.send() == 2  # each gets her own
    theirs = {
        name: " ".join(str(m.get("text", "")) for m in user.unread())
        for name, user in (("anna", anna), ("vera", vera))
    }
    assert "П3.2" in theirs["vera"] and "П3.2" not in theirs["anna"]


async def test_forged_repeated_and_wrong_role_presses_change_nothing(
    running_bot: RunningBot,
) -> None:
    vera = await running_bot.join_as("Вера", "Борисова Вера Павловна", Role.COORDINATOR, "УО")
    anna, maria, _petr, _reminder = await reminded(running_bot)
    await anna.ask("/roadmaps")
    await anna.press("Координаторы дорожной карты № 1")
    toggle = button_texts_data(await anna.next_message())[0]
    first = await anna.press_data(toggle)
    assert not first["show_alert"]
    before = await row_counts(running_bot.session_factory)

    # The same button again (or another coordinator's press first): told, nothing changes.
    again = await vera.press_data(toggle)
    assert again["show_alert"] and again["text"] == "Уже сделано: список ниже — актуальный."
    # A head's person id, a roadmap that does not exist, a head pressing a coordinator's button.
    roadmap_id, person_id = (int(part) for part in toggle.split(":")[1:3])
    for forged in (f"v1rmc:{roadmap_id}:{person_id + 99}:1", f"v1rmc:999:{person_id}:1"):
        refused = await anna.press_data(forged)
        assert refused["show_alert"] and refused["text"] == (
            "Эта кнопка устарела. Отправьте /roadmaps ещё раз."
        ), forged
    refused = await maria.press_data(f"v1rmc:{roadmap_id}:{person_id}:0")
    assert refused["show_alert"] and "координатор" in refused["text"]
    assert await row_counts(running_bot.session_factory) == before
    assert [
        e.outcome
        for e in await rows(running_bot, AuditEvent)
        if e.action == "roadmaps.coordinators"
    ] == ["ok", "forbidden"]  # one change; the head's press refused, and audited
