"""The running bot: the database migrated, the messengers' updates taken (long polling or the
webhook server), and the clock's jobs started; all of it wired from the settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.methods import DeleteWebhook, GetMe
from apscheduler.triggers.cron import CronTrigger

from bot.clock import SystemClock
from bot.dispatcher import build_dispatcher
from bot.email_setup import email_composer, smtp_server
from bot.i18n import build_i18n
from bot.join_links import BotNames, ask_bot_names
from bot.logs import REPLICA
from bot.messenger_bot import build_bot, build_max_ids, chat_pacer, max_of
from bot.public_urls import EMAIL_PATH, calendar_url, public_url
from bot.settings import Settings
from bot.webhook import check_webhook_settings, serve_webhook
from domain.clock import Clock
from domain.messengers import Messenger, messenger_of
from domain.reminders.calendar import set_regional_days_off
from handlers.backup.notice import tell_backup_failed
from handlers.common.join_links import JoinLink, JoinLinks
from handlers.digest.weekly import WeeklyDigest
from handlers.email.jobs import DailyEmails, DigestEmails
from handlers.people.invitation_emails import InvitationEmails
from handlers.report.batch import ReportBatch
from handlers.report.reminders import ReminderTexts
from messengers.max.api import PROXY_ERRORS
from messengers.max.updates import MaxUpdates
from scheduler.backup_job import BackupPlan, DailyBackup
from scheduler.clock_jobs import (
    ClockJob,
    ReminderPlanner,
    SharedRuns,
    build_scheduler,
    stop_scheduler,
)
from scheduler.email_outbox import EmailOutbox
from scheduler.metrics import ReminderCounters
from scheduler.outbox import ReminderOutbox
from scheduler.purge import NightlyPurge, Purge
from scheduler.sender import ChatSender, Pacer
from scheduler.smtp import SmtpSender
from storage.backup.lock import bot_running
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.usecases.purge import (
    forget_conversations,
    forget_email_bodies,
    forget_spent_invitations,
    forget_spent_tokens,
    forget_strangers,
)

logger = logging.getLogger(__name__)
REPORT_BATCH_JOB = "send_new_reports"
WEEKLY_DIGEST_JOB = "send_weekly_digest"
DAILY_EMAIL_JOB = "compose_daily_emails"
FORGET_MAX_IDS_JOB = "forget_old_max_message_ids"
# A MAX message's id is kept this long: its buttons are answered, or long outdated, by then.
MAX_IDS_KEPT = timedelta(days=180)
PURGE_JOB = "nightly_purge"
BACKUP_JOB = "daily_backup"


def purges(settings: Settings) -> list[Purge]:
    """What the nightly purge deletes, and after how long."""
    return [
        Purge("conversations", forget_conversations, timedelta(days=settings.redis.state_days)),
        Purge("strangers", forget_strangers, timedelta(days=settings.strangers_kept_days)),
        # Links that open nothing any more go the night after they are spent.
        Purge("invitations", forget_spent_invitations, timedelta(0)),
        Purge("tokens", forget_spent_tokens, timedelta(0)),
        # An e-mail's text once it is sent: kept a while to answer «what did it say?».
        Purge("email_bodies", forget_email_bodies, timedelta(days=settings.email_bodies_kept_days)),
    ]


class Application:
    """The running bot: database migrated, then long polling or (``webhook``) an HTTP server
    Telegram posts updates to. ``stop()`` ends ``run()``, as do SIGINT and SIGTERM."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        handle_signals: bool = True,
        webhook: bool | None = None,
    ) -> None:
        self.settings = settings
        set_regional_days_off(settings.extra_holidays)  # before any reminder is planned
        self.handle_signals = handle_signals
        self.webhook = settings.webhook.enabled if webhook is None else webhook
        if self.webhook:
            check_webhook_settings(settings)
        self.clock = clock or SystemClock()
        self.engine = create_engine(settings.db.url)
        self.session_factory = create_session_factory(self.engine)
        self.max_ids = build_max_ids(settings, self.session_factory)
        self.pacer = chat_pacer(settings)  # every message to a chat, answers and reminders alike
        self.bot = build_bot(settings, max_ids=self.max_ids, clock=self.clock, pacer=self.pacer)
        self.telegram_enabled = settings.bot.enabled
        self.max_session = max_of(self.bot)
        i18n = build_i18n(settings.default_locale)
        self.i18n = i18n
        self.dispatcher = build_dispatcher(
            settings=settings,
            session_factory=self.session_factory,
            i18n=i18n,
            clock=self.clock,
            subscriptions=calendar_url(settings) if self.webhook else None,
        )
        storage = self.dispatcher.storage
        self.redis = storage.redis if isinstance(storage, RedisStorage) else None
        self.counters = ReminderCounters()
        self._stopped = asyncio.Event()
        self.max_updates = (
            MaxUpdates(
                self.dispatcher, self.bot, self.max_session.max_api, self.max_ids, self.clock
            )
            if self.max_session is not None and self.max_ids is not None
            else None
        )
        self.dispatcher["join_links"] = self._join_links()
        self.dispatcher["invitation_emails"] = None  # set below when e-mail is set up
        self.dispatcher["messengers"] = [  # MAX first: the schools moved there
            messenger
            for messenger, on in (
                (Messenger.MAX, self.max_session is not None),
                (Messenger.TELEGRAM, self.telegram_enabled),
            )
            if on
        ]
        self.purge = NightlyPurge(self.session_factory, self.clock, purges(settings))
        self.outbox_bot = build_bot(
            settings, retry=False, max_ids=self.max_ids, clock=self.clock, pacer=self.pacer
        )
        options = settings.scheduler
        self.outbox = ReminderOutbox(
            self.session_factory,
            ChatSender(
                self.outbox_bot,
                per_second=options.per_second,
                per_chat_interval=options.per_chat_interval,
                counters=self.counters,
                pacers=self._pacers(),
            ),
            ReminderTexts(i18n),
            self.clock,
            lease=timedelta(seconds=options.lease_seconds),
            window=options.window,
            late_after=timedelta(minutes=options.late_minutes),
        )
        self.planner = ReminderPlanner(self.session_factory, self.clock)
        self.report_batch = ReportBatch(self.bot, self.session_factory, i18n, self.clock)
        self.weekly_digest = WeeklyDigest(
            self.bot, self.session_factory, i18n, self.clock, ZoneInfo(settings.timezone)
        )
        backup = settings.backup
        self.backup = DailyBackup(
            BackupPlan(
                db_url=settings.db.url,
                evidence_dir=Path(settings.evidence_dir),
                folder=settings.backup_dir,
                keep_days=backup.keep_days,
                keep_weeks=backup.keep_weeks,
                keep_months=backup.keep_months,
                copy_to=Path(backup.copy_to) if backup.copy_to else None,
            ),
            self.clock,
            lambda problem: tell_backup_failed(self.bot, self.session_factory, i18n, problem),
        )
        self.email_outbox: EmailOutbox | None = None
        self.daily_emails: DailyEmails | None = None
        self.digest_emails: DigestEmails | None = None
        if settings.email.enabled:
            composer = email_composer(
                settings,
                self.session_factory,
                i18n,
                self.clock,
                unsubscribe_base=public_url(settings, EMAIL_PATH) if self.webhook else None,
            )
            self.email_outbox = EmailOutbox(
                self.session_factory, SmtpSender(smtp_server(settings.email)), self.clock
            )
            self.daily_emails = DailyEmails(composer, self._join_links())
            self.dispatcher["invitation_emails"] = InvitationEmails(composer, self._join_links())
            self.digest_emails = DigestEmails(composer)
        self.scheduler = build_scheduler(
            self.outbox,
            self.planner,
            tick=timedelta(seconds=options.tick_seconds),
            plan_every=timedelta(minutes=options.plan_minutes),
            extra=self._clock_jobs(),
            once=SharedRuns(self.session_factory, self.clock, REPLICA),
            email_outbox=self.email_outbox,
        )

    def _join_links(self) -> JoinLinks:
        """Each messenger's invitation link for a token (each bot's name asked once)."""
        asked: list[BotNames] = []

        async def links(token: str) -> list[JoinLink]:
            if not asked:
                asked.append(await ask_bot_names(self.settings))
            return asked[0].links(token)

        return links

    def _pacers(self) -> Callable[[int], Pacer]:
        """Each messenger's limits, paced apart: a 429 from one does not stop the other."""
        options = self.settings.scheduler
        telegram = Pacer(options.per_second, options.per_chat_interval)
        max_pacer = Pacer(self.settings.max.per_second, self.settings.max.per_chat_interval)

        def pacer_of(chat_id: int) -> Pacer:
            return max_pacer if messenger_of(chat_id) is Messenger.MAX else telegram

        return pacer_of

    async def weekly(self) -> None:
        """The weekly job: the digest in the chat, and by e-mail to who asked for it."""
        await self.weekly_digest.send()
        if self.digest_emails is not None:
            await self.digest_emails.queue()

    async def forget_old_max_ids(self) -> int:
        """The nightly job: drop MAX message ids older than ``MAX_IDS_KEPT``."""
        if self.max_ids is None:
            return 0
        return await self.max_ids.forget_before(self.clock.now() - MAX_IDS_KEPT)

    def _clock_jobs(self) -> list[ClockJob]:
        jobs: list[ClockJob] = []
        if self.settings.report_notifications == "hourly":
            jobs.append(
                ClockJob(
                    REPORT_BATCH_JOB,
                    self.report_batch.send,
                    CronTrigger(minute=0, timezone=self.settings.timezone),
                )
            )
        digest = self.settings.digest
        if digest.enabled:
            jobs.append(
                ClockJob(
                    WEEKLY_DIGEST_JOB,
                    self.weekly,
                    CronTrigger(
                        day_of_week=digest.day_of_week,
                        hour=digest.hour,
                        minute=digest.minute,
                        timezone=self.settings.timezone,
                    ),
                )
            )
        if self.max_ids is not None:
            jobs.append(
                ClockJob(
                    FORGET_MAX_IDS_JOB,
                    self.forget_old_max_ids,
                    CronTrigger(hour=3, minute=30, timezone=self.settings.timezone),
                )
            )
        jobs.append(
            ClockJob(
                PURGE_JOB,
                self.purge.run,
                CronTrigger(hour=3, minute=45, timezone=self.settings.timezone),
            )
        )
        if self.settings.backup.enabled:
            backup = self.settings.backup
            jobs.append(
                ClockJob(
                    BACKUP_JOB,
                    self.backup.run,
                    CronTrigger(
                        hour=int(backup.time[:2]),
                        minute=int(backup.time[3:]),
                        timezone=self.settings.timezone,
                    ),
                )
            )
        if self.daily_emails is not None:
            email = self.settings.email
            jobs.append(
                ClockJob(
                    DAILY_EMAIL_JOB,
                    self.daily_emails.queue,
                    CronTrigger(
                        hour=int(email.daily_time[:2]),
                        minute=int(email.daily_time[3:]),
                        timezone=self.settings.timezone,
                    ),
                )
            )
        return jobs

    async def run(self) -> None:
        """Migrate the database, then take updates until ``stop()``, SIGINT or SIGTERM."""
        # Held while the bot runs: `roadmap-bot restore` refuses to replace the data under it.
        with bot_running(self.settings.lock_dir):
            await self._run()

    async def _run(self) -> None:
        try:
            await upgrade(self.engine)
            await self._check_tokens()  # a wrong token stops us before any job starts
            if self.settings.scheduler.enabled:
                self.scheduler.start()
            if self.webhook:
                with self._stop_on_signals():
                    await serve_webhook(self, self._stopped)
            elif self.telegram_enabled:
                max_polling = await self._start_max_polling()
                try:
                    await self.bot.delete_webhook(drop_pending_updates=False)
                    await self.dispatcher.start_polling(
                        self.bot,
                        polling_timeout=self.settings.bot.polling_timeout,
                        close_bot_session=False,
                        handle_signals=self.handle_signals,
                    )
                finally:
                    await self._stop_max_polling(max_polling)
            else:
                await self._poll_max_only()
        finally:
            if self.scheduler.running:
                # Drain first: APScheduler's shutdown cancels a running job mid-send. The
                # outboxes stop claiming, then every running job is let finish, and only then
                # do the sessions and the database close under them.
                await self.outbox.drain(timeout=15)
                if self.email_outbox is not None:
                    await self.email_outbox.drain(timeout=15)
                await stop_scheduler(self.scheduler, timeout=15)
            counters = self.counters.snapshot()
            logger.info(
                "stopped; reminders %s", counters, extra={"event": "stopped", "counters": counters}
            )
            await self.dispatcher.storage.close()
            await self.bot.session.close()
            await self.outbox_bot.session.close()
            if self.max_ids is not None:
                await self.max_ids.close()
            await self.engine.dispose()

    async def stop(self) -> None:
        if self.webhook or not self.telegram_enabled:
            self._stopped.set()
        else:
            await self.dispatcher.stop_polling()

    async def _check_tokens(self) -> None:
        """Ask each messenger who the bot is: a refused token raises here, with nothing yet
        running that would have to be stopped mid-transaction; so does a messenger the server
        cannot reach (a wrong PROXY, a closed firewall), instead of polling in vain."""
        try:
            await self.bot.me()
            if self.telegram_enabled and self.max_session is not None:
                await self.max_session.make_request(self.bot, GetMe())
        except (TelegramNetworkError, *PROXY_ERRORS) as error:
            raise MessengerUnreachableError(f"{type(error).__name__}: {error}") from None

    async def _start_max_polling(self) -> asyncio.Task[None] | None:
        """MAX's long polling beside Telegram's (development; production uses webhooks)."""
        if self.max_updates is None or self.max_session is None:
            return None
        await self.max_session.make_request(self.bot, DeleteWebhook())  # polling needs none
        return asyncio.create_task(
            self.max_updates.poll(self._stopped, timeout=self.settings.max.polling_timeout),
            name="max-polling",
        )

    async def _stop_max_polling(self, task: asyncio.Task[None] | None) -> None:
        if task is None or self.max_updates is None:
            return
        self._stopped.set()
        task.cancel()  # it may be waiting on a long poll; the updates in hand still finish
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await self.max_updates.finish()

    async def _poll_max_only(self) -> None:
        """No Telegram: MAX's polling is the loop, with the Dispatcher's start and stop."""
        workflow = {**self.dispatcher.workflow_data, "bot": self.bot}
        await self.dispatcher.emit_startup(**workflow)
        task = await self._start_max_polling()
        try:
            with self._stop_on_signals():
                await self._stopped.wait()
        finally:
            await self._stop_max_polling(task)
            await self.dispatcher.emit_shutdown(**workflow)

    @contextlib.contextmanager
    def _stop_on_signals(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        signals = (signal.SIGINT, signal.SIGTERM) if self.handle_signals else ()
        for number in signals:
            loop.add_signal_handler(number, self._stopped.set)
        try:
            yield
        finally:
            for number in signals:
                loop.remove_signal_handler(number)


class TokenRefusedError(RuntimeError):
    """A messenger refused the bot's token: the command line names the setting to fix."""


class MessengerUnreachableError(RuntimeError):
    """No answer from a messenger's API at start (network, firewall or PROXY): the command
    line says what to check."""


async def run_bot(settings: Settings, *, clock: Clock | None = None, webhook: bool = False) -> None:
    try:
        await Application(settings, clock=clock, webhook=webhook).run()
    except TelegramUnauthorizedError as error:  # MAX's refusal arrives as the same error
        raise TokenRefusedError(str(error)) from error
