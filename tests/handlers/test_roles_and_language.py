"""Commands by role, the coordinator's in-chat invitations, /lang, and forged buttons."""

from __future__ import annotations

from domain.roles import Role
from standin.users import button_texts
from tests.conftest import RunningBot
from tests.support import RESPONSIBLE_MENU, audit_actions, row_counts


async def test_coordinator_invites_a_school_head_in_the_chat(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)

    prompt = await coordinator.ask("/invite")
    assert button_texts(prompt) == [
        "ответственный исполнитель",
        "наблюдатель",
        "координатор",
        "Отмена",
    ]
    await coordinator.press("ответственный исполнитель")
    await coordinator.next_message()
    reply = await coordinator.ask("Иванова Мария Петровна; МБОУ СОШ № 1")

    assert "Приглашение готово: Иванова Мария Петровна" in reply["text"]
    link = reply["text"].rsplit("\n", 1)[-1]
    assert link.startswith(f"https://t.me/{running_bot.world.bot_username}?start=")
    head = running_bot.user("Мария")
    welcome = await head.ask("/start " + link.split("start=", 1)[1])
    assert "Здравствуйте, Мария Петровна!" in welcome["text"]
    assert "ответственный исполнитель" in welcome["text"]


async def test_invitation_dialogue_can_be_cancelled(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    await coordinator.ask("/invite")
    await coordinator.press("наблюдатель")
    await coordinator.next_message()
    before = await row_counts(running_bot.session_factory)

    await coordinator.press("Отмена")
    cancelled = await coordinator.next_message()
    after_cancel = await coordinator.ask("Петров Пётр")

    assert "Ничего не сохранено" in cancelled["text"]
    assert "не понял" in after_cancel["text"]
    assert await row_counts(running_bot.session_factory) == before


async def test_too_long_name_is_asked_again(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    await coordinator.ask("/invite")
    await coordinator.press("ответственный исполнитель")
    await coordinator.next_message()
    before = await row_counts(running_bot.session_factory)

    reply = await coordinator.ask("Я" * 400)

    assert "не длиннее 300" in reply["text"]
    assert await row_counts(running_bot.session_factory) == before


async def test_school_head_cannot_invite(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")
    before = await row_counts(running_bot.session_factory)

    reply = await head.ask("/invite")
    forged = await head.press_data("v1inv:coordinator")

    assert "только координатор" in reply["text"]
    assert forged["show_alert"] and "только координатор" in forged["text"]
    assert await row_counts(running_bot.session_factory) == before
    assert ("invitation.start", "forbidden") in await audit_actions(running_bot.session_factory)
    assert ("invitation.role", "forbidden") in await audit_actions(running_bot.session_factory)


async def test_forged_and_outdated_buttons_are_refused(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    before = await row_counts(running_bot.session_factory)

    for data in ("v1inv:admin", "v1lang:xx", "v0lang:ru", "garbage", "x" * 64):
        answer = await coordinator.press_data(data)
        assert answer["show_alert"], data
        assert "Эта кнопка устарела" in answer["text"] or "недоступен" in answer["text"], data

    assert await row_counts(running_bot.session_factory) == before
    outcomes = [
        o for a, o in await audit_actions(running_bot.session_factory) if a != "invitation.redeem"
    ]
    assert outcomes.count("forged") == 2 and outcomes.count("refused") == 3


async def test_unknown_command_and_free_text_from_a_member(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")

    unknown = await head.ask("/delete_everything")
    free_text = await head.ask("Когда сдавать отчёт?")

    assert "не знаю команду /delete_everything" in unknown["text"]
    assert "/help" in free_text["text"]
    assert ("command.unknown", "refused") in await audit_actions(running_bot.session_factory)


async def test_lang_switches_replies_and_menu(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")

    prompt = await head.ask("/lang")
    assert button_texts(prompt) == ["Русский", "English"]
    await head.press("English")
    confirmation = await head.next_message()
    help_reply = await head.ask("/help")

    assert confirmation["text"] == "Done: I will speak English with you now."
    assert help_reply["text"].startswith("You are the responsible person.")
    await head.wait_menu(RESPONSIBLE_MENU)
    menu = running_bot.world.commands[(f"chat:{head.id}", "")]
    assert menu[0]["description"] == "What I can do for you"

    await head.ask("/lang")
    await head.press("Русский")
    assert (await head.next_message())["text"] == "Готово: теперь я говорю с вами по-русски."


async def test_strangers_menu_is_russian_whatever_the_app_language(running_bot: RunningBot) -> None:
    world = running_bot.world
    await world.wait_until(lambda: world.calls.get("deletemycommands", 0) >= 2, 5)

    ru = world.commands[("default", "")]
    assert [c["command"] for c in ru] == ["start", "help"]
    assert ru[0]["description"] == "Подключиться по ссылке-приглашению"
    # No menu per app language: an English phone would show English commands otherwise.
    assert ("default", "en") not in world.commands and ("default", "ru") not in world.commands


async def test_a_phone_set_to_english_still_gets_russian(running_bot: RunningBot) -> None:
    token = await running_bot.invite("Смит Джон Петрович")
    john = running_bot.user("John", language_code="en")

    welcome = await john.ask(f"/start {token}")
    help_reply = await john.ask("/help")

    assert welcome["text"].startswith("Здравствуйте, Джон Петрович! Вы подключились")
    assert help_reply["text"].startswith("Ваша роль: ответственный исполнитель")
