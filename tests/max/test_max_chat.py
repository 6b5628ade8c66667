"""The bot in MAX through the real Dispatcher, over HTTP to the MAX stand-in, beside Telegram."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from demo.documents import seed_document, to_docx
from domain.messengers import MAX_OFFSET, Messenger
from domain.roles import Role
from standin import SimulatedUser
from standin.max import MaxUser, as_seen
from standin.users import button_texts
from storage.models import MaxMessageId, MessengerAccount, Person, StatusReport
from tests.conftest import RunningBot
from tests.support import audit_actions, row_counts

APRIL_3 = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)


async def test_a_head_in_max_reports_with_a_document_and_the_coordinator_in_telegram_accepts(
    two_messenger_bot: RunningBot, tmp_path: Path
) -> None:
    bot = two_messenger_bot
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    maria = bot.max_user("Мария")
    token = await bot.invite("Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    welcome = await maria.ask(f"/start {token}")
    assert "Здравствуйте, Мария Петровна! Вы подключились" in welcome["text"]
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
    assert report.evidence_sha256 is not None
    stored = tmp_path / "evidence" / report.evidence_sha256[:2] / report.evidence_sha256
    assert stored.read_bytes() == b"%PDF-1.4 protocol"
    assert report.review == "accepted"
    assert person is not None and person.chat_address == MAX_OFFSET + maria.id
    assert account.messenger == Messenger.MAX.value


async def test_a_forged_used_or_expired_start_payload_in_max_is_refused_and_changes_nothing(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    before = await row_counts(bot.session_factory)
    forged = await bot.max_user("Самозванец").ask("/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert "недействительна" in forged["text"]
    assert await row_counts(bot.session_factory) == before
    assert ("stranger.start", "refused") in await audit_actions(bot.session_factory)

    token = await bot.invite("Иванова Мария Петровна")
    await bot.user("Мария").ask(f"/start {token}")  # used in Telegram
    again = await bot.max_user("Другой").ask(f"/start {token}")
    assert "уже использовано" in again["text"]
    assert ("invitation.redeem", "used") in await audit_actions(bot.session_factory)

    late = await bot.invite("Петров Пётр Петрович")
    bot.clock.advance(timedelta(days=14, seconds=1))
    expired = await bot.max_user("Пётр").ask(f"/start {late}")
    assert "истёк" in expired["text"]
    assert ("invitation.redeem", "expired") in await audit_actions(bot.session_factory)


async def rows_of(bot: RunningBot, model: type) -> list:  # type: ignore[type-arg]
    async with bot.session_factory() as session:
        return list(await session.scalars(select(model)))


async def person_named(bot: RunningBot, full_name: str) -> Person:
    async with bot.session_factory() as session:
        found = await session.scalar(select(Person).where(Person.full_name == full_name))
    assert found is not None
    return found


async def test_a_head_in_both_messengers_is_reminded_where_they_wrote_last_or_chose(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    maria_tg = await bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")

    settings = await maria_tg.ask("/settings")
    assert "Telegram: подключён, напоминания приходят сюда" in settings["text"]
    assert "MAX: не подключён" in settings["text"]
    assert settings["text"].index("• MAX") < settings["text"].index("• Telegram")  # MAX first
    await maria_tg.press("Подключить MAX")
    link_message = await maria_tg.next_message()
    assert "где установлен MAX, и нажмите «Начать»: бот узнает вас и там" in link_message["text"]
    token = link_message["text"].rsplit("?start=", 1)[1]
    maria_max = bot.max_user("Мария")
    assert "Здравствуйте, Мария Петровна!" in (await maria_max.ask(f"/start {token}"))["text"]
    max_address = MAX_OFFSET + maria_max.id
    assert (await person_named(bot, "Иванова Мария Петровна")).chat_address == max_address

    await maria_tg.ask("/help")  # wrote from Telegram last: reminders follow
    assert (await person_named(bot, "Иванова Мария Петровна")).chat_address == maria_tg.id
    await maria_tg.ask("/settings")
    await maria_tg.press("Напоминания — в MAX")
    chosen = await person_named(bot, "Иванова Мария Петровна")
    assert chosen.chat_address == max_address and chosen.messenger_choice == "max"
    await maria_tg.ask("/help")  # a choice stays, wherever she writes from
    assert (await person_named(bot, "Иванова Мария Петровна")).chat_address == max_address

    # She blocks the bot in MAX: the reminder finds her in Telegram; nobody is told she is lost.
    await anna.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    await anna.next_message()
    await anna.press("Подтвердить")
    await anna.next_message()
    maria_max.block()
    maria_tg.skip_unread()
    bot.clock.set(APRIL_3)
    reminder = await maria_tg.next_message(timeout=15)
    assert "П3.2" in reminder["text"]
    person = await person_named(bot, "Иванова Мария Петровна")
    assert person.chat_address == maria_tg.id and person.unreachable_since_at is None
    async with bot.session_factory() as session:
        max_account = await session.scalar(
            select(MessengerAccount).where(MessengerAccount.messenger == "max")
        )
    assert max_account is not None and max_account.unreachable_since_at is not None
    assert ("person.messenger_fallback", "ok") in await audit_actions(bot.session_factory)
    shown = await maria_tg.ask("/settings")
    assert "MAX: бот не может вам туда написать" in shown["text"]

    # The coordinator's digest says where the heads are reached, and who blocked the bot where.
    anna.skip_unread()
    await anna.send("/digest")
    await bot.world.wait_until(
        lambda: any("Руководители, до которых" in str(m.get("text")) for m in anna.unread()), 10
    )
    digest = " ".join(str(m.get("text")) for m in anna.unread())
    assert "Руководители, до которых доходят напоминания в чате: Telegram: 1" in digest
    assert "Иванова Мария Петровна (СОШ № 1): бот заблокирован в MAX" in digest


async def max_head_reminded(bot: RunningBot) -> tuple[SimulatedUser, MaxUser, MaxUser]:
    """The coordinator in Telegram imports the Ust-Kut roadmap; two heads in MAX are reminded
    on 3 April."""
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    maria = await bot.join_in_max("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    petr = await bot.join_in_max("Пётр", "Петров Пётр Петрович", Role.RESPONSIBLE, "СОШ № 2")
    await anna.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    await anna.next_message()
    await anna.press("Подтвердить")
    await anna.next_message()
    maria.skip_unread()
    petr.skip_unread()
    bot.clock.set(APRIL_3)
    await maria.next_message(timeout=15)
    await petr.next_message(timeout=15)
    anna.skip_unread()
    return anna, maria, petr


async def test_files_that_cannot_be_fetched_in_max_are_refused_and_the_report_goes_on(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    _anna, maria, _petr = await max_head_reminded(bot)
    await maria.press("Выполнено")
    await maria.next_message()
    await maria.ask("Провели методический день")

    silent = await maria.ask_upload(b"%PDF-1.4", "Протокол.pdf", unanswered=True)
    assert "Не удалось получить файл" in silent["text"]
    huge = await maria.ask_upload(b"%PDF-1.4", "Видео.pdf", declared_size=25 * 1024 * 1024)
    assert "больше 20 МБ" in huge["text"]
    assert bot.max_world.calls.get("post_message")  # (the bot answered every time)
    good = await maria.ask_upload(b"%PDF-1.4 protocol", "Протокол.pdf")
    assert "Протокол.pdf" in good["text"]
    await maria.press("Сохранить")
    assert "сохранён" in (await maria.next_message())["text"]
    (report,) = await rows_of(bot, StatusReport)
    assert report.evidence_file_name == "Протокол.pdf"


async def test_presses_on_someone_elses_message_or_with_forged_payloads_change_nothing(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    _anna, maria, petr = await max_head_reminded(bot)
    marias_reminder = bot.max_world.bot_messages(maria.id)[-1]
    before = await row_counts(bot.session_factory)
    edits_before = [e for e in bot.max_world.journal if e.kind == "edit"]

    _payload = as_seen(marias_reminder)["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await petr.press_data(_payload, message=marias_reminder)
    await petr.press_data("v1rep:" + "9" * 1500)  # longer than any button of ours

    assert await row_counts(bot.session_factory) == before
    assert [e for e in bot.max_world.journal if e.kind == "edit"] == edits_before
    assert bot.max_world.bot_messages(maria.id)[-1] == marias_reminder
    assert ("button.unknown", "refused") in await audit_actions(bot.session_factory)


async def test_in_max_a_photo_as_evidence_a_returned_report_and_an_extension(
    two_messenger_bot: RunningBot, tmp_path: Path
) -> None:
    bot = two_messenger_bot
    anna, maria, petr = await max_head_reminded(bot)

    await maria.press("Выполнено")
    await maria.next_message()
    await maria.ask("Стенд оформлен")
    summary = await maria.ask_upload(b"\xff\xd8\xff photo of the stand", "stand.jpg", kind="image")
    assert "Статус: Выполнено" in summary["text"]
    await maria.press("Сохранить")
    await maria.next_message()
    await bot.world.wait_until(
        lambda: any("Новый отчёт" in str(m.get("text")) for m in anna.unread()), 10
    )
    await anna.press("Вернуть с комментарием")
    await anna.next_message()
    await anna.ask("Нужен приказ")
    returned = await maria.next_message()
    assert "возвращён на доработку. Комментарий" in returned["text"]
    assert "«Нужен приказ»" in returned["text"]
    assert "Выполнено" in button_texts(returned)  # buttons again, in MAX

    await petr.ask("/my")
    await petr.press("Перенести срок")
    await petr.next_message()
    await petr.ask("30.04.2026")
    await petr.ask("Ждём решения педсовета 28 апреля")
    await bot.world.wait_until(
        lambda: any("просит перенести" in str(m.get("text")) for m in anna.unread()), 10
    )
    await anna.press("Одобрить")
    assert "перенёс ваш срок на 30.04.2026" in (await petr.next_message())["text"]

    (report,) = await rows_of(bot, StatusReport)
    assert report.evidence_sha256 is not None and report.review == "returned"
    stored = tmp_path / "evidence" / report.evidence_sha256[:2] / report.evidence_sha256
    assert stored.read_bytes() == b"\xff\xd8\xff photo of the stand"


async def test_max_message_ids_are_forgotten_after_half_a_year(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    await bot.join_in_max("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    assert bot.app.max_ids is not None
    await bot.app.max_ids.flush()
    assert len(await rows_of(bot, MaxMessageId)) >= 1  # the welcome, kept for its edits

    assert await bot.app.forget_old_max_ids() == 0  # nothing is old yet
    bot.clock.advance(timedelta(days=181))
    forgotten = await bot.app.forget_old_max_ids()

    assert forgotten >= 1 and await rows_of(bot, MaxMessageId) == []


async def test_settings_back_to_where_i_last_wrote_and_forged_settings_buttons(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    maria_tg = await bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    await maria_tg.ask("/settings")
    await maria_tg.press("Подключить MAX")
    token = (await maria_tg.next_message())["text"].rsplit("?start=", 1)[1]
    maria_max = bot.max_user("Мария")
    await maria_max.ask(f"/start {token}")

    await maria_tg.ask("/settings")
    await maria_tg.press("Напоминания — в Telegram")
    chosen = await person_named(bot, "Иванова Мария Петровна")
    assert chosen.messenger_choice == "telegram" and chosen.chat_address == maria_tg.id
    await maria_tg.press("Напоминания — туда, откуда я пишу боту")
    await maria_max.ask("/help")  # no choice any more: MAX, written from last, takes over
    back = await person_named(bot, "Иванова Мария Петровна")
    assert back.messenger_choice is None and back.chat_address == MAX_OFFSET + maria_max.id

    before = await row_counts(bot.session_factory)
    forged = await maria_tg.press_data("v1msg:use:whatsapp")
    assert forged["show_alert"] and "/settings ещё раз" in forged["text"]
    assert await row_counts(bot.session_factory) == before
    assert (await person_named(bot, "Иванова Мария Петровна")).messenger_choice is None


async def test_a_stranger_is_told_the_start_button_of_their_own_messenger(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    in_max = await bot.max_user("Гость").ask("/start")
    in_telegram = await bot.user("Гость").ask("/start")

    assert in_max["text"].endswith("затем откройте ссылку и нажмите «Начать».")
    assert in_telegram["text"].endswith("затем откройте ссылку и нажмите «Запустить».")
    assert "управлении образования" in in_max["text"]  # the generic noun, one spelling
