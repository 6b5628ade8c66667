"""Finding 1 of the outside review: a leftover invitation link handed a person's identity to
whoever opened it in the other messenger. Through the real Dispatcher, in Telegram and MAX."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from demo.documents import seed_document
from domain.messengers import MAX_OFFSET
from domain.roadmap.build import build_draft
from domain.roles import Role
from handlers.common.callbacks import NotMeCb
from standin.users import button_texts
from storage.models import Invitation, MessengerAccount, Person
from storage.usecases.invitations import invite_person
from storage.usecases.planning import sync_occurrences
from storage.usecases.roadmaps import save_roadmap
from tests.conftest import RunningBot
from tests.support import audit_actions, row_counts, unit_of_work

MARIA = "Иванова Мария Петровна"


async def with_roadmap(bot: RunningBot) -> None:
    """The Ust-Kut roadmap, so a head of СОШ № 1 has measures to report on."""
    async with unit_of_work(bot.session_factory) as uow:
        draft = build_draft(seed_document("ust_kut"), fallback_year=2026)
        await save_roadmap(uow, draft, now=bot.clock.now(), timezone="Asia/Irkutsk")
        await sync_occurrences(uow)
        await uow.commit()


async def maria_row(bot: RunningBot) -> tuple[Any, ...]:
    async with bot.session_factory() as session:
        person = await session.scalar(select(Person).where(Person.full_name == MARIA))
        assert person is not None
        accounts = (
            await session.scalars(
                select(MessengerAccount.user_address).where(MessengerAccount.person_id == person.id)
            )
        ).all()
        return person.user_address, person.chat_address, sorted(accounts)


def user_in(bot: RunningBot, messenger: str, name: str) -> Any:
    return bot.user(name) if messenger == "telegram" else bot.max_user(name)


@pytest.mark.parametrize(("first", "other"), [("telegram", "max"), ("max", "telegram")])
async def test_a_leftover_link_opened_by_a_stranger_in_the_other_messenger_is_refused(
    two_messenger_bot: RunningBot, first: str, other: str
) -> None:
    bot = two_messenger_bot
    first_link = await bot.invite(MARIA, Role.RESPONSIBLE, "СОШ № 1")  # e.g. Monday's e-mail
    second_link = await bot.invite(MARIA, Role.RESPONSIBLE, "СОШ № 1")  # «Пригласить всех»
    await with_roadmap(bot)
    maria = user_in(bot, first, "Мария")
    assert "Вы подключились к боту" in (await maria.ask(f"/start {first_link}"))["text"]
    maria.skip_unread()
    measures = await maria.ask("/report")  # she has the school's measures to report on
    assert "отчитываетесь" in measures["text"] and button_texts(measures)
    joined = await maria_row(bot)
    before = await row_counts(bot.session_factory)

    stranger = user_in(bot, other, "Гость")
    refused = await stranger.ask(f"/start {second_link}")

    assert "Вы подключились к боту" not in refused["text"] and MARIA not in refused["text"]
    assert "уже использовано" in refused["text"]  # joining revoked her other links
    assert await maria_row(bot) == joined
    assert await row_counts(bot.session_factory) == before
    report = await stranger.ask("/report")
    assert "ссылке-приглашению" in report["text"] and "reply_markup" not in report
    assert ("invitation.redeem", "used") in await audit_actions(bot.session_factory)
    async with bot.session_factory() as session:
        links = (await session.scalars(select(Invitation).order_by(Invitation.id))).all()
    assert [(x.used_at is not None, x.revoked_at is not None) for x in links] == [
        (True, False),
        (False, True),
    ]


async def test_a_plain_invitation_for_someone_who_joined_is_refused_with_a_clear_word(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    await bot.join_as("Мария", MARIA, Role.RESPONSIBLE, "СОШ № 1")
    async with unit_of_work(bot.session_factory) as uow:  # e.g. the day's e-mail after a block
        school = await uow.organisations.get_by_name("СОШ № 1")
        assert school is not None
        person = await uow.people.find(MARIA, school.id)
        assert person is not None
        later, _expires = await invite_person(uow, person.id, now=bot.clock.now())
        await uow.commit()
    joined = await maria_row(bot)
    before = await row_counts(bot.session_factory)

    refused = await bot.max_user("Гость").ask(f"/start {later}")

    assert "уже подключён к боту" in refused["text"]
    assert "/settings" in refused["text"] and MARIA not in refused["text"]
    assert await maria_row(bot) == joined
    assert await row_counts(bot.session_factory) == before
    assert ("invitation.redeem", "has_account") in await audit_actions(bot.session_factory)


async def test_the_coordinator_gets_no_useless_link_for_someone_who_joined(
    running_bot: RunningBot,
) -> None:
    await running_bot.join_as("Мария", MARIA, Role.RESPONSIBLE, "СОШ № 1")
    anna = await running_bot.joined("Анна", Role.COORDINATOR)
    await anna.ask("/invite")
    await anna.press("ответственный исполнитель")
    await anna.next_message()
    before = await row_counts(running_bot.session_factory)

    reply = await anna.ask(f"{MARIA}; сош № 1")

    assert "уже в боте" in reply["text"] and "start=" not in reply["text"]
    assert await row_counts(running_bot.session_factory) == before


async def test_another_messenger_is_linked_by_her_own_link_and_it_was_not_me_unlinks_it(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    maria = await bot.join_as("Мария", MARIA, Role.RESPONSIBLE, "СОШ № 1")
    await with_roadmap(bot)
    await maria.ask("/settings")
    await maria.press("Подключить MAX")
    token = (await maria.next_message())["text"].rsplit("?start=", 1)[1]

    # Her link opened in Telegram by someone else is no way in either.
    refused = await bot.user("Гость").ask(f"/start {token}")
    assert "Вы подключились к боту" not in refused["text"]

    taker = bot.max_user("Гость")
    assert "Здравствуйте, Мария Петровна!" in (await taker.ask(f"/start {token}"))["text"]
    notice = await maria.next_message()
    assert "MAX" in notice["text"] and "только что подключена" in notice["text"]
    assert notice["text"].startswith("Мария Петровна, к боту дорожной карты только что")
    assert button_texts(notice) == ["Это не я"]
    not_me = str(notice["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
    assert (await maria_row(bot))[2] == sorted([maria.id, MAX_OFFSET + taker.id])
    assert ("account.link", "ok") in await audit_actions(bot.session_factory)

    # The new account cannot unlink the first one with a forged button.
    async with bot.session_factory() as session:
        first = await session.scalar(
            select(MessengerAccount.id).where(MessengerAccount.user_address == maria.id)
        )
    assert first is not None
    forged = await taker.press_data(NotMeCb(account=first).pack())
    assert "Эта кнопка не для вас" in str(forged["notification"])
    assert maria.id in (await maria_row(bot))[2]

    await maria.press("Это не я")
    user_address, chat_address, accounts = await maria_row(bot)
    assert (user_address, chat_address, accounts) == (maria.id, maria.id, [maria.id])
    assert "больше не подключена" in maria.inbox()[-1]["text"]
    assert ("account.unlink", "ok") in await audit_actions(bot.session_factory)
    report = await taker.ask("/report")
    assert "ссылке-приглашению" in report["text"] and "reply_markup" not in report
    # Pressed again: nothing left to unlink.
    again = await maria.press_data(not_me)
    assert again["show_alert"]
