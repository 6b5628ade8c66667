"""/email in the chat: the address and which e-mails a person gets; bad input and forged
buttons change nothing."""

from __future__ import annotations

from sqlalchemy import select

from domain.roles import Role
from handlers.common.callbacks import EmailCb
from standin.users import button_texts
from storage.models import Person
from tests.conftest import RunningBot
from tests.support import row_counts


async def person_named(bot: RunningBot, name: str) -> Person:
    async with bot.session_factory() as session:
        person = await session.scalar(select(Person).where(Person.full_name == name))
        assert person is not None
        return person


async def test_the_coordinator_sets_the_address_and_the_digest_by_e_mail(
    running_bot: RunningBot,
) -> None:
    anna = await running_bot.joined("Анна", Role.COORDINATOR)
    shown = await anna.ask("/email")
    assert "У бота нет вашего адреса почты" in shown["text"]

    before = await row_counts(running_bot.session_factory)
    refused = await anna.ask("/email anna@uo")
    assert "«anna@uo» не похоже на адрес почты" in refused["text"]
    assert await row_counts(running_bot.session_factory) == before
    assert (await person_named(running_bot, "Анна Тестовая")).email is None

    await anna.send("/email Anna@UO-UKMO.ru")
    saved = await anna.next_message()
    assert saved["text"] == "Сохранено: письма будут приходить на Anna@uo-ukmo.ru."
    settings = await anna.next_message()
    assert "Ваш адрес почты: Anna@uo-ukmo.ru" in settings["text"]
    assert (
        "только если в мессенджере бот не сможет с вами связаться" in settings["text"]
    )  # no slang
    assert "Еженедельная сводка по почте: отключена." in settings["text"]
    assert button_texts(settings) == ["Отключить письма", "Сводка по почте: включить"]

    await anna.press("Сводка по почте: включить")
    assert (await person_named(running_bot, "Анна Тестовая")).digest_by_email is True
    edited = anna.inbox()[-1]
    assert "(с диаграммой и отчётом во вложении): включена" in edited["text"]

    await anna.press("Отключить письма")
    anna_now = await person_named(running_bot, "Анна Тестовая")
    assert anna_now.email_opt_out_at is not None
    assert "Письма: отключены" in anna.inbox()[-1]["text"]
    await anna.press("Включить письма")
    assert (await person_named(running_bot, "Анна Тестовая")).email_opt_out_at is None


async def test_a_corrected_address_clears_a_bounce(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")
    async with running_bot.session_factory() as session:
        maria = await session.scalar(select(Person).where(Person.full_name == "Мария Тестовая"))
        assert maria is not None
        maria.email = "mariia@sosh1.ru"
        maria.email_unreachable_at = running_bot.clock.now()
        maria.email_unreachable_reason = "recipient: 550 5.1.1 No such user"
        await session.commit()

    warned = await head.ask("/email")
    assert "Почтовый сервер отклонил этот адрес" in warned["text"]
    assert button_texts(warned) == ["Отключить письма"]  # no digest for a head

    await head.ask("/email maria@sosh1.ru")
    maria = await person_named(running_bot, "Мария Тестовая")
    assert (maria.email, maria.email_unreachable_at) == ("maria@sosh1.ru", None)


async def test_forged_buttons_and_people_who_may_not(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")
    await head.ask("/email")
    before = await row_counts(running_bot.session_factory)
    forged = await head.press_data(EmailCb(setting="digest", on=True).pack())
    assert forged["show_alert"] and "/email" in str(forged["text"])
    unknown = await head.press_data(EmailCb(setting="everything", on=False).pack())
    assert unknown["show_alert"]
    assert (await person_named(running_bot, "Мария Тестовая")).digest_by_email is False
    assert await row_counts(running_bot.session_factory) == before

    observer = await running_bot.joined("Олег", Role.OBSERVER)
    refused = await observer.ask("/email oleg@uo.ru")
    assert "не входит в вашу роль" in refused["text"]
    assert (await person_named(running_bot, "Олег Тестовая")).email is None
