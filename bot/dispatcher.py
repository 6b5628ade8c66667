"""The Dispatcher: conversation state, the per-user lock, the middlewares and every router."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.conversation_store import ConversationFlushMiddleware, DatabaseStorage
from bot.settings import RedisSection, Settings
from bot.update_log_context import UpdateLogContextMiddleware
from domain.clock import Clock
from handlers.common.menus import set_default_menus
from handlers.common.middlewares import (
    IdentityMiddleware,
    PersonLocaleMiddleware,
    UnitOfWorkMiddleware,
)
from handlers.common.private_chats import PrivateChatsOnlyMiddleware
from handlers.routing import build_router
from storage.identity_cache import PersonCache

logger = logging.getLogger(__name__)


def build_fsm_storage(
    redis: RedisSection, session_factory: async_sessionmaker[AsyncSession], clock: Clock
) -> tuple[BaseStorage, BaseEventIsolation]:
    """Conversation state and the one-update-at-a-time-per-user lock. Without Redis: the state
    in the database (a restart loses no half-written report) and the lock in this process. With
    Redis: both there, where every replica sees them (a user's next message may reach any)."""
    ttl = timedelta(days=redis.state_days)
    if not redis.url:
        return DatabaseStorage(session_factory, clock, ttl), SimpleEventIsolation()
    storage = RedisStorage.from_url(
        redis.url,
        key_builder=DefaultKeyBuilder(prefix=redis.prefix, with_destiny=True),
        state_ttl=ttl,
        data_ttl=ttl,
    )
    return storage, storage.create_isolation()


def build_dispatcher(
    *,
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    i18n: I18n,
    clock: Clock,
    subscriptions: str | None = None,
) -> Dispatcher:
    """``subscriptions``: the base URL of calendar subscriptions, when a web server serves them."""
    storage, isolation = build_fsm_storage(settings.redis, session_factory, clock)
    dispatcher = Dispatcher(
        storage=storage,
        clock=clock,
        i18n=i18n,
        timezone=ZoneInfo(settings.timezone),
        invite_ttl=timedelta(days=settings.invite_ttl_days),
        window=settings.scheduler.window,  # «Напомнить сейчас» at night says when it will
        calendar_ttl=timedelta(days=settings.calendar_token_days),
        evidence_dir=Path(settings.evidence_dir),
        report_notifications=settings.report_notifications,
        issuing_body=settings.issuing_body,
        calendar_url=subscriptions,
        events_isolation=isolation,  # one update at a time per user: no races in a conversation
    )
    dispatcher.update.outer_middleware(UpdateLogContextMiddleware())
    # Before anything that reads or writes: a group is answered one line and nothing happens.
    dispatcher.update.outer_middleware(PrivateChatsOnlyMiddleware())
    if isinstance(storage, DatabaseStorage):
        dispatcher.update.outer_middleware(ConversationFlushMiddleware(storage))
    dispatcher.update.outer_middleware(UnitOfWorkMiddleware(session_factory))
    dispatcher.update.outer_middleware(
        IdentityMiddleware(PersonCache(settings.identity_cache_seconds))
    )
    PersonLocaleMiddleware(i18n).setup(dispatcher)
    dispatcher.include_router(build_router())
    dispatcher.startup.register(_on_startup)
    return dispatcher


async def _on_startup(bot: Bot, i18n: I18n) -> None:
    me = await bot.me()
    logger.info("bot @%s is up", me.username)
    await set_default_menus(bot, i18n)
