"""Finding 2 of the outside review: a copy of the database was a key (sent e-mails kept whole
with their join links; calendar and unsubscribe tokens in plain text). After invitations,
calendar links and e-mails are sent, no token anyone was given is in any column, and nothing
read from the database joins or opens anything."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from domain.invitations import CALENDAR_TTL, RedeemOutcome, token_digest
from domain.messengers import MAX_OFFSET
from domain.roles import Role
from standin.smtp import MailServer
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import AccessToken, Base, Invitation, MessengerAccount, Person
from storage.models import EmailMessage as EmailRow
from storage.usecases.calendar import calendar_token, person_by_calendar_token
from storage.usecases.email.settings import person_by_email_token
from storage.usecases.invitations import (
    issue_invitation,
    purge_spent_invitations,
    redeem_invitation,
)
from storage.usecases.tokens import CALENDAR, UNSUBSCRIBE, person_by_token
from tests.scheduler.test_email_outbox import Factory, Post, body, morning, setup
from tests.support import MutableClock, unit_of_work

_JOIN_TOKEN = re.compile(r"start=([A-Za-z0-9_-]{16,})")
_UNSUBSCRIBE_TOKEN = re.compile(r"unsubscribe/([A-Za-z0-9_-]{16,})")


@pytest.fixture
def mail() -> Iterator[MailServer]:
    with MailServer() as server:
        yield server


async def database_text(factory: Factory) -> str:
    """Every value of every row of every table, as text."""
    values: list[str] = []
    async with factory() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                for value in row:
                    if isinstance(value, bytes):
                        values.append(value.decode("latin-1"))
                    elif value is not None:
                        values.append(str(value))
    return "\n".join(values)


async def test_a_copy_of_the_database_holds_no_token_that_joins_or_opens_anything(
    session_factory: Factory, mail: MailServer
) -> None:
    clock = MutableClock(morning("2026-04-03"))
    ids = await setup(session_factory, clock)
    post = Post(session_factory, clock, mail.port)
    await post.day()
    clock.set(morning("2026-04-10"))
    await post.day()
    joins: set[str] = set()
    unsubscribes: set[str] = set()
    for message in mail.mailbox.received:
        joins.update(_JOIN_TOKEN.findall(body(message)))
        unsubscribes.update(_UNSUBSCRIBE_TOKEN.findall(str(message["List-Unsubscribe"])))
    async with unit_of_work(session_factory) as uow:
        invited = await issue_invitation(
            uow, full_name="Новикова Нина Юрьевна", role=Role.OBSERVER, now=clock.now()
        )
        petr = await uow.session.get(Person, ids["Петров Пётр Петрович"])
        assert petr is not None
        calendar = await calendar_token(uow, petr, now=clock.now(), ttl=CALENDAR_TTL)
        assert calendar is not None
        await uow.commit()
    given = joins | unsubscribes | {invited.token, calendar}
    assert (len(joins), len(unsubscribes)) == (4, 4)  # two days' e-mails to two people

    stored = await database_text(session_factory)
    assert [token for token in given if token in stored] == []
    async with session_factory() as session:
        bodies = (await session.scalars(select(EmailRow.message))).all()
        digests = list(await session.scalars(select(Invitation.token_digest)))
        digests += list(await session.scalars(select(AccessToken.digest)))
    assert bodies and all(message == b"" for message in bodies)  # sent: only metadata kept

    # What a copy holds opens nothing: not as an invitation, a calendar or an unsubscribe link.
    async with unit_of_work(session_factory) as uow:
        for digest in digests:
            joined = await redeem_invitation(
                uow,
                token=digest,
                user_address=9001,
                chat_id=9001,
                username=None,
                locale="ru",
                now=clock.now(),
            )
            assert joined.outcome is RedeemOutcome.UNKNOWN
            for purpose in (CALENDAR, UNSUBSCRIBE):
                assert await person_by_token(uow, digest, purpose, clock.now()) is None
        # While the tokens people were given still do.
        assert await person_by_calendar_token(uow, calendar, clock.now()) is not None
        for unsubscribe in unsubscribes:
            assert await person_by_email_token(uow, unsubscribe, clock.now()) is not None
        for join in joins:  # a join link is no unsubscribe link
            assert await person_by_email_token(uow, join, clock.now()) is None


async def test_calendar_and_unsubscribe_links_run_out_and_spent_links_are_purged(
    session_factory: Factory,
) -> None:
    clock = MutableClock(morning("2026-04-03"))
    ids = await setup(session_factory, clock)
    async with unit_of_work(session_factory) as uow:
        maria = await uow.session.get(Person, ids["Иванова Мария Петровна"])
        assert maria is not None
        first = await calendar_token(uow, maria, now=clock.now(), ttl=timedelta(days=365))
        assert first is not None
        # Asked again while it works: not shown again (only its digest is kept).
        assert await calendar_token(uow, maria, now=clock.now(), ttl=timedelta(days=365)) is None
        renewed = await calendar_token(
            uow, maria, now=clock.now(), ttl=timedelta(days=365), renew=True
        )
        assert renewed is not None
        assert await person_by_calendar_token(uow, first, clock.now()) is None  # revoked
        assert await person_by_calendar_token(uow, renewed, clock.now()) is not None
        later = clock.now() + timedelta(days=366)
        assert await person_by_calendar_token(uow, renewed, later) is None  # ran out
        again = await calendar_token(uow, maria, now=later, ttl=timedelta(days=365))
        assert again is not None  # re-issued on demand once the old one ran out
        await uow.commit()

    async with unit_of_work(session_factory) as uow:
        kept = await issue_invitation(
            uow, full_name="Новикова Нина Юрьевна", role=Role.OBSERVER, now=clock.now()
        )
        await uow.commit()
    from bot.app import purges
    from bot.settings import Settings
    from scheduler.purge import NightlyPurge

    clock.set(clock.now() + timedelta(days=15))  # every invitation of setup() ran out
    async with unit_of_work(session_factory) as uow:
        fresh = await issue_invitation(
            uow, full_name="Орлова Ольга Олеговна", role=Role.OBSERVER, now=clock.now()
        )
        await uow.commit()
    nightly = NightlyPurge(session_factory, clock, purges(Settings(_env_file=None)))
    deleted = await nightly.run()
    assert deleted["tokens"] >= 2  # the revoked calendar tokens
    async with session_factory() as session:
        left = {i.person_id for i in await session.scalars(select(Invitation))}
        purposes = [t.revoked_at for t in await session.scalars(select(AccessToken))]
    assert left == {fresh.person_id} and kept.person_id not in left
    assert purposes == [None]  # only the live calendar token stays
    async with session_factory() as session:
        assert await purge_spent_invitations(session, clock.now()) == 0


async def test_the_migration_turns_plain_tokens_into_digests_and_clears_sent_bodies(
    db_url: str,
) -> None:
    """A database from before: plain calendar and unsubscribe tokens, a sent e-mail with its
    join link, a leftover invitation of someone who joined."""
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0014")
        at = "2026-04-01 00:00:00+00:00"
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO people (id, full_name, role, telegram_user_id, "
                    "telegram_chat_id, calendar_token, email_token, is_active, created_at, "
                    "digest_by_email) VALUES (1, 'Иванова Мария Петровна', 'responsible', 11, "
                    "11, 'plain-calendar-token-0123456789', 'plain-email-token-0123456789', "
                    f"{'true' if 'postgresql' in db_url else '1'}, :at, "
                    f"{'false' if 'postgresql' in db_url else '0'})"
                ),
                {"at": datetime.fromisoformat(at)},
            )
            await connection.execute(
                text(
                    "INSERT INTO invitations (token_digest, person_id, created_at, expires_at) "
                    "VALUES (:digest, 1, :at, :expires)"
                ),
                {
                    "digest": token_digest("leftover-invitation-0123456789"),
                    "at": datetime.fromisoformat(at),
                    "expires": datetime.fromisoformat(at) + timedelta(days=3650),
                },
            )
            for state in ("sent", "pending"):
                await connection.execute(
                    text(
                        "INSERT INTO emails (person_id, kind, key, to_address, subject, message, "
                        "state, attempts, next_attempt_at, created_at) VALUES (1, 'daily', :key, "
                        "'maria@sosh1.ru', 'Дорожная карта', :message, :state, 1, :at, :at)"
                    ),
                    {
                        "key": f"daily:1:{state}",
                        "message": b"https://t.me/bot?start=sent-join-token-0123456789",
                        "state": state,
                        "at": datetime.fromisoformat(at),
                    },
                )
        await upgrade(engine)
        factory = create_session_factory(engine)
        stored = await database_text(factory)
        for plain in ("plain-calendar-token", "plain-email-token", "sent-join-token"):
            assert stored.count(plain) == (1 if plain == "sent-join-token" else 0)  # pending kept
        now = datetime.now(UTC)
        async with unit_of_work(factory) as uow:
            found = await person_by_calendar_token(uow, "plain-calendar-token-0123456789", now)
            assert found is not None and found.id == 1  # links handed out keep working
            assert await person_by_email_token(uow, "plain-email-token-0123456789", now)
            leftover = await redeem_invitation(
                uow,
                token="leftover-invitation-0123456789",
                user_address=MAX_OFFSET + 5,
                chat_id=MAX_OFFSET + 5,
                username=None,
                locale="ru",
                now=now,
            )
            assert leftover.outcome is RedeemOutcome.USED  # revoked: she had joined
    finally:
        await engine.dispose()


async def test_two_links_of_one_person_opened_at_once_in_both_messengers_make_one_person(
    session_factory: Factory,
) -> None:
    """Maria opens one link in Telegram while a stranger opens her other one in MAX, at the
    same moment: one of them joins, the other is refused (the person's row is locked)."""
    clock = MutableClock(morning("2026-04-03"))
    async with unit_of_work(session_factory) as uow:
        first = await issue_invitation(
            uow, full_name="Иванова Мария Петровна", role=Role.RESPONSIBLE, now=clock.now()
        )
        second = await issue_invitation(
            uow, full_name="Иванова Мария Петровна", role=Role.RESPONSIBLE, now=clock.now()
        )
        await uow.commit()

    maria_redeemed = asyncio.Event()

    async def open_link(token: str, address: int, *, first: bool) -> RedeemOutcome:
        if not first:
            await maria_redeemed.wait()  # the stranger opens his while hers is not committed
        async with unit_of_work(session_factory) as uow:
            redemption = await redeem_invitation(
                uow,
                token=token,
                user_address=address,
                chat_id=address,
                username=None,
                locale="ru",
                now=clock.now(),
            )
            if first:
                maria_redeemed.set()
                await asyncio.sleep(0.3)  # her welcome is being sent before the commit
            await uow.commit()
            return redemption.outcome

    maria, stranger = await asyncio.gather(
        open_link(first.token, 101, first=True),
        open_link(second.token, MAX_OFFSET + 202, first=False),
    )
    assert maria is RedeemOutcome.OK
    assert stranger in (RedeemOutcome.USED, RedeemOutcome.HAS_ACCOUNT)
    async with session_factory() as session:
        accounts = list(await session.scalars(select(MessengerAccount.user_address)))
    assert accounts == [101]
