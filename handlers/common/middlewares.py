"""Per-update context: a unit of work, the current person, and their language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18n, I18nMiddleware
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from domain.locales import pick_locale
from storage.identity_cache import PersonCache
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.accounts import note_use, person_by_account
from storage.usecases.outbox.reachability import welcome_back

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UnitOfWorkMiddleware(BaseMiddleware):
    """Opens one database session per update; handlers commit before they say "saved"."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._session_factory() as session:
            data["uow"] = UnitOfWork(session)
            return await handler(event, data)


class IdentityMiddleware(BaseMiddleware):
    """Puts the joined ``person`` (or ``None`` for a stranger) into the handler's data.

    A person seen in the last few seconds comes from ``cache`` without touching the database.
    Otherwise the lookup is a read whose transaction ends at once, so no write lock is held
    while the handler talks to Telegram.
    """

    def __init__(self, cache: PersonCache) -> None:
        self._cache = cache

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        uow: UnitOfWork = data["uow"]
        clock: Clock = data["clock"]
        person = await self._identify(uow, user, clock) if user is not None else None
        if person is not None and person.unreachable_since_at is not None:
            # Writing to the bot means they unblocked it: remind them again from here on.
            await welcome_back(uow, person, clock.now())
            await uow.commit()
            self._cache.clear()
        data["person"] = person
        return await handler(event, data)

    async def _identify(self, uow: UnitOfWork, user: User, clock: Clock) -> Person | None:
        person = await self._cache.get(uow.session, user.id)
        if person is not None:
            return person
        person = await person_by_account(uow, user.id)
        if person is not None and person.is_active and person.user_address != user.id:
            # Their other messenger: it becomes the one reminders go to, unless they chose.
            await note_use(uow, person, user.id, clock.now())
        await uow.session.commit()
        if person is None or not person.is_active:
            return None
        self._cache.remember(person)
        return person


class PersonLocaleMiddleware(I18nMiddleware):
    def __init__(self, i18n: I18n) -> None:
        super().__init__(i18n)

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        person: Person | None = data.get("person")
        return pick_locale(person.locale if person else None, self.i18n.default_locale)
