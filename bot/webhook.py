"""Webhook mode: an aiohttp server that takes Telegram's updates, answers health checks and
serves the counters. Several replicas can run it behind one URL.

An update is answered only after it was handled (``handle_in_background=False``): if a replica
dies mid-update, Telegram (or the proxy) sends the update again instead of it being lost.
aiogram answers anyway after 55 seconds and finishes a slow handler in the background.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import SetWebhook
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from bot.logs import REPLICA
from bot.public_urls import EMAIL_PATH
from bot.settings import Settings
from bot.telegram_webhook import TelegramWebhookHandler
from bot.update_ledger import UpdateLedger
from bot.webhook_guard import GuardedRunner, LogLimit, limit_server_logs

if TYPE_CHECKING:
    from aiogram import Bot, Dispatcher
    from aiogram.utils.i18n import I18n
    from redis.asyncio import Redis
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    from domain.clock import Clock
    from messengers.max.session import MaxSession
    from messengers.max.updates import MaxUpdates
    from scheduler.metrics import ReminderCounters

logger = logging.getLogger(__name__)
HEALTH_TIMEOUT = 3.0  # seconds a dependency may take to answer the health check
BODY_DEADLINE_SECONDS = 5.0  # to send the small form of the unsubscribe page
ACCEPT_BACKLOG = 32


class Served(Protocol):
    """What the web server needs of the running bot (``bot.app.Application`` has it all); a
    protocol, so that the application imports this module and this module not the application."""

    settings: Settings
    bot: Bot
    dispatcher: Dispatcher
    telegram_enabled: bool
    max_session: MaxSession | None
    max_updates: MaxUpdates | None
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    i18n: I18n
    clock: Clock
    redis: Redis | None
    counters: ReminderCounters


class WebhookConfigError(RuntimeError):
    """Webhook mode cannot start as configured (a setting missing, or Telegram refused the
    address); the message says what to change."""


def check_webhook_settings(settings: Settings) -> None:
    """Each configured messenger's webhook needs its address and secret."""
    problem = settings.webhook.problem() if settings.bot.enabled else None
    if problem is None and settings.max.enabled:
        problem = settings.max.webhook_problem()
    if problem is not None:
        raise WebhookConfigError(problem)


def build_web_app(app: Served) -> web.Application:
    webhook = app.settings.webhook
    web_app = web.Application()
    if app.telegram_enabled:
        assert webhook.secret is not None
        TelegramWebhookHandler(
            dispatcher=app.dispatcher,
            bot=app.bot,
            handle_in_background=False,
            secret_token=webhook.secret.get_secret_value(),
            ledger=UpdateLedger(app.redis, app.settings.redis.prefix),
        ).register(web_app, path=webhook.path)
    if app.max_updates is not None:
        secret = app.settings.max.webhook_secret
        assert secret is not None
        web_app.router.add_post(
            app.settings.max.webhook_path, app.max_updates.webhook_route(secret.get_secret_value())
        )
    setup_application(web_app, app.dispatcher, bot=app.bot)
    web_app.router.add_get("/healthz", _health(app))
    web_app.router.add_get("/metrics", _metrics(app))
    web_app.router.add_get("/calendar/{token}.ics", _calendar(app))
    unsubscribe = _unsubscribe(app)
    web_app.router.add_get(EMAIL_PATH + "/{token}", unsubscribe)
    web_app.router.add_post(EMAIL_PATH + "/{token}", unsubscribe)
    return web_app


def _unsubscribe(app: Served) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The unsubscribe link of every e-mail: GET shows the person's setting with a button,
    POST changes it (the button, or a mail program's one-click «Отписаться»). An unknown token
    gets a bare 404, as for calendars."""

    async def unsubscribe(request: web.Request) -> web.Response:
        from handlers.email.unsubscribe_page import SUBSCRIBE, email_page
        from storage.unit_of_work import UnitOfWork
        from storage.usecases.email.settings import person_by_email_token, set_email_wanted

        changed = False
        action = None
        if request.method == "POST":
            # The form is read before the database is touched, within a deadline: a client
            # that sends its body slowly must not hold a connection (on SQLite the only one,
            # with the write lock) while every chat waits.
            try:
                async with asyncio.timeout(BODY_DEADLINE_SECONDS):
                    form = await request.post()
            except TimeoutError:
                raise web.HTTPRequestTimeout() from None
            action = form.get("action")
        async with app.session_factory() as session:
            uow = UnitOfWork(session)
            person = await person_by_email_token(uow, request.match_info["token"], app.clock.now())
            if person is None:
                raise web.HTTPNotFound()
            if request.method == "POST":
                # One-click from a mail program posts «List-Unsubscribe=One-Click».
                wanted = action == SUBSCRIBE
                await set_email_wanted(uow, person, wanted, app.clock.now())
                await uow.commit()
                changed = True
            subscribed = person.email_opt_out_at is None
            locale = person.locale or app.settings.default_locale
        with app.i18n.context(), app.i18n.use_locale(locale):
            page = email_page(subscribed=subscribed, changed=changed, language=locale)
        return web.Response(
            text=page, content_type="text/html", headers={"Cache-Control": "no-store"}
        )

    return unsubscribe


def _calendar(app: Served) -> Callable[[web.Request], Awaitable[web.Response]]:
    """A calendar app refreshing a subscription. An unknown, revoked or malformed token gets
    the same bare 404 as any missing page: nothing tells a guesser it came close."""

    async def calendar(request: web.Request) -> web.Response:
        from formats.calendar_file import calendar_file
        from handlers.calendar.texts import calendar_texts
        from storage.unit_of_work import UnitOfWork
        from storage.usecases.calendar import calendar_of, person_by_calendar_token

        # Whether a roadmap is archived is a local day's question.
        zone = ZoneInfo(app.settings.timezone)

        async with app.session_factory() as session:
            uow = UnitOfWork(session)
            person = await person_by_calendar_token(
                uow, request.match_info["token"], app.clock.now()
            )
            if person is None:
                raise web.HTTPNotFound()
            today = app.clock.now().astimezone(zone).date()
            events = await calendar_of(
                uow, person, organisation=request.query.get("org"), today=today
            )
        locale = person.locale or app.settings.default_locale
        with app.i18n.context(), app.i18n.use_locale(locale):
            data = calendar_file(
                events,
                calendar_texts(),
                timezone=app.settings.timezone,
                bot_link=f"https://t.me/{app.settings.bot.username}"
                if app.settings.bot.username
                else None,
            )
        return web.Response(
            body=data,
            content_type="text/calendar",
            charset="utf-8",
            headers={"Cache-Control": "private, max-age=900"},
        )

    return calendar


def _health(app: Served) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def health(_request: web.Request) -> web.Response:
        checks = {"database": await _check(_database(app)), "redis": "off"}
        if app.redis is not None:
            checks["redis"] = await _check(app.redis.ping())
        healthy = all(value in ("ok", "off") for value in checks.values())
        body = {"status": "ok" if healthy else "failing", "replica": REPLICA, **checks}
        return web.json_response(body, status=200 if healthy else 503)

    return health


async def _database(app: Served) -> None:
    async with app.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _check(probe: Awaitable[object]) -> str:
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT):
            await probe
    except Exception as error:  # any failure makes the replica unhealthy; say which kind
        return f"failing: {type(error).__name__}"
    return "ok"


def _metrics(app: Served) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The counters, for whoever may read them: with ``WEBHOOK__METRICS_TOKEN``, a request
    that carries it; without, a request from this machine that no proxy relayed. Anyone else
    gets the same bare 404 as a page that does not exist."""
    token = app.settings.webhook.metrics_token

    async def metrics(request: web.Request) -> web.Response:
        if not _may_read_metrics(request, token.get_secret_value() if token else None):
            raise web.HTTPNotFound()
        body = generate_latest(app.counters.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return metrics


def _may_read_metrics(request: web.Request, token: str | None) -> bool:
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:
        return False


async def _register(app: Served) -> None:
    """Tell each messenger where to send updates. Every replica sets the same URL: the last
    call wins and they agree."""
    if app.telegram_enabled:
        await _register_telegram(app)
    if app.max_session is not None:
        options = app.settings.max
        assert options.webhook_url is not None and options.webhook_secret is not None
        try:
            await app.max_session.make_request(
                app.bot,
                SetWebhook(
                    url=options.webhook_url,
                    secret_token=options.webhook_secret.get_secret_value(),
                ),
            )
        except TelegramBadRequest as error:
            raise WebhookConfigError(
                f"MAX refused MAX__WEBHOOK_URL={options.webhook_url} ({error.message}); it must "
                "be a public https address with a trusted certificate"
            ) from None


async def _register_telegram(app: Served) -> None:
    webhook = app.settings.webhook
    assert webhook.url is not None and webhook.secret is not None
    try:
        await app.bot.set_webhook(
            webhook.url,
            secret_token=webhook.secret.get_secret_value(),
            max_connections=webhook.max_connections,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
            drop_pending_updates=False,
        )
    except TelegramBadRequest as error:
        raise WebhookConfigError(
            f"Telegram refused WEBHOOK__URL={webhook.url} ({error.message}); it must be a public "
            "https address on port 443, 80, 88 or 8443"
        ) from None


async def serve_webhook(app: Served, stopped: asyncio.Event) -> None:
    """Register the webhook with Telegram, listen until ``stopped`` is set, then stop taking
    updates and let those in hand finish."""
    webhook = app.settings.webhook
    runner = GuardedRunner(
        build_web_app(app),
        header_timeout=webhook.header_timeout,
        max_clients=webhook.max_clients,
        access_log=None,
        shutdown_timeout=30,
    )
    unlimit_logs = limit_server_logs(LogLimit())
    await runner.setup()
    # The event loop accepts up to ``backlog`` connections at a time before the bound on
    # connections can close any: a small backlog keeps descriptors within the bound's reach.
    site = web.TCPSite(runner, webhook.host, webhook.port, backlog=ACCEPT_BACKLOG)
    await site.start()
    try:
        await _register(app)
        logger.info(
            "webhook mode: listening on %s:%s%s",
            webhook.host,
            webhook.port,
            webhook.path,
            extra={"event": "webhook_started"},
        )
        if app.redis is None:
            logger.warning(
                "conversation state is kept in this process: with more than one replica set "
                "REDIS__URL, or a person's next message may reach a replica that forgot the rest",
                extra={"event": "no_shared_state"},
            )
        await stopped.wait()
    finally:
        await runner.cleanup()
        unlimit_logs()
