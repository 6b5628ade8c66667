"""Joining by invitation through the real Dispatcher, over HTTP to the stand-in."""

from __future__ import annotations

from datetime import timedelta

from domain.roles import Role
from tests.conftest import RunningBot
from tests.support import COORDINATOR_MENU, RESPONSIBLE_MENU, audit_actions, row_counts


async def test_coordinator_joins_by_invitation_and_sees_their_menu(running_bot: RunningBot) -> None:
    token = await running_bot.invite("Антипина Анна Михайловна", Role.COORDINATOR)
    anna = running_bot.user("Анна")

    reply = await anna.ask(f"/start {token}")

    assert "Здравствуйте, Анна Михайловна! Вы подключились" in reply["text"]
    assert "Ваша роль: координатор" in reply["text"]
    assert "/invite" in reply["text"]
    assert await anna.wait_menu(COORDINATOR_MENU) == COORDINATOR_MENU


async def test_responsible_person_does_not_see_coordinator_commands(
    running_bot: RunningBot,
) -> None:
    token = await running_bot.invite("Иванова Мария Петровна", Role.RESPONSIBLE, "МБОУ СОШ № 1")
    maria = running_bot.user("Мария")

    reply = await maria.ask(f"/start {token}")

    assert "ответственный исполнитель" in reply["text"]
    assert "/invite" not in reply["text"]
    assert await maria.wait_menu(RESPONSIBLE_MENU) == RESPONSIBLE_MENU
    help_reply = await maria.ask("/help")
    assert "/invite" not in help_reply["text"] and "/report" in help_reply["text"]


async def test_a_head_is_greeted_by_name_and_patronymic(running_bot: RunningBot) -> None:
    token = await running_bot.invite("Мария Петровна Иванова", Role.RESPONSIBLE, "МБОУ СОШ № 1")
    maria = running_bot.user("Мария")

    welcome = await maria.ask(f"/start {token}")
    again = await maria.ask(f"/start {token}")
    hello = await maria.ask("/start")

    assert welcome["text"].startswith("Здравствуйте, Мария Петровна! Вы подключились")
    assert again["text"].startswith("Вы уже подключены, Мария Петровна.")
    assert hello["text"].startswith("Здравствуйте, Мария Петровна!\n\n")


async def test_reused_link_is_refused_and_changes_nothing(running_bot: RunningBot) -> None:
    token = await running_bot.invite("Иванова Мария Петровна")
    await running_bot.user("Мария").ask(f"/start {token}")
    before = await row_counts(running_bot.session_factory)

    reply = await running_bot.user("Самозванец").ask(f"/start {token}")

    assert "уже использовано" in reply["text"]
    assert await row_counts(running_bot.session_factory) == before
    assert ("invitation.redeem", "used") in await audit_actions(running_bot.session_factory)


async def test_expired_link_is_refused(running_bot: RunningBot) -> None:
    token = await running_bot.invite("Петров Пётр Петрович")
    running_bot.clock.advance(timedelta(days=14, seconds=1))
    before = await row_counts(running_bot.session_factory)

    reply = await running_bot.user("Пётр").ask(f"/start {token}")

    assert "истёк" in reply["text"]
    assert await row_counts(running_bot.session_factory) == before
    assert ("invitation.redeem", "expired") in await audit_actions(running_bot.session_factory)


async def test_link_still_works_just_before_expiry(running_bot: RunningBot) -> None:
    token = await running_bot.invite("Петров Пётр Петрович")
    running_bot.clock.advance(timedelta(days=13, hours=23))

    reply = await running_bot.user("Пётр").ask(f"/start {token}")

    assert "Вы подключились к боту" in reply["text"]


async def test_made_up_tokens_are_refused(running_bot: RunningBot) -> None:
    before = await row_counts(running_bot.session_factory)

    # Three strangers (one stranger's attempts are answered once per quiet spell:
    # tests/handlers/test_strangers.py).
    for n, token in enumerate(("abc", "A" * 32, "'; DROP TABLE people; --")):
        reply = await running_bot.user(f"Гость {n}").ask(f"/start {token}")
        assert "недействительна" in reply["text"]

    assert await row_counts(running_bot.session_factory) == before
    outcomes = await audit_actions(running_bot.session_factory)
    assert outcomes.count(("stranger.start", "refused")) == 3


async def test_joined_account_cannot_take_a_second_invitation(running_bot: RunningBot) -> None:
    maria = await running_bot.joined("Мария")
    other_token = await running_bot.invite("Сидорова Ольга Ивановна")
    before = await row_counts(running_bot.session_factory)

    reply = await maria.ask(f"/start {other_token}")

    assert "уже подключён" in reply["text"]
    assert await row_counts(running_bot.session_factory) == before
    # The invitation is still there for the person it was meant for.
    assert (
        "Вы подключились к боту"
        in (await running_bot.user("Ольга").ask(f"/start {other_token}"))["text"]
    )


async def test_pressing_own_link_again_is_harmless(running_bot: RunningBot) -> None:
    token = await running_bot.invite("Иванова Мария Петровна")
    maria = running_bot.user("Мария")
    await maria.ask(f"/start {token}")

    reply = await maria.ask(f"/start {token}")

    assert "Вы уже подключены" in reply["text"]


async def test_strangers_learn_how_to_join_and_nothing_more(running_bot: RunningBot) -> None:
    stranger = running_bot.user("Гость")
    before = await row_counts(running_bot.session_factory)

    for text in ("Здравствуйте!", "/start", "/help", "/invite", "/lang"):
        # A stranger's burst draws one answer (tests/handlers/test_strangers.py): these are
        # asked a quiet spell apart, each as if for the first time.
        running_bot.clock.advance(timedelta(minutes=16))
        reply = await stranger.ask(text)
        assert "ссылке-приглашению" in reply["text"], text
        assert "reply_markup" not in reply

    assert await row_counts(running_bot.session_factory) == before
    actions = await audit_actions(running_bot.session_factory)
    assert ("stranger.message", "refused") in actions and ("stranger.start", "refused") in actions
