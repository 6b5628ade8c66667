"""``EmailOutbox.dispatch``: claim the e-mails that are due, hand each to the SMTP server once,
record the answer (sent, try again after a backoff, bounced)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from scheduler.smtp import EmailOutcome, SmtpResult, SmtpSender
from storage.unit_of_work import UnitOfWork
from storage.usecases.email.outbox import (
    OutgoingEmail,
    claim_emails,
    mark_email_bounced,
    mark_email_retry,
    mark_email_sent,
)

logger = logging.getLogger(__name__)


@dataclass
class EmailStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    bounced: int = 0
    last_error: str = ""


class EmailOutbox:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        sender: SmtpSender,
        clock: Clock,
        *,
        batch: int = 50,
    ) -> None:
        self._sessions = session_factory
        self._sender = sender
        self._clock = clock
        self._batch = batch
        self._running = asyncio.Lock()
        self._stopping = False

    async def drain(self, timeout: float) -> None:
        """On shutdown: claim nothing more, and let the e-mail being sent be written down."""
        self._stopping = True
        try:
            async with asyncio.timeout(timeout), self._running:
                pass
        except TimeoutError:
            logger.warning("stopped while an e-mail was being sent; it will be sent again")

    async def dispatch(self) -> EmailStats:
        """Idempotent: safe to call every minute, from several replicas, after any crash."""
        stats = EmailStats()
        if self._running.locked() or self._stopping:
            return stats
        async with self._running:
            while not self._stopping and (claimed := await self._claim()):
                for email in claimed:
                    result = await self._sender.send(email.to_address, email.message)
                    await self._record(email, result, stats)
                if len(claimed) < self._batch:
                    break
        return stats

    async def _claim(self) -> list[OutgoingEmail]:
        async with self._sessions() as session:
            uow = UnitOfWork(session)
            claimed = await claim_emails(uow, self._clock.now(), limit=self._batch)
            await uow.commit()
            return claimed

    async def _record(self, email: OutgoingEmail, result: SmtpResult, stats: EmailStats) -> None:
        log = {"email_id": email.email_id, "person_id": email.person_id}
        for attempt in range(5):
            try:
                async with self._sessions() as session:
                    uow = UnitOfWork(session)
                    now = self._clock.now()
                    again = False
                    if result.outcome is EmailOutcome.SENT:
                        await mark_email_sent(uow, email.email_id, now)
                    elif result.outcome is EmailOutcome.BOUNCED:
                        await mark_email_bounced(
                            uow, email.email_id, email.person_id, result.error, now
                        )
                    else:
                        again = await mark_email_retry(uow, email.email_id, result.error, now)
                    await uow.commit()
                break
            except OperationalError as error:  # «database is locked» beyond the busy timeout
                logger.warning("recording an e-mail failed (%s), retrying", error.orig)
                await asyncio.sleep(0.2 * 2**attempt)
        if result.outcome is EmailOutcome.SENT:
            stats.sent += 1
            logger.info("e-mail sent", extra={"event": "email_sent", **log})
            return
        stats.last_error = result.error
        if result.outcome is EmailOutcome.BOUNCED:
            stats.bounced += 1
            logger.warning(
                "e-mail address refused; the person is unreachable by e-mail",
                extra={"event": "email_bounced", "error": result.error, **log},
            )
        elif again:
            stats.retried += 1
            logger.warning(
                "e-mail not accepted, will be tried again later",
                extra={"event": "email_retry_later", "error": result.error, **log},
            )
        else:
            stats.failed += 1
            logger.error(
                "e-mail given up after repeated refusals",
                extra={"event": "email_failed", "error": result.error, **log},
            )
