"""«Разослать по почте неиспользованные приглашения»: one tap e-mails every person not yet joined their own link
through the outbox; who has no address is named; a second tap the same day sends nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.settings import EmailSection
from domain.roles import Role
from standin import StandInServer
from standin.smtp import MailServer
from storage.models import EmailMessage
from tests.conftest import RunningBot, make_settings, start_bot
from tests.fixtures.people import people_xlsx
from tests.handlers.test_staff_changes import open_people, token_in
from tests.support import MutableClock


@pytest.fixture
async def mailing_bot(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> AsyncIterator[tuple[RunningBot, MailServer]]:
    with MailServer() as mail:
        settings = make_settings(standin, db_url, tmp_path / "evidence").model_copy(
            update={
                "email": EmailSection(
                    host="127.0.0.1", port=mail.port, sender="uo@example.ru", starttls=False
                )
            }
        )
        async with start_bot(standin, settings, clock) as bot:
            yield bot, mail


async def test_one_tap_e_mails_every_unused_invitation(
    mailing_bot: tuple[RunningBot, MailServer],
) -> None:
    bot, mail = mailing_bot
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    await anna.ask("/people")
    await anna.next_message()
    await anna.upload(people_xlsx(), "руководители.xlsx")
    await anna.next_message()

    await open_people(anna)
    await anna.press("Разослать по почте неиспользованные приглашения")
    answer = (await anna.next_message())["text"]
    # Two of the list's three heads have an address; the third's cell held no address.
    assert "Приглашений отправлено по почте: 2." in answer
    assert "Без адреса почты — 1" in answer
    assert "• Сидорова Анна Ивановна (МОУ СОШ № 3 г. Усть-Кута)" in answer
    async with bot.session_factory() as session:
        queued = list(await session.scalars(select(EmailMessage.to_address)))
    assert sorted(queued) == ["school1@uk.ru", "school2@uk.ru"]

    for _ in range(100):
        if mail.mailbox.to("school1@uk.ru"):
            break
        await asyncio.sleep(0.1)
    (letter,) = mail.mailbox.to("school1@uk.ru")
    body = letter.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Здравствуйте" in text or "Добрый день" in text
    # The link in the letter joins Мария.
    maria = bot.user("Мария")
    welcome = await maria.ask(f"/start {token_in(text)}")
    assert "Иванова" in welcome["text"] or "Мария" in welcome["text"]

    await open_people(anna)
    await anna.press("Разослать по почте неиспользованные приглашения")
    again = (await anna.next_message())["text"]
    assert "Приглашений отправлено по почте: 0." in again
    async with bot.session_factory() as session:
        assert len(list(await session.scalars(select(EmailMessage.id)))) == 2


async def test_without_e_mail_set_up_nothing_is_sent(running_bot: RunningBot) -> None:
    anna = await running_bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    await open_people(anna)
    await anna.press("Разослать по почте неиспользованные приглашения")
    assert "Почта для бота не настроена" in (await anna.next_message())["text"]
