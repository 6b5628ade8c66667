"""The per-Telegram-account person cache: no query on a hit, forgets on any change."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.identity_cache import PersonCache
from storage.models import Person
from storage.unit_of_work import UnitOfWork

NOW = datetime(2026, 4, 1, tzinfo=UTC)


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def joined_person(factory: async_sessionmaker[AsyncSession], telegram_id: int) -> Person:
    async with factory() as session:
        uow = UnitOfWork(session)
        person = await uow.people.add(full_name="Иванова Мария", role="responsible", now=NOW)
        uow.people.mark_joined(
            person, user_address=telegram_id, chat_id=telegram_id, username=None,
            locale="ru", now=NOW,
        )  # fmt: skip
        await uow.commit()
        return person


def count_statements(engine: AsyncEngine) -> list[str]:
    seen: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    return seen


async def test_a_hit_costs_no_query_and_can_be_changed_and_saved(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await joined_person(session_factory, 501)
    cache = PersonCache(30)
    cache.remember(person)
    statements = count_statements(engine)
    async with session_factory() as session:
        cached = await cache.get(session, 501)
        assert cached is not None and cached.full_name == "Иванова Мария"
        assert statements == []
        cached.locale = "en"  # a handler changing the person still writes it
        await session.commit()
    assert await cache.get(session, 501) is None  # the change emptied the cache
    async with session_factory() as session:
        stored = await session.get(Person, person.id)
        assert stored is not None and stored.locale == "en"


async def test_entries_expire_and_strangers_or_inactive_people_are_not_kept(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    person = await joined_person(session_factory, 502)
    ticks = Ticks()
    cache = PersonCache(30, monotonic=ticks)
    cache.remember(person)
    async with session_factory() as session:
        assert await cache.get(session, 502) is not None
        ticks.now += 31
        assert await cache.get(session, 502) is None
        assert await cache.get(session, 999) is None
    person.is_active = False
    cache.remember(person)
    async with session_factory() as session:
        assert await cache.get(session, 502) is None
    assert not PersonCache(0).enabled


async def test_a_change_in_another_session_is_seen_at_once(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    person = await joined_person(session_factory, 503)
    cache = PersonCache(30)
    cache.remember(person)
    async with session_factory() as session:
        stored = await session.get(Person, person.id)
        assert stored is not None
        stored.role = "observer"
        await session.commit()
    async with session_factory() as session:
        assert await cache.get(session, 503) is None
