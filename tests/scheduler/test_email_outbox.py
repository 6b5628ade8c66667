"""The day's e-mail for people in no messenger, through the e-mail outbox, to a real SMTP
server in the test process: who gets it, what it says, once a day, retries, bounces."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import build_i18n
from demo.documents import seed_document
from domain.people_sheet import SchoolHead
from domain.roadmap.build import build_draft
from handlers.common.join_links import JoinLink, JoinLinks
from handlers.email.jobs import DailyEmails, EmailComposer
from scheduler.email_outbox import EmailOutbox, EmailStats
from scheduler.smtp import SmtpSender, SmtpServer
from standin.smtp import MailServer
from storage.models import EmailMessage as EmailRow
from storage.models import Person, Roadmap
from storage.usecases.email.outbox import MAX_EMAIL_ATTEMPTS
from storage.usecases.people import import_school_heads
from storage.usecases.planning import sync_occurrences
from storage.usecases.roadmaps import save_roadmap
from tests.support import MutableClock, audit_actions, unit_of_work

IRKUTSK = ZoneInfo("Asia/Irkutsk")
Factory = async_sessionmaker[AsyncSession]
UNSUBSCRIBE = "https://bot.example.ru/email/unsubscribe"


def morning(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T09:00").replace(tzinfo=IRKUTSK).astimezone(UTC)


@pytest.fixture
def mail() -> Iterator[MailServer]:
    with MailServer() as server:
        yield server


async def links(token: str) -> list[JoinLink]:
    return [JoinLink("Telegram", f"https://t.me/roadmap_bot?start={token}")]


class Post:
    """The day's e-mails composed and handed to the test's SMTP server."""

    def __init__(
        self,
        factory: Factory,
        clock: MutableClock,
        port: int,
        *,
        unsubscribe_base: str | None = UNSUBSCRIBE,
        join_links: JoinLinks | None = None,
    ) -> None:
        composer = EmailComposer(
            factory,
            build_i18n("ru"),
            clock,
            IRKUTSK,
            sender="Управление образования <bot@edu.example.ru>",
            unsubscribe_base=unsubscribe_base,
        )
        self.daily = DailyEmails(composer, join_links or links)
        self.outbox = EmailOutbox(
            factory,
            SmtpSender(SmtpServer("127.0.0.1", port, "bot@edu.example.ru", starttls=False)),
            clock,
        )

    async def day(self) -> tuple[int, EmailStats]:
        return await self.daily.queue(), await self.outbox.dispatch()


async def setup(factory: Factory, clock: MutableClock) -> dict[str, int]:
    """The Ust-Kut roadmap; three heads with addresses: one never joined, one in the chat,
    one who blocked the bot."""
    heads = [
        SchoolHead("СОШ № 1", "Иванова Мария Петровна", "директор", "maria@sosh1.ru", None, False),
        SchoolHead("СОШ № 2", "Петров Пётр Петрович", "директор", "petr@sosh2.ru", None, False),
        SchoolHead("СОШ № 3", "Сидорова Ольга Ивановна", "директор", "olga@sosh3.ru", None, False),
    ]
    async with unit_of_work(factory) as uow:
        await import_school_heads(uow, heads, now=clock.now())
        await save_roadmap(
            uow,
            build_draft(seed_document("ust_kut"), fallback_year=2026),
            now=clock.now(),
            timezone="Asia/Irkutsk",
        )
        await sync_occurrences(uow)
        people = {p.full_name: p for p in await uow.session.scalars(select(Person))}
        petr, olga = people["Петров Пётр Петрович"], people["Сидорова Ольга Ивановна"]
        petr.user_address = petr.chat_address = 2002
        olga.user_address = olga.chat_address = 2003
        olga.unreachable_since_at = clock.now()
        await uow.commit()
    return {name: person.id for name, person in people.items()}


def body(message: EmailMessage) -> str:
    plain = message.get_body(("plain",))
    assert plain is not None
    return str(plain.get_content())


async def test_who_is_in_no_messenger_gets_one_e_mail_a_day_with_links(
    session_factory: Factory, mail: MailServer
) -> None:
    clock = MutableClock(morning("2026-04-03"))  # П3.2 is due on 17 April: 14 days ahead
    await setup(session_factory, clock)
    post = Post(session_factory, clock, mail.port)

    queued, stats = await post.day()
    assert (queued, stats.sent) == (2, 2)
    assert mail.mailbox.to("petr@sosh2.ru") == []  # in the chat: reminded there
    (maria,) = mail.mailbox.to("maria@sosh1.ru")
    (olga,) = mail.mailbox.to("olga@sosh3.ru")  # blocked the bot: e-mail reaches her
    text = body(maria)
    assert maria["Subject"].startswith("Дорожная карта: ")
    assert "Здравствуйте, Мария Петровна!" in text
    assert "П3.2" in text and "срок 17 апреля 2026" in text
    assert "https://t.me/roadmap_bot?start=" in text
    assert maria["List-Unsubscribe"].startswith(f"<{UNSUBSCRIBE}/")
    assert maria["Content-Language"] == "ru"
    assert "П3.2" in body(olga)

    assert await post.day() == (0, EmailStats())  # the same day again: nothing more

    clock.set(morning("2026-04-06"))  # no reminder of П3.2 falls between the 3rd and the 6th
    await post.day()
    assert all("П3.2" not in body(m) for m in mail.mailbox.to("maria@sosh1.ru")[1:])
    clock.set(morning("2026-04-10"))  # 7 days before
    await post.day()
    assert "П3.2" in body(mail.mailbox.to("maria@sosh1.ru")[-1])


async def both_links(token: str) -> list[JoinLink]:
    return [
        JoinLink("MAX", f"https://max.ru/roadmap_bot?start={token}"),
        JoinLink("Telegram", f"https://t.me/roadmap_bot?start={token}"),
    ]


async def test_a_heads_reply_reaches_the_coordinator_and_unsubscribing_needs_no_bot(
    session_factory: Factory, mail: MailServer
) -> None:
    clock = MutableClock(morning("2026-04-03"))
    await setup(session_factory, clock)
    async with unit_of_work(session_factory) as uow:
        uow.session.add(
            Person(
                full_name="Антипина Анна Михайловна",
                role="coordinator",
                email="antipina@uo.example.ru",
                phone="+7 395 652-11-22",
                user_address=1001,
                chat_address=1001,
                created_at=clock.now(),
            )
        )
        await uow.commit()
    post = Post(session_factory, clock, mail.port, unsubscribe_base=None, join_links=both_links)

    await post.day()
    (maria,) = mail.mailbox.to("maria@sosh1.ru")
    text = " ".join(body(maria).split())

    # Decoded as mail programs do (RFC 2047: adjacent encoded words join without a space).
    raw_reply_to = dict(maria.raw_items())["Reply-To"]
    assert str(make_header(decode_header(str(raw_reply_to)))) == (
        "Антипина Анна Михайловна <antipina@uo.example.ru>"
    )
    assert (
        "Вопросы — координатору дорожной карты: Антипина Анна Михайловна, телефон "
        "+7 395 652-11-22. Можно просто ответить на это письмо."
    ) in text
    # MAX first, each messenger's own start button, no «в два касания».
    assert text.index("https://max.ru/") < text.index("https://t.me/")
    assert "нажмите «Начать» в MAX или «Запустить» в Telegram" in text
    assert "два касания" not in text and "называет вас" not in text
    # Never joined: unsubscribing must not need the bot.
    assert "/email" not in text
    assert (
        "Чтобы письма больше не приходили, ответьте на это письмо и попросите координатора "
        "удалить ваш адрес."
    ) in text


async def test_refused_for_now_is_sent_once_after_the_backoff(
    session_factory: Factory, mail: MailServer
) -> None:
    clock = MutableClock(morning("2026-04-03"))
    await setup(session_factory, clock)
    post = Post(session_factory, clock, mail.port)
    mail.mailbox.refuse_next.extend(["451 4.3.0 Mailbox busy", "421 4.7.0 Try again later"])

    _queued, stats = await post.day()
    assert (stats.sent, stats.retried) == (0, 2)
    assert await post.outbox.dispatch() == EmailStats()  # not before the backoff
    clock.advance(timedelta(minutes=1))
    stats = await post.outbox.dispatch()
    assert stats.sent == 2
    assert len(mail.mailbox.to("maria@sosh1.ru")) == 1  # once
    async with session_factory() as session:
        rows = list(await session.scalars(select(EmailRow)))
    assert {(row.state, row.attempts) for row in rows} == {("sent", 2)}


async def test_an_address_that_bounces_makes_the_person_unreachable_by_e_mail(
    session_factory: Factory, mail: MailServer
) -> None:
    clock = MutableClock(morning("2026-04-03"))
    ids = await setup(session_factory, clock)
    mail.mailbox.refused_addresses["maria@sosh1.ru"] = "550 5.1.1 No such user here"
    post = Post(session_factory, clock, mail.port)

    _queued, stats = await post.day()
    assert (stats.sent, stats.bounced) == (1, 1)
    async with session_factory() as session:
        maria = await session.get(Person, ids["Иванова Мария Петровна"])
        assert maria is not None and maria.email_unreachable_at == clock.now()
        assert "550" in (maria.email_unreachable_reason or "")
    assert ("email.bounced", "ok") in await audit_actions(session_factory)
    async with session_factory() as session:
        bodies = {row.state: row.message for row in await session.scalars(select(EmailRow))}
    assert bodies == {"sent": b"", "bounced": b""}  # neither keeps its links
    clock.set(morning("2026-04-10"))
    await post.day()
    assert mail.mailbox.to("maria@sosh1.ru") == []  # no more tries at a dead address


async def test_a_server_that_keeps_refusing_is_given_up_after_the_attempts(
    session_factory: Factory, mail: MailServer
) -> None:
    clock = MutableClock(morning("2026-04-03"))
    await setup(session_factory, clock)
    post = Post(session_factory, clock, mail.port)
    mail.mailbox.refuse_next.extend(["554 5.6.0 Message refused"] * (2 * MAX_EMAIL_ATTEMPTS))

    await post.day()
    for _ in range(MAX_EMAIL_ATTEMPTS):
        clock.advance(timedelta(hours=13))
        await post.outbox.dispatch()
    async with session_factory() as session:
        rows = list(await session.scalars(select(EmailRow)))
    assert {(row.state, row.attempts) for row in rows} == {("failed", MAX_EMAIL_ATTEMPTS)}
    assert all("554" in (row.last_error or "") for row in rows)
    assert all(row.message == b"" for row in rows)  # given up: its links are not kept
    assert mail.received == []


async def test_nothing_waits_when_the_server_is_down_and_nothing_is_lost(
    session_factory: Factory,
) -> None:
    clock = MutableClock(morning("2026-04-03"))
    await setup(session_factory, clock)
    with MailServer() as mail:
        down_port = mail.port  # nothing listens there once the block ends
    post = Post(session_factory, clock, down_port)
    _queued, stats = await post.day()
    assert stats.retried == 2 and "connect" in stats.last_error
    with MailServer() as back:
        post.outbox = EmailOutbox(
            session_factory,
            SmtpSender(SmtpServer("127.0.0.1", back.port, "bot@edu.example.ru", starttls=False)),
            clock,
        )
        clock.advance(timedelta(minutes=1))
        assert (await post.outbox.dispatch()).sent == 2


async def test_joined_or_unsubscribed_meanwhile_the_waiting_e_mail_is_dropped(
    session_factory: Factory, mail: MailServer
) -> None:
    clock = MutableClock(morning("2026-04-03"))
    ids = await setup(session_factory, clock)
    post = Post(session_factory, clock, mail.port)
    mail.mailbox.refuse_next.extend(["451 4.3.0 Busy", "451 4.3.0 Busy"])
    await post.day()
    async with unit_of_work(session_factory) as uow:
        maria = await uow.people.get(ids["Иванова Мария Петровна"])
        olga = await uow.people.get(ids["Сидорова Ольга Ивановна"])
        assert maria is not None and olga is not None
        maria.user_address = maria.chat_address = 2001  # joined through her link
        olga.email_opt_out_at = clock.now()  # unsubscribed
        await uow.commit()
    clock.advance(timedelta(minutes=1))
    assert (await post.outbox.dispatch()).sent == 0
    async with session_factory() as session:
        assert set(await session.scalars(select(EmailRow.state))) == {"cancelled"}
        assert set(await session.scalars(select(EmailRow.message))) == {b""}
    assert mail.received == []


async def test_a_server_that_never_answers_is_a_timeout_to_try_again() -> None:
    import asyncio

    from scheduler.smtp import EmailOutcome, Failure

    done = asyncio.Event()

    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await done.wait()  # accepts the connection, never greets
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        sender = SmtpSender(SmtpServer("127.0.0.1", port, "bot@uo.ru", starttls=False, timeout=0.3))
        result = await sender.send("a@uo.ru", b"Subject: x\r\n\r\nx\r\n")
    finally:
        done.set()
        server.close()
        await server.wait_closed()
    assert (result.outcome, result.failure) == (EmailOutcome.RETRY, Failure.TIMEOUT)


async def test_a_digest_whose_report_is_too_large_says_where_to_get_it(
    session_factory: Factory, mail: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import handlers.email.jobs
    from handlers.email.jobs import DigestEmails

    clock = MutableClock(morning("2026-04-20"))
    await setup(session_factory, clock)
    post = Post(session_factory, clock, mail.port)
    composer = EmailComposer(
        session_factory, build_i18n("ru"), clock, IRKUTSK, sender="bot@edu.example.ru"
    )
    monkeypatch.setattr(handlers.email.jobs, "MAX_ATTACHMENT", 1_000)  # any report is larger

    assert await DigestEmails(composer).queue(to="anna@uo.example.ru") == 1
    await post.outbox.dispatch()
    (digest,) = mail.mailbox.to("anna@uo.example.ru")
    assert list(digest.iter_attachments()) == []
    assert (
        "Отчёт о реализации не приложен: с ним письмо стало бы слишком большим. Получите его в "
        "боте командой /export."
    ) in body(digest)


async def test_the_digest_attaches_each_active_roadmaps_report_and_no_archived_one(
    session_factory: Factory, mail: MailServer
) -> None:
    """Three roadmaps: Усть-Кут's (2026–2030) and Усть-Илимск's (2024–2025) are live in April
    2025, Северобайкальск's (2022–2024) is over. The coordinator's Monday e-mail carries the
    two live reports, each file named by the roadmap's number in the bot's lists."""
    from handlers.email.jobs import DigestEmails

    clock = MutableClock(morning("2025-04-21"))
    await _three_roadmaps(session_factory, clock)
    post = Post(session_factory, clock, mail.port)
    composer = EmailComposer(
        session_factory, build_i18n("ru"), clock, IRKUTSK, sender="bot@edu.example.ru"
    )

    assert await DigestEmails(composer).queue(to="anna@uo.example.ru") == 1
    await post.outbox.dispatch()
    (digest,) = mail.mailbox.to("anna@uo.example.ru")
    names = sorted(str(part.get_filename()) for part in digest.iter_attachments())
    assert names == [
        "Отчет о реализации на 21.04.2025 (дорожная карта № 1).xlsx",
        "Отчет о реализации на 21.04.2025 (дорожная карта № 2).xlsx",
    ]
    text = body(digest)
    assert "отчёт о реализации каждой дорожной карты" in text
    assert "Усть-Кут" in text and "сопровождению общеобразова" in text
    assert "2022-2024" not in text  # the archived roadmap is a /export away, not attached


async def _three_roadmaps(factory: Factory, clock: MutableClock) -> None:
    """Усть-Кут's (2026–2030) and Усть-Илимск's (2024–2025) live in April 2025,
    Северобайкальск's (2022–2024) over."""
    async with unit_of_work(factory) as uow:
        for name in ("ust_kut", "severobaikalsk", "ust_ilimsk"):
            await save_roadmap(
                uow,
                build_draft(seed_document(name), fallback_year=2025),
                now=clock.now(),
                timezone="Asia/Irkutsk",
            )
        await sync_occurrences(uow)
        await uow.commit()


async def test_each_report_too_large_for_the_digest_is_named_with_where_to_get_it(
    session_factory: Factory, mail: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two live roadmaps; the first report fits in the e-mail, the second would make it too
    large: the letter carries the first, and names the second by its number and title with
    /export, instead of dropping it without a word."""
    import io

    import handlers.email.jobs
    from handlers.email.jobs import DigestEmails
    from handlers.export.report_files import write_export
    from storage.usecases.export import export_scope
    from storage.usecases.roadmap_choice import roadmap_entries

    clock = MutableClock(morning("2025-04-21"))
    await _three_roadmaps(session_factory, clock)
    async with unit_of_work(session_factory) as uow:
        first = (await roadmap_entries(uow, clock.now().date()))[0]
        roadmap = await uow.roadmaps.get(first.id)
        assert roadmap is not None and first.number == 1 and "Усть-Илимский" in roadmap.title
        buffer = io.BytesIO()
        i18n = build_i18n("ru")
        with i18n.context(), i18n.use_locale("ru"):  # the letter's report, as the job writes it
            await write_export(uow, export_scope(clock.now().date(), IRKUTSK), buffer, roadmap)
    monkeypatch.setattr(handlers.email.jobs, "MAX_ATTACHMENT", len(buffer.getvalue()) + 100)
    post = Post(session_factory, clock, mail.port)
    composer = EmailComposer(
        session_factory, build_i18n("ru"), clock, IRKUTSK, sender="bot@edu.example.ru"
    )

    assert await DigestEmails(composer).queue(to="anna@uo.example.ru") == 1
    await post.outbox.dispatch()
    (digest,) = mail.mailbox.to("anna@uo.example.ru")
    names = [str(part.get_filename()) for part in digest.iter_attachments()]
    assert names == ["Отчет о реализации на 21.04.2025 (дорожная карта № 1).xlsx"]
    text = " ".join(body(digest).split())
    assert "Во вложении — отчёты о реализации на 21.04.2025" in text
    assert (
        "Не приложен отчёт этой дорожной карты: с ним письмо стало бы слишком большим. "
        "Получите его в боте командой /export, выбрав дорожную карту по номеру: "
        "№ 2. «Дорожная карта повышения качества образования в Усть-Кутском"
    ) in text

    # Neither fits: both named, and nothing attached.
    monkeypatch.setattr(handlers.email.jobs, "MAX_ATTACHMENT", 100)
    assert await DigestEmails(composer).queue(to="olga@uo.example.ru") == 1
    await post.outbox.dispatch()
    (digest,) = mail.mailbox.to("olga@uo.example.ru")
    assert list(digest.iter_attachments()) == []
    text = " ".join(body(digest).split())
    assert "Не приложены отчёты этих дорожных карт" in text
    assert "№ 1. «Муниципальная" in text and "№ 2. «Дорожная карта повышения" in text


async def test_each_coordinators_monday_e_mail_holds_her_own_roadmaps(
    session_factory: Factory, mail: MailServer
) -> None:
    """Two live roadmaps, Анна named for Усть-Кут's and Вера for Усть-Илимск's: each one's
    Monday e-mail attaches her roadmap's report only."""
    from handlers.email.jobs import DigestEmails
    from storage.usecases.roadmap_coordinators import name_coordinators

    clock = MutableClock(morning("2025-04-21"))
    await _three_roadmaps(session_factory, clock)
    async with unit_of_work(session_factory) as uow:
        people = {}
        for name, address in (
            ("Антипина Анна Михайловна", "anna@uo.example.ru"),
            ("Борисова Вера Павловна", "vera@uo.example.ru"),
        ):
            person = await uow.people.add(full_name=name, role="coordinator", now=clock.now())
            person.email, person.digest_by_email = address, True
            people[address] = person.id
        for words, address in (("сопровождению", "vera"), ("Усть-Кут", "anna")):
            roadmap = await uow.session.scalar(
                select(Roadmap.id).where(Roadmap.title.contains(words))
            )
            assert roadmap is not None
            await name_coordinators(uow, roadmap, [people[f"{address}@uo.example.ru"]])
        await uow.commit()
    post = Post(session_factory, clock, mail.port)
    composer = EmailComposer(
        session_factory, build_i18n("ru"), clock, IRKUTSK, sender="bot@edu.example.ru"
    )

    assert await DigestEmails(composer).queue() == 2
    await post.outbox.dispatch()
    for address, theirs, not_theirs in (
        ("anna@uo.example.ru", "Усть-Кут", "сопровождению"),
        ("vera@uo.example.ru", "сопровождению", "Усть-Кут"),
    ):
        (digest,) = mail.mailbox.to(address)
        (report,) = list(digest.iter_attachments())
        assert "(дорожная карта №" not in str(report.get_filename())  # hers is one roadmap
        payload = report.get_payload(decode=True)
        assert isinstance(payload, bytes)
        title = str(openpyxl.load_workbook(io.BytesIO(payload))["Отчет"]["A1"].value)
        assert theirs in title and not_theirs not in title, address
        assert not_theirs not in body(digest), address
