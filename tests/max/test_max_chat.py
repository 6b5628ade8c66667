"""The bot in MAX through the real Dispatcher, over HTTP to the MAX stand-in, beside Telegram."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from demo.documents import seed_document, to_docx
from domain.messengers import MAX_OFFSET, Messenger
from domain.roles import Role
from standin.users import button_texts
from storage.models import MessengerAccount, Person, StatusReport
from tests.conftest import RunningBot
from tests.support import audit_actions, row_counts

APRIL_3 = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)


async def test_a_head_in_max_reports_with_a_document_and_the_coordinator_in_telegram_accepts(
    two_messenger_bot: RunningBot, tmp_path: Path
) -> None:
    bot = two_messenger_bot
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО")
    maria = bot.max_user("Мария")
    token = await bot.invite("Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    welcome = await maria.ask(f"/start {token}")
    assert "Добро пожаловать, Иванова Мария Петровна" in welcome["text"]
    assert bot.max_world.commands  # the menu, set once for everyone in MAX

    await anna.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    await anna.next_message()
    await anna.press("Подтвердить")
    await anna.next_message()
    maria.skip_unread()
    bot.clock.set(APRIL_3)
    reminder = await maria.next_message(timeout=15)
    assert "П3.2" in reminder["text"] and "Выполнено" in button_texts(reminder)

    await maria.press("Выполнено")
    assert "что сделано" in (await maria.next_message())["text"]
    await maria.ask("Дорожная карта школы направлена в УО 10 апреля")
    await maria.upload(b"%PDF-1.4 protocol", "Дорожная карта СОШ 1.pdf")
    summary = await maria.next_message()
    assert "Дорожная карта СОШ 1.pdf" in summary["text"]
    await maria.press("Сохранить")
    assert "сохранён и отправлен координатору" in (await maria.next_message())["text"]

    incoming = await anna.next_message()
    assert "Новый отчёт по мероприятию П3.2" in incoming["text"]
    await anna.press("Принять")
    assert "принят" in (await maria.next_message())["text"]

    async with bot.session_factory() as session:
        (report,) = await session.scalars(select(StatusReport))
        person = await session.get(Person, report.person_id)
        (account,) = await session.scalars(
            select(MessengerAccount).where(MessengerAccount.person_id == report.person_id)
        )
    stored = tmp_path / "evidence" / report.evidence_sha256[:2] / report.evidence_sha256
    assert stored.read_bytes() == b"%PDF-1.4 protocol"
    assert report.review == "accepted"
    assert person is not None and person.chat_address == MAX_OFFSET + maria.id
    assert account.messenger == Messenger.MAX.value


async def test_a_forged_or_used_start_payload_in_max_is_refused_and_changes_nothing(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    before = await row_counts(bot.session_factory)
    forged = await bot.max_user("Самозванец").ask("/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert "недействительна" in forged["text"]
    assert await row_counts(bot.session_factory) == before
    assert ("invitation.redeem", "unknown") in await audit_actions(bot.session_factory)

    token = await bot.invite("Иванова Мария Петровна")
    await bot.user("Мария").ask(f"/start {token}")  # used in Telegram
    again = await bot.max_user("Другой").ask(f"/start {token}")
    assert "уже использовано" in again["text"]
    assert ("invitation.redeem", "used") in await audit_actions(bot.session_factory)
