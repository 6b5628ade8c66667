"""``dispatch_due_reminders``: claim what is due, send it within the messenger's limits, record it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from domain.reminders.plan import is_catch_up
from domain.reminders.window import SendingWindow
from scheduler.sender import ChatSender, Outcome, SendResult
from storage.unit_of_work import UnitOfWork
from storage.usecases.outbox.claim import (
    DEFAULT_LATE_AFTER,
    DEFAULT_LEASE,
    DEFAULT_WINDOW,
    ReminderView,
    claim_due,
    release_claims,
    renew_claims,
)
from storage.usecases.outbox.delivery import mark_many_sent, mark_retry
from storage.usecases.outbox.reachability import UnreachablePerson, mark_unreachable

logger = logging.getLogger(__name__)

RETRY_LATER = timedelta(minutes=5)
MAX_ATTEMPTS = 6
FLUSH_EVERY = 50


class ReminderRenderer(Protocol):
    """Words a reminder in its reader's language (provided by the chat layer)."""

    def reminder(
        self, view: ReminderView, today_local: date
    ) -> tuple[str, InlineKeyboardMarkup | None]: ...

    def summary(
        self, views: list[ReminderView], today_local: date
    ) -> list[tuple[str, InlineKeyboardMarkup | None]]:
        """One person's catch-ups as one message (more only past Telegram's limits)."""
        ...

    def unreachable(self, person: UnreachablePerson, locale: str | None) -> str: ...


@dataclass
class DispatchStats:
    sent: int = 0
    retried: int = 0
    unreachable: int = 0
    failed: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)


def as_deliveries(claimed: list[ReminderView]) -> list[list[ReminderView]]:
    """Each regular reminder is a message of its own; a person's catch-ups make one summary."""
    deliveries: list[list[ReminderView]] = []
    summaries: dict[int, list[ReminderView]] = {}
    for view in claimed:
        if not is_catch_up(view.kind):
            deliveries.append([view])
        elif view.person_id in summaries:
            summaries[view.person_id].append(view)
        else:
            summaries[view.person_id] = [view]
            deliveries.append(summaries[view.person_id])
    return deliveries


class ReminderOutbox:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        sender: ChatSender,
        renderer: ReminderRenderer,
        clock: Clock,
        *,
        batch: int = 500,
        concurrency: int = 32,
        lease: timedelta = DEFAULT_LEASE,
        window: SendingWindow = DEFAULT_WINDOW,
        late_after: timedelta = DEFAULT_LATE_AFTER,
    ) -> None:
        self._sessions = session_factory
        self._sender = sender
        self._renderer = renderer
        self._clock = clock
        self._batch = batch
        self._concurrency = concurrency
        self._lease = lease
        self._window = window
        self._late_after = late_after
        self._running = asyncio.Lock()
        self._stopping = False
        self._delivered: list[tuple[int, int | None]] = []
        self._flushing = asyncio.Lock()
        self._held: set[int] = set()  # claimed here and not yet written down
        self._untried: set[int] = set()  # this batch's, not sent because the process stops

    async def dispatch_due_reminders(self) -> DispatchStats:
        """Idempotent: safe to call every minute, from several places, after any crash."""
        stats = DispatchStats()
        if self._running.locked():
            return stats  # the previous tick is still sending
        async with self._running:
            while not self._stopping:
                claimed = await self._claim()
                if not claimed:
                    return stats
                stats.batches += 1
                await self._send_all(claimed, stats)
            return stats

    async def drain(self, timeout: float) -> None:
        """On shutdown: claim nothing more, and let what is being sent be written down."""
        self._stopping = True
        try:
            async with asyncio.timeout(timeout), self._running:
                pass
        except TimeoutError:
            logger.warning("stopped while reminders were still being sent; they will be redone")

    async def _claim(self) -> list[ReminderView]:
        for attempt in range(5):
            try:
                async with self._sessions() as session:
                    uow = UnitOfWork(session)
                    claimed = await claim_due(
                        uow,
                        self._clock.now(),
                        limit=self._batch,
                        lease=self._lease,
                        window=self._window,
                        late_after=self._late_after,
                    )
                    await uow.commit()
                    return claimed
            except OperationalError as error:  # «database is locked» beyond the busy timeout
                logger.warning("claiming reminders failed (%s), retrying", error.orig)
                await asyncio.sleep(0.2 * 2**attempt)
        return []

    async def _send_all(self, claimed: list[ReminderView], stats: DispatchStats) -> None:
        queue: asyncio.Queue[list[ReminderView]] = asyncio.Queue()
        deliveries = as_deliveries(claimed)
        for delivery in deliveries:
            queue.put_nowait(delivery)
        self._held = {view.reminder_id for view in claimed}

        self._untried = set()

        async def worker() -> None:
            while not queue.empty():
                delivery = queue.get_nowait()
                if self._stopping:  # a deploy or a scale-down: what is not sent yet goes back
                    self._untried.update(view.reminder_id for view in delivery)
                    continue
                await self._send_one(delivery, stats)

        heartbeat = asyncio.create_task(self._keep_lease())
        try:
            workers = min(self._concurrency, len(deliveries))
            await asyncio.gather(*(worker() for _ in range(workers)))
            await self._flush_delivered()
            if self._untried:
                await self._release(self._untried)
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat

    async def _keep_lease(self) -> None:
        """A batch can take longer than the lease (a 429 pause, a slow network): renew it while
        sending, or another replica would take the rest of the batch over and send it twice."""
        # The first renewal is at once: a claim that waited on locks before committing may
        # already be old by the time its batch starts.
        while True:
            try:
                async with self._sessions() as session:
                    uow = UnitOfWork(session)
                    await renew_claims(uow, set(self._held), self._clock.now())
                    await uow.commit()
            except OperationalError as error:  # the next beat tries again, well inside the lease
                logger.warning("renewing the lease failed (%s)", error.orig)
            await asyncio.sleep(self._lease.total_seconds() / 3)

    async def _release(self, reminder_ids: set[int]) -> None:
        """A stopping process hands the rest of its batch back at once: waiting for it to be
        sent could outlast the drain, and what was sent but not written down is sent twice."""
        try:
            async with self._sessions() as session:
                uow = UnitOfWork(session)
                await release_claims(uow, reminder_ids)
                await uow.commit()
            self._held.difference_update(reminder_ids)
        except OperationalError as error:  # the lease runs out and another replica takes them
            logger.warning("handing back unsent reminders failed (%s)", error.orig)

    async def _flush_delivered(self) -> None:
        """Deliveries are written down in small batches: one transaction per message would cap
        the rate on SQLite. A crash loses at most one batch of records, which are then sent
        again after the lease: those are the only possible duplicates."""
        async with self._flushing:
            batch, self._delivered = self._delivered, []
            if not batch:
                return
            for attempt in range(5):
                try:
                    async with self._sessions() as session:
                        uow = UnitOfWork(session)
                        await mark_many_sent(uow, batch, self._clock.now())
                        await uow.commit()
                    self._held.difference_update(reminder_id for reminder_id, _ in batch)
                    return
                except OperationalError as error:
                    logger.warning("recording deliveries failed (%s), retrying", error.orig)
                    await asyncio.sleep(0.2 * 2**attempt)

    async def _send_one(self, delivery: list[ReminderView], stats: DispatchStats) -> None:
        """One reminder, or one person's catch-ups as a summary: every row shares the outcome."""
        first = delivery[0]
        today = self._clock.now().astimezone(ZoneInfo(first.timezone)).date()
        if is_catch_up(first.kind):
            messages = self._renderer.summary(delivery, today)
        else:
            messages = [self._renderer.reminder(first, today)]
        result = SendResult(Outcome.SENT)
        for number, (text, markup) in enumerate(messages):
            # Only before a delivery's first message: a summary half sent is finished.
            stopping = (lambda: self._stopping) if number == 0 else None
            result = await self._sender.send(first.chat_id, text, markup, stopping=stopping)
            if result.outcome is not Outcome.SENT:
                break
        if result.outcome is Outcome.NOT_TRIED:
            self._untried.update(view.reminder_id for view in delivery)
            return
        for view in delivery:  # every reminder row of a summary shares its outcome
            await self._record(view, result, stats)

    async def _record(self, view: ReminderView, result: SendResult, stats: DispatchStats) -> None:
        counters = self._sender.counters
        log = {"reminder_id": view.reminder_id, "occurrence_id": view.occurrence_id}
        if result.outcome is Outcome.SENT:
            stats.sent += 1
            counters.sent.inc()
            logger.debug("reminder sent", extra={"event": "reminder_sent", **log})
            self._delivered.append((view.reminder_id, result.message_id))
            if len(self._delivered) >= FLUSH_EVERY:
                await self._flush_delivered()
            return
        unreachable: UnreachablePerson | None = None
        for attempt in range(5):
            try:
                async with self._sessions() as session:
                    uow = UnitOfWork(session)
                    now = self._clock.now()
                    if result.outcome is Outcome.UNREACHABLE:
                        unreachable = await mark_unreachable(uow, view.person_id, result.error, now)
                    else:
                        attempts = 1 if result.outcome is Outcome.REJECTED else MAX_ATTEMPTS
                        await mark_retry(
                            uow,
                            view.reminder_id,
                            now + RETRY_LATER,
                            result.error,
                            max_attempts=attempts,
                        )
                    await uow.commit()
                self._held.discard(view.reminder_id)
                break
            except OperationalError as error:
                logger.warning("recording a reminder failed (%s), retrying", error.orig)
                await asyncio.sleep(0.2 * 2**attempt)
        if result.outcome is Outcome.UNREACHABLE:
            stats.unreachable += 1
            counters.unreachable.inc()
            logger.info(
                "person unreachable, their reminders cancelled",
                extra={"event": "person_unreachable", "person_id": view.person_id, **log},
            )
            if unreachable is not None:
                await self._tell_coordinators(unreachable)
        elif result.outcome is Outcome.RETRY_LATER:
            stats.retried += 1
            counters.failed.inc()
            logger.warning(
                "reminder not delivered, will be tried again later",
                extra={"event": "reminder_retry_later", "error": result.error, **log},
            )
        else:
            stats.failed += 1
            counters.failed.inc()
            stats.errors.append(result.error)
            logger.warning(
                "Telegram refused a reminder",
                extra={"event": "reminder_refused", "error": result.error, **log},
            )

    async def _tell_coordinators(self, person: UnreachablePerson) -> None:
        for chat_id, locale in person.coordinator_chats:
            await self._sender.send(chat_id, self._renderer.unreachable(person, locale), None)
