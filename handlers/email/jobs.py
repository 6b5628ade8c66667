"""Composing e-mails into the outbox: the day's e-mail for people the chat cannot reach, and
the weekly digest for coordinators who asked for it by e-mail. The outbox sends them."""

from __future__ import annotations

import io
import logging
from datetime import date, timedelta
from email.utils import formataddr
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from domain.invitations import UNSUBSCRIBE_TTL
from domain.progress import Digest
from domain.reminders.calendar import russian_calendar
from domain.reminders.email_day import is_email_day
from formats.email_message import Envelope, compose
from handlers.common.join_links import JoinLinks
from handlers.digest.weekly import digest_chart
from handlers.email.letters import ReportFile, daily_letter, digest_letter
from handlers.export.report_files import write_export
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.email.contact import CoordinatorContact, coordinator_contact
from storage.usecases.email.daily import DailyRecipient, daily_recipients
from storage.usecases.email.outbox import DAILY, DIGEST, ComposedEmail, enqueue_email
from storage.usecases.email.settings import digest_email_recipients, unsubscribe_token
from storage.usecases.export import export_scope
from storage.usecases.invitations import invite_person
from storage.usecases.progress import digests_of, load_digest
from storage.usecases.roadmap_choice import roadmap_entries

logger = logging.getLogger(__name__)

# Mail servers commonly refuse messages over 20-25 MB; base64 adds a third.
MAX_ATTACHMENT = 14 * 1024 * 1024


class EmailComposer:
    """What every e-mail needs: the database, the languages, the clock, the sender's address
    and where the unsubscribe page is (``None`` without a web server: the text says how to
    unsubscribe in the chat instead)."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        i18n: I18n,
        clock: Clock,
        timezone: ZoneInfo,
        *,
        sender: str,
        unsubscribe_base: str | None = None,
        invite_ttl: timedelta = timedelta(days=14),
        unsubscribe_ttl: timedelta = UNSUBSCRIBE_TTL,
    ) -> None:
        self.sessions = session_factory
        self.i18n = i18n
        self.clock = clock
        self.timezone = timezone
        self.sender = sender
        self.unsubscribe_base = unsubscribe_base
        self.invite_ttl = invite_ttl
        self.unsubscribe_ttl = unsubscribe_ttl

    def today(self) -> date:
        return self.clock.now().astimezone(self.timezone).date()

    async def unsubscribe_url(self, uow: UnitOfWork, person_id: int) -> str | None:
        if self.unsubscribe_base is None:
            return None
        token = await unsubscribe_token(
            uow, person_id, now=self.clock.now(), ttl=self.unsubscribe_ttl
        )
        return f"{self.unsubscribe_base}/{token}"


class DailyEmails:
    """Once a working day: one e-mail per person the chat cannot reach, with what the reminder
    policy would have told them since their last e-mail and their personal links to join."""

    def __init__(self, composer: EmailComposer, join_links: JoinLinks) -> None:
        self._composer = composer
        self._join_links = join_links

    async def queue(self) -> int:
        """Compose today's e-mails into the outbox; returns how many. Safe to run twice."""
        composer = self._composer
        today = composer.today()
        if not is_email_day(today, russian_calendar(today.year, today.year)):
            return 0
        async with composer.sessions() as session:
            recipients = await daily_recipients(UnitOfWork(session), today)
        queued = 0
        for recipient in recipients:
            async with composer.sessions() as session:
                uow = UnitOfWork(session)
                if await self._queue_one(uow, recipient, today):
                    queued += 1
                await uow.commit()
        if queued:
            logger.info("%d daily e-mails composed", queued, extra={"event": "emails_daily"})
        return queued

    async def _queue_one(self, uow: UnitOfWork, recipient: DailyRecipient, today: date) -> bool:
        composer = self._composer
        now = composer.clock.now()
        token, expires_at = await invite_person(
            uow, recipient.person_id, now=now, ttl=composer.invite_ttl
        )
        links = await self._join_links(token)
        unsubscribe = await composer.unsubscribe_url(uow, recipient.person_id)
        coordinator = await coordinator_contact(uow)
        locale = recipient.locale or composer.i18n.default_locale
        with composer.i18n.context(), composer.i18n.use_locale(locale):
            letter = daily_letter(
                recipient, today, links, expires_at, unsubscribe, locale, coordinator
            )
        reply_to = _reply_to(coordinator)
        envelope = Envelope(composer.sender, recipient.address, unsubscribe, reply_to)
        message = compose(letter, envelope, now)
        return await enqueue_email(
            uow,
            ComposedEmail(
                kind=DAILY,
                key=f"{DAILY}:{recipient.person_id}:{today.isoformat()}",
                to_address=recipient.address,
                subject=letter.subject,
                message=message,
                person_id=recipient.person_id,
                day_on=today,
                occurrences=[d.occurrence_id for d in recipient.deadlines],
            ),
            now,
        )


def _reply_to(coordinator: CoordinatorContact | None) -> str | None:
    if coordinator is None or not coordinator.email:
        return None
    return formataddr((coordinator.full_name, coordinator.email))


class DigestEmails:
    """The weekly digest by e-mail, with the chart inline and each active roadmap's report
    attached."""

    def __init__(self, composer: EmailComposer) -> None:
        self._composer = composer

    async def queue(self, *, to: str | None = None, locale: str | None = None) -> int:
        """Every coordinator who asked for it; or, with ``to``, one e-mail to that address (the
        command line's ``email digest --to``). Returns how many were composed."""
        composer = self._composer
        today = composer.today()
        queued = 0
        async with composer.sessions() as session:
            uow = UnitOfWork(session)
            people: list[Person | None] = [None] if to else list(await digest_email_recipients(uow))
            # Each coordinator reads the roadmaps she answers for (the same digest as in the
            # chat); the command line's ``--to`` gets every roadmap's.
            theirs = await digests_of(uow, today, [person for person in people if person])
            every = await load_digest(uow, today) if to else None
            await uow.commit()
        for person in people:
            async with composer.sessions() as session:
                uow = UnitOfWork(session)
                address = to or (person.email if person else None)
                if not address:
                    continue
                language = locale or (person.locale if person else None)
                if person is None:
                    assert every is not None  # loaded for --to above
                    digest, roadmap_ids = every, None
                else:
                    digest, roadmap_ids = theirs[person.id]
                if await self._queue_one(
                    uow, digest, person, address, language, today, roadmap_ids
                ):
                    queued += 1
                await uow.commit()
        return queued

    async def _queue_one(
        self,
        uow: UnitOfWork,
        digest: Digest,
        person: Person | None,
        address: str,
        language: str | None,
        today: date,
        roadmap_ids: set[int] | None = None,
    ) -> bool:
        composer = self._composer
        now = composer.clock.now()
        locale = language or composer.i18n.default_locale
        unsubscribe = await composer.unsubscribe_url(uow, person.id) if person else None
        with composer.i18n.context(), composer.i18n.use_locale(locale):
            reports = await self._reports(uow, today, person, roadmap_ids)
            letter = digest_letter(digest, digest_chart(digest), reports, unsubscribe, locale)
        message = compose(letter, Envelope(composer.sender, address, unsubscribe), now)
        key = (
            f"{DIGEST}:{person.id}:{today.isoformat()}"
            if person is not None
            else f"{DIGEST}:to:{now.isoformat()}:{address}"
        )
        return await enqueue_email(
            uow,
            ComposedEmail(
                kind=DIGEST,
                key=key,
                to_address=address,
                subject=letter.subject,
                message=message,
                person_id=person.id if person else None,
                day_on=today,
            ),
            now,
        )

    async def _reports(
        self,
        uow: UnitOfWork,
        today: date,
        reader: Person | None,
        roadmap_ids: set[int] | None = None,
    ) -> list[ReportFile]:
        """The report of every roadmap not archived (of ``roadmap_ids``, the reader's own), in
        list order, while they fit in one e-mail together; the rest are a /export away: listed
        without their data, so that the letter names each one left out."""
        scope = export_scope(today, self._composer.timezone, reader=reader)
        entries = [
            entry
            for entry in await roadmap_entries(uow, today)
            if not entry.archived and (roadmap_ids is None or entry.id in roadmap_ids)
        ]
        reports: list[ReportFile] = []
        size = 0
        for entry in entries:
            roadmap = await uow.roadmaps.get(entry.id)
            if roadmap is None:
                continue
            buffer = io.BytesIO()
            await write_export(uow, scope, buffer, roadmap)
            data = buffer.getvalue()
            number = entry.number if len(entries) > 1 else None
            if size + len(data) > MAX_ATTACHMENT:
                logger.warning("a report (%d bytes) is too large to attach to an e-mail", len(data))
                reports.append(ReportFile(number, entry.title, None))
                continue
            size += len(data)
            reports.append(ReportFile(number, entry.title, data))
        return reports
