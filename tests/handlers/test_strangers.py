"""A stranger's burst: one polite answer, one audit row, and not a word of theirs kept
(issue 26, findings 13 and 14), in Telegram and in MAX within MAX's per-chat limit."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from standin.max.world import max_limits
from storage.models import AuditEvent
from tests.conftest import RunningBot

BURST = [f"Здравствуйте, это Петров, телефон +7 914 000-00-{n:02d}" for n in range(10)]


async def stranger_rows(bot: RunningBot) -> list[AuditEvent]:
    async with bot.session_factory() as session:
        rows = await session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("stranger.%")).order_by(AuditEvent.id)
        )
        return list(rows)


async def test_a_strangers_ten_messages_draw_one_answer_and_keep_nothing_they_wrote(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    stranger = bot.user("Петров")
    for text in BURST:
        await stranger.send(text)
    first = await stranger.next_message()
    assert "приглаш" in first["text"]
    await asyncio.sleep(1.5)  # what the other nine would have drawn by now
    assert len(stranger.inbox()) == 1

    (row,) = await stranger_rows(bot)
    assert row.user_address == stranger.id and not row.details  # no text, no marker of it

    bot.clock.advance(timedelta(minutes=16))  # after a quiet spell: answered again
    again = await stranger.ask("Алло?")
    assert "приглаш" in again["text"]
    assert len(await stranger_rows(bot)) == 2


async def test_a_strangers_burst_in_max_draws_one_answer_and_no_429(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    bot.max_world.limits = max_limits()  # MAX's real limits: 2 messages a second per chat
    stranger = bot.max_user("Петров")
    for text in BURST:
        await stranger.send(text)
    first = await stranger.next_message()
    assert "приглаш" in first["text"]
    await asyncio.sleep(1.5)
    assert len(stranger.inbox()) == 1
    assert [e for e in bot.max_world.journal if e.kind == "error"] == []
    assert len(await stranger_rows(bot)) == 1


async def test_a_strangers_forged_buttons_are_each_answered_and_traced_once_without_their_data(
    running_bot: RunningBot,
) -> None:
    """Ten forged presses: each is answered (a button must be, or the phone spins), but the
    audit log grows by one row with nothing of what the buttons carried."""
    stranger = running_bot.user("Петров")
    # No bot message in a stranger's chat yet: the forged press names one anyway.
    message = {"message_id": 1, "date": 0, "chat": {"id": stranger.id, "type": "private"}}
    for n in range(10):
        answer = await stranger.press_data(f"v1rep:{n}:done+7914000000{n}", message=message)
        assert answer["show_alert"] and "приглаш" in answer["text"]

    (row,) = await stranger_rows(running_bot)
    assert row.action == "stranger.button" and not row.details
    async with running_bot.session_factory() as session:
        kept = [str(d) for d in await session.scalars(select(AuditEvent.details))]
    assert not any("7914" in d for d in kept)


async def test_a_stranger_trying_made_up_invitation_tokens_draws_one_answer_and_one_row(
    running_bot: RunningBot,
) -> None:
    """Found by the outside review: each «/start TOKEN» was answered and audited."""
    stranger = running_bot.user("Петров")
    for n in range(10):
        await stranger.send(f"/start {'A' * 20}{n:04d}")
    first = await stranger.next_message()
    assert "ссылк" in first["text"]  # the refusal of an unknown link
    await asyncio.sleep(1.5)  # what the other nine would have drawn by now
    assert len(stranger.inbox()) == 1
    (row,) = await stranger_rows(running_bot)
    assert row.action == "stranger.start" and not row.details
    async with running_bot.session_factory() as session:
        redeemed = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "invitation.redeem")
            )
        )
    assert redeemed == []
