"""/people's coordinators through the real bot: a second coordinator invited, a methodist made
one, the role handed over after «Вы уверены?» (the one who hands it over stays an observer),
and the refusals: the last coordinator handing over to someone not in the bot or to herself,
a head's, an observer's and a stranger's forged button, an old «Да»."""

from __future__ import annotations

from sqlalchemy import func, select

from demo.documents import seed_document, to_docx
from domain.roles import Role, commands_for
from handlers.common.callbacks import CoordinatorCb
from standin import SimulatedUser
from standin.users import button_texts
from storage.models import Invitation, Person, Reminder
from tests.conftest import RunningBot
from tests.handlers.test_organisations_chat import reply
from tests.handlers.test_staff_changes import STRANGER, person_named, token_in
from tests.support import row_counts

YES = CoordinatorCb(action="hand_over_yes").pack()


def _menu(role: Role) -> list[str]:
    return [f"/{command.value}" for command in commands_for(role)]


async def _people(coordinator: SimulatedUser) -> None:
    """/people's first message (its buttons) and the template, read past any reminder."""
    coordinator.skip_unread()
    await coordinator.send("/people")
    assert "Пришлите список школ" in (await reply(coordinator))["text"]
    await reply(coordinator)  # the template


async def _press(coordinator: SimulatedUser, button: str) -> str:
    await coordinator.press(button)
    return str((await reply(coordinator))["text"])


async def _say(user: SimulatedUser, text: str) -> dict:  # type: ignore[type-arg]
    await user.send(text)
    return await reply(user)


async def _unchanged_but_audit(bot: RunningBot, before: dict[str, int]) -> None:
    after = await row_counts(bot.session_factory)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }


async def _hand_over_asked(coordinator: SimulatedUser, name: str) -> dict:  # type: ignore[type-arg]
    await _people(coordinator)
    asked = await _press(coordinator, "Передать роль координатора")
    assert "Кому вы передаёте роль координатора?" in asked
    return await _say(coordinator, name)


async def test_a_second_coordinator_is_invited_and_runs_the_bot(running_bot: RunningBot) -> None:
    anna = await running_bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    await _people(anna)
    assert "Кто новый координатор?" in await _press(anna, "Добавить координатора")

    added = await _say(anna, "Борисова Вера Николаевна, vera@uo.ru, +7 900 123-45-67")
    assert (
        "Борисова Вера Николаевна тоже будет координатором, с теми же правами, что и у вас"
        in added["text"]
    )
    assert "Ссылка-приглашение — Борисова Вера Николаевна" in added["text"]

    vera = await person_named(running_bot, "Борисова")
    anna_row = await person_named(running_bot, "Антипина")
    assert (vera.role, vera.is_active, vera.organisation_id) == (
        "coordinator",
        True,
        anna_row.organisation_id,
    )
    assert (vera.email, vera.phone) == ("vera@uo.ru", "+7 900 123-45-67")

    # She joins by the link and is a coordinator: /people is hers.
    joining = running_bot.user("Вера")
    await joining.ask(f"/start {token_in(added['text'])}")
    await joining.wait_menu(_menu(Role.COORDINATOR))
    joining.skip_unread()
    assert "Пришлите список школ" in (await joining.ask("/people"))["text"]


async def test_a_methodist_in_the_bot_becomes_a_coordinator_at_once(
    running_bot: RunningBot,
) -> None:
    anna = await running_bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    sergey = await running_bot.join_as(
        "Сергей", "Парилов Сергей Викторович", Role.RESPONSIBLE, "УО"
    )
    await _people(anna)
    await _press(anna, "Добавить координатора")
    added = await _say(anna, "Парилов Сергей Викторович")

    assert "Парилов Сергей Викторович теперь тоже координатор" in added["text"]
    assert "start=" not in added["text"]  # no link for someone who joined long ago
    told = await sergey.next_message()
    assert "Антипина Анна Михайловна добавляет вас в координаторы бота" in told["text"]
    await sergey.wait_menu(_menu(Role.COORDINATOR))
    assert (await person_named(running_bot, "Парилов")).role == "coordinator"
    async with running_bot.session_factory() as session:
        assert await session.scalar(select(func.count(Invitation.id))) == 2  # the two joins

    # Added again: refused, nothing changes.
    before = await row_counts(running_bot.session_factory)
    await _people(anna)
    await _press(anna, "Добавить координатора")
    again = await _say(anna, "Парилов Сергей Викторович")
    assert "Парилов Сергей Викторович уже координатор" in again["text"]
    assert "Ничего не изменено" in again["text"]
    await _unchanged_but_audit(running_bot, before)


async def test_the_role_handed_over_after_are_you_sure_and_the_old_yes_refused(
    running_bot: RunningBot,
) -> None:
    # The department's own measures: Анна and Сергей are both reminded of them.
    anna = await running_bot.join_as(
        "Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО"
    )
    sergey = await running_bot.join_as(
        "Сергей", "Парилов Сергей Викторович", Role.RESPONSIBLE, "УО УКМО"
    )
    await anna.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    await reply(anna)
    await anna.press("Подтвердить")
    await reply(anna)
    anna_id = (await person_named(running_bot, "Антипина")).id
    sergey_id = (await person_named(running_bot, "Парилов")).id

    async def pending(person_id: int) -> int:
        async with running_bot.session_factory() as session:
            return int(
                await session.scalar(
                    select(func.count(Reminder.id)).where(
                        Reminder.person_id == person_id, Reminder.state == "pending"
                    )
                )
                or 0
            )

    assert await pending(anna_id) > 0

    # «Нет»: nothing changes.
    asked = await _hand_over_asked(anna, "Парилов Сергей Викторович")
    assert (
        "Передать роль координатора? Новый координатор: Парилов Сергей Викторович."
        in (asked["text"])
    )
    assert "Парилов Сергей Викторович сразу станет координатором" in asked["text"]
    assert "Вы сразу станете наблюдателем" in asked["text"]
    assert asked["text"].endswith("Вы уверены?")
    assert button_texts(asked) == ["Да", "Нет"]
    assert "вы по-прежнему координатор" in await _press(anna, "Нет")
    assert (await person_named(running_bot, "Антипина")).role == "coordinator"

    # «Да»: Сергей is the coordinator, Анна an observer who is reminded of nothing.
    await _hand_over_asked(anna, "Парилов Сергей Викторович")
    done = await _press(anna, "Да")
    assert "Готово: теперь координатор — Парилов Сергей Викторович" in done
    assert "Вы теперь наблюдатель" in done
    assert (await person_named(running_bot, "Антипина")).role == "observer"
    assert (await person_named(running_bot, "Парилов")).role == "coordinator"
    assert await pending(anna_id) == 0
    assert await pending(sergey_id) > 0
    told = await reply(sergey)
    assert "Антипина Анна Михайловна передаёт вам роль координатора" in told["text"]
    await sergey.wait_menu(_menu(Role.COORDINATOR))
    await anna.wait_menu(_menu(Role.OBSERVER))

    # The old «Да» pressed again by the observer she is now: refused, nothing changes.
    before = await row_counts(running_bot.session_factory)
    again = await anna.press_data(YES)
    assert again["show_alert"] and "только координатор" in str(again["text"])
    await _unchanged_but_audit(running_bot, before)
    assert "только координатор" in str((await _say(anna, "/people"))["text"])


async def test_handed_over_to_someone_new_while_another_coordinator_stays(
    running_bot: RunningBot,
) -> None:
    anna = await running_bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    await running_bot.join_as("Вера", "Борисова Вера Николаевна", Role.COORDINATOR, "УО")
    first = await _hand_over_asked(anna, "Борисова Вера Николаевна")
    asked = await _hand_over_asked(anna, "Новикова Нина Сергеевна")
    assert "Новикова Нина Сергеевна получит приглашение в бот в роли координатора" in asked["text"]

    # «Да» under the first question, asked about Вера: old, and the question now asked stays.
    before = await row_counts(running_bot.session_factory)
    old_yes = next(
        button["callback_data"]
        for row in first["reply_markup"]["inline_keyboard"]
        for button in row
        if button["text"] == "Да"
    )
    stale = await anna.press_data(old_yes, message=first)
    assert stale["show_alert"] and "кнопка устарела" in str(stale["text"])
    await _unchanged_but_audit(running_bot, before)

    done = await _press(anna, "Да")
    assert "Готово: теперь координатор — Новикова Нина Сергеевна" in done
    nina = await person_named(running_bot, "Новикова")
    assert (nina.role, nina.is_active) == ("coordinator", True)
    assert (await person_named(running_bot, "Антипина")).role == "observer"

    joining = running_bot.user("Нина")
    await joining.ask(f"/start {token_in(done)}")
    await joining.wait_menu(_menu(Role.COORDINATOR))


async def test_the_last_coordinator_keeps_the_role_when_nobody_would_run_the_bot(
    running_bot: RunningBot,
) -> None:
    anna = await running_bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    before = await row_counts(running_bot.session_factory)

    nobody = await _hand_over_asked(anna, "Новикова Нина Сергеевна")
    assert "Вы единственный координатор в боте" in nobody["text"]
    assert "нового координатора (Новикова Нина Сергеевна) в боте ещё нет" in nobody["text"]
    assert "Добавить координатора" in nobody["text"]
    assert "Ничего не изменено" in nobody["text"]
    assert "Да" not in button_texts(nobody)

    herself = await _hand_over_asked(anna, "Антипина Анна Михайловна")
    assert "Нельзя передать роль самому себе" in herself["text"]

    blank = await _hand_over_asked(anna, ", , ,")
    assert "В сообщении нет ФИО" in blank["text"]

    # No conversation behind «Да» (it ended above): the button is old.
    stale = await anna.press_data(YES)
    assert stale["show_alert"] and "кнопка устарела" in str(stale["text"])

    await _unchanged_but_audit(running_bot, before)
    assert (await person_named(running_bot, "Антипина")).role == "coordinator"


async def test_a_forged_hand_over_by_a_head_an_observer_or_a_stranger_changes_nothing(
    running_bot: RunningBot,
) -> None:
    await running_bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    head = await running_bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    observer = await running_bot.join_as("Ольга", "Смирнова Ольга Петровна", Role.OBSERVER, "УО")
    stranger = running_bot.user("Незнакомец")
    before = await row_counts(running_bot.session_factory)

    for user in (head, observer):
        for action in ("add", "hand_over", "hand_over_yes"):
            refused = await user.press_data(CoordinatorCb(action=action).pack())
            assert refused["show_alert"], action
            assert "Это может сделать только координатор" in str(refused["text"]), action
        # What a forger types next is nobody's name: no conversation took it.
        user.skip_unread()
        await user.send("Иванова Мария Петровна")
    fake = {"message_id": 1, "date": 0, "chat": {"id": stranger.id, "type": "private"}, "text": "…"}
    refused = await stranger.press_data(YES, message=fake)
    assert refused["show_alert"] and STRANGER in str(refused["text"])

    await _unchanged_but_audit(running_bot, before)
    async with running_bot.session_factory() as session:
        roles = dict(list(await session.execute(select(Person.full_name, Person.role))))
    assert roles == {
        "Антипина Анна Михайловна": "coordinator",
        "Иванова Мария Петровна": "responsible",
        "Смирнова Ольга Петровна": "observer",
    }
