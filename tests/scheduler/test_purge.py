"""The nightly purge: expired conversation states and strangers' audit rows older than the
setting are deleted; members' rows and fresh ones stay (issue 26, finding 13)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import PURGE_JOB, purges
from bot.settings import Settings
from domain.roles import Role
from scheduler.purge import NightlyPurge, Purge
from storage.models import AuditEvent, ConversationState, EmailMessage, Person
from storage.unit_of_work import UnitOfWork
from tests.conftest import RunningBot
from tests.support import MutableClock


async def test_the_nightly_purge_forgets_old_states_and_strangers_and_keeps_the_rest(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    now = clock.now()
    old, fresh = now - timedelta(days=31), now - timedelta(days=2)
    async with session_factory() as session:
        member = Person(
            full_name="Иванова Мария Петровна", role=Role.RESPONSIBLE.value, created_at=now
        )
        session.add(member)
        await session.flush()
        session.add_all(
            [
                ConversationState(key="old", state="Report:text", data={}, updated_at=old),
                ConversationState(key="fresh", state="Report:text", data={}, updated_at=fresh),
                AuditEvent(at=old, action="stranger.message", outcome="refused", user_address=5),
                AuditEvent(at=fresh, action="stranger.message", outcome="refused", user_address=6),
                AuditEvent(at=old, action="report.saved", person_id=member.id, user_address=7),
                AuditEvent(at=old, action="roadmap.import"),  # the command line's: no address
            ]
        )
        await session.commit()

    settings = Settings(_env_file=None)  # conversations and strangers: 30 days
    deleted = await NightlyPurge(session_factory, clock, purges(settings)).run()

    assert deleted == {
        "conversations": 1,
        "strangers": 1,
        "invitations": 0,
        "tokens": 0,
        "email_bodies": 0,
    }
    async with session_factory() as session:
        keys = set(await session.scalars(select(ConversationState.key)))
        left = set(await session.scalars(select(AuditEvent.user_address)))
    assert keys == {"fresh"}
    assert left == {6, 7, None}


async def test_one_failing_purge_leaves_the_others_done(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    async def broken(_uow: UnitOfWork, _before: object) -> int:
        raise RuntimeError("boom")

    async def counted(_uow: UnitOfWork, _before: object) -> int:
        return 3

    runs = NightlyPurge(
        session_factory,
        clock,
        [Purge("broken", broken, timedelta(days=1)), Purge("counted", counted, timedelta(1))],
    )
    assert await runs.run() == {"counted": 3}


async def test_the_running_bot_schedules_the_purge(running_bot: RunningBot) -> None:
    assert PURGE_JOB in {job.id for job in running_bot.app.scheduler.get_jobs()}


async def test_the_text_of_an_email_sent_long_ago_is_forgotten_its_record_kept(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    now = clock.now()
    old, fresh = now - timedelta(days=31), now - timedelta(days=2)

    def email(key: str, state: str, created_at: datetime) -> EmailMessage:
        return EmailMessage(
            kind="daily",
            key=key,
            to_address="ivanova@school1.example.ru",
            subject="Иванова Мария Петровна: сроки",
            message=b"Hello, Ivanova",
            occurrences=[1, 2],
            state=state,
            next_attempt_at=created_at,
            created_at=created_at,
        )

    async with session_factory() as session:
        session.add_all(
            [
                email("old-sent", "sent", old),
                email("old-bounced", "bounced", old),
                email("old-pending", "pending", old),  # not sent yet: kept whole
                email("fresh-sent", "sent", fresh),
            ]
        )
        await session.commit()

    deleted = await NightlyPurge(session_factory, clock, purges(Settings(_env_file=None))).run()

    assert deleted["email_bodies"] == 2
    async with session_factory() as session:
        rows = {e.key: e for e in await session.scalars(select(EmailMessage))}
    for key in ("old-sent", "old-bounced"):
        assert (rows[key].message, rows[key].subject, rows[key].to_address) == (b"", "", "")
        assert rows[key].occurrences == [1, 2]  # what the day's e-mail already told of
    for key in ("old-pending", "fresh-sent"):
        assert rows[key].message == b"Hello, Ivanova"
