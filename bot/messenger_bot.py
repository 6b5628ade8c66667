"""The one aiogram ``Bot`` for every messenger configured: Telegram's session, MAX's, or both
behind ``messengers.session.MessengerSession``, which sends each call to its chat's messenger."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import SystemClock
from bot.settings import Settings
from domain.clock import Clock
from messengers.max.api import MaxApi
from messengers.max.session import MaxSession
from messengers.pacing import ChatPacer
from messengers.retry import RetryRequestMiddleware
from messengers.session import MessengerSession
from storage.engine import create_reader_engine
from storage.usecases.max_messages import MaxMessageIds


class MissingTokenError(RuntimeError):
    pass


MAX_ONLY_TOKEN = "1:max-only"  # aiogram's Bot wants a Telegram-shaped token; MAX never sees it


def build_max_ids(
    settings: Settings, session_factory: async_sessionmaker[AsyncSession]
) -> MaxMessageIds | None:
    """Where MAX message ids are kept, shared by everything that talks to MAX."""
    if not settings.max.enabled:
        return None
    return MaxMessageIds(session_factory, create_reader_engine(settings.db.url))


def chat_pacer(settings: Settings) -> ChatPacer:
    """Each messenger's per-chat limit for every message the process sends; share one."""
    return ChatPacer(settings.scheduler.per_chat_interval, settings.max.per_chat_interval)


def build_max_session(
    settings: Settings, ids: MaxMessageIds, clock: Clock, pacer: ChatPacer | None = None
) -> MaxSession | None:
    options = settings.max
    if options.token is None or not options.token.get_secret_value():
        return None
    api = MaxApi(
        options.api_url,
        options.token.get_secret_value(),
        retry_after=options.retry_after_seconds,
        proxy=settings.proxy_url,
    )
    return MaxSession(
        api,
        ids,
        clock,
        upload_attempts=options.upload_attempts,
        upload_pause=options.upload_pause,
        file_timeout=options.file_timeout,
        file_hosts=options.file_host_list,
        pacer=pacer or chat_pacer(settings),
    )


def build_bot(
    settings: Settings,
    *,
    retry: bool = True,
    max_ids: MaxMessageIds | None = None,
    clock: Clock | None = None,
    pacer: ChatPacer | None = None,
) -> Bot:
    """One bot for every configured messenger (``messengers.session``). ``retry=False``
    for the reminder sender, which handles the messengers' errors itself (a 429 must pause
    all sending, not only the request that got it). MAX needs ``max_ids``, where its message
    ids are kept; without them the bot is Telegram's alone. ``pacer``: shared by the bots of
    one process, so that all their messages to a chat keep within its limit together."""
    pacer = pacer or chat_pacer(settings)
    telegram = None
    token = MAX_ONLY_TOKEN
    if settings.bot.enabled and settings.bot.token is not None:
        telegram = AiohttpSession(
            api=TelegramAPIServer.from_base(settings.bot.api_url), proxy=settings.proxy_url
        )
        token = settings.bot.token.get_secret_value()
    max_session = None
    if max_ids is not None:
        max_session = build_max_session(settings, max_ids, clock or SystemClock(), pacer)
    if telegram is None and max_session is None:
        raise MissingTokenError("BOT__TOKEN or MAX__TOKEN")
    session = MessengerSession(telegram, max_session, pacer)
    if retry:
        session.middleware(RetryRequestMiddleware())
    return Bot(token=token, session=session)


def max_of(bot: Bot) -> MaxSession | None:
    """The bot's MAX session, if it speaks MAX."""
    session = bot.session
    return session.max if isinstance(session, MessengerSession) else None
