"""The whole bot with e-mail, against the Telegram stand-in and a real SMTP server in the test
process: a head who never joined gets one e-mail a day with the overdue measure and their
link, joins through it and reports in the chat; the coordinator gets the weekly digest by
e-mail with the report attached. The server refuses the first attempt; the e-mail goes once,
on the retry."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import select

from bot.settings import EmailSection
from demo.documents import seed_document, to_docx
from domain.roles import Role
from standin import StandInServer
from standin.smtp import MailServer
from standin.users import button_texts
from storage.models import EmailMessage, StatusReport
from tests.conftest import RunningBot, make_settings, start_bot
from tests.fixtures.people import people_xlsx
from tests.handlers.test_reports import report_without_evidence
from tests.support import MutableClock

IRKUTSK = ZoneInfo("Asia/Irkutsk")
MONDAY_MORNING = datetime(2026, 4, 20, 9, 30, tzinfo=IRKUTSK).astimezone(UTC)  # П3.2: 17 April


@pytest.fixture
async def bot_with_mail(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> AsyncIterator[tuple[RunningBot, MailServer]]:
    with MailServer() as mail:
        settings = make_settings(standin, db_url, tmp_path / "evidence")
        settings.email = EmailSection(
            host="127.0.0.1",
            port=mail.port,
            sender="Управление образования <bot@uo-ukmo.ru>",
            starttls=False,
            timeout=5,
        )
        async with start_bot(standin, settings, clock) as bot:
            yield bot, mail


async def wait_for_mail(mail: MailServer, address: str, count: int = 1) -> None:
    for _ in range(200):
        if len(mail.mailbox.to(address)) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"no e-mail to {address}")


async def email_states_when_settled(bot: RunningBot) -> list[str]:
    """The outbox's states once no e-mail is still being handed to the server."""
    for _ in range(200):
        async with bot.session_factory() as session:
            states = list(await session.scalars(select(EmailMessage.state)))
        if "sending" not in states:
            return states
        await asyncio.sleep(0.05)
    raise AssertionError(f"e-mails still being sent: {states}")


async def test_a_head_in_no_messenger_is_reached_by_e_mail_and_the_digest_goes_by_e_mail(
    bot_with_mail: tuple[RunningBot, MailServer],
) -> None:
    bot, mail = bot_with_mail
    app = bot.app
    assert app.daily_emails is not None and app.digest_emails is not None
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО")
    await anna.ask("/email anna@uo-ukmo.ru")
    await anna.next_message()  # the settings, with their buttons
    await anna.press("Сводка по почте: включить")
    await anna.ask("/people")
    await anna.next_message()  # the template
    await anna.upload(people_xlsx(), "руководители.xlsx")
    await anna.next_message()
    await anna.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    await anna.next_message()
    await anna.press("Подтвердить")
    await anna.next_message()  # saved
    anna.skip_unread()

    # Monday 20 April: П3.2 was due on Friday. Nobody from the schools has joined.
    bot.clock.set(MONDAY_MORNING)
    mail.mailbox.refuse_next.append("451 4.3.0 Mailbox temporarily unavailable")
    assert await app.daily_emails.queue() == 2  # two heads have addresses, one has a typo
    await asyncio.sleep(1)  # several ticks of the outbox: the refused one waits its backoff
    assert mail.mailbox.attempts == 2 and len(mail.received) == 1
    bot.clock.advance(timedelta(minutes=1))
    await wait_for_mail(mail, "school1@uk.ru")
    await wait_for_mail(mail, "school2@uk.ru")
    assert await app.daily_emails.queue() == 0  # one e-mail a day
    await asyncio.sleep(0.6)
    (letter,) = mail.mailbox.to("school1@uk.ru")  # once, though refused at first
    assert len(mail.received) == 2
    plain = letter.get_body(("plain",))
    assert plain is not None
    text = str(plain.get_content())
    assert "Здравствуйте, Мария Петровна!" in text
    overdue = text.split("Просрочено (")[1].split("\n\n")[0]
    assert "П3.2" in overdue and "17 апреля 2026" in overdue
    link = re.search(r"https://t\.me/\w+\?start=([\w-]+)", text)
    assert link is not None

    # She opens the link, joins, and the bot shows what is late, with buttons.
    maria = bot.user("Мария")
    welcome = await maria.ask(f"/start {link.group(1)}")
    assert "Здравствуйте, Мария Петровна!" in welcome["text"]
    summary = await maria.next_message(timeout=15)
    while not any(label.startswith("П3.2") for label in button_texts(summary)):
        summary = await maria.next_message(timeout=15)
    await maria.press(next(t for t in button_texts(summary) if t.startswith("П3.2")))
    card = await maria.next_message()
    assert "Выполнено" in button_texts(card)
    await report_without_evidence(maria, "Выполнено", "Провели единый методический день")
    async with bot.session_factory() as session:
        report = await session.scalar(select(StatusReport))
        assert report is not None and report.text == "Провели единый методический день"

    # The e-mails stop for her once she is in the chat.
    bot.clock.advance(timedelta(days=1))
    await app.daily_emails.queue()
    await asyncio.sleep(0.6)
    assert len(mail.mailbox.to("school1@uk.ru")) == 1

    # The weekly digest: in the chat, and by e-mail with the chart and the report.
    await app.weekly()
    await wait_for_mail(mail, "anna@uo-ukmo.ru")
    (digest,) = mail.mailbox.to("anna@uo-ukmo.ru")
    assert digest["Subject"].startswith("Сводка по дорожной карте на ")
    assert any(part.get_content_type() == "image/png" for part in digest.walk())
    (attachment,) = list(digest.iter_attachments())
    assert str(attachment.get_filename()).endswith(".xlsx")
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    workbook = openpyxl.load_workbook(io.BytesIO(payload), read_only=True)
    answers = [row for row in workbook["Ответы"].iter_rows(values_only=True)]
    assert any("Провели единый методический день" in map(str, row) for row in answers)
    # The server has the digest a moment before the outbox records it as sent.
    states = await email_states_when_settled(bot)
    assert states.count("sent") == 3 and set(states) == {"sent"}
