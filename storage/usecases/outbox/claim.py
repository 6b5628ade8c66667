"""Claiming the reminders that are due (``pending`` -> ``sending``) and holding the claim.

After downtime a reminder long past its time becomes a catch-up, and catch-ups wait for the
sending window so each person gets one summary; a claim whose lease runs out is sent again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, select, tuple_, update
from sqlalchemy.orm import aliased

from domain.reminders.calendar import WorkCalendar, russian_calendar
from domain.reminders.catch_up import DueReminder, latest_per_recipient
from domain.reminders.plan import CATCH_UP, is_catch_up
from domain.reminders.window import SendingWindow
from storage.bulk import insert_ignoring_duplicates
from storage.models import Assignment, Measure, Occurrence, Person, Reminder, Roadmap
from storage.unit_of_work import UnitOfWork
from storage.usecases.roadmap_choice import reminded_condition

DEFAULT_LEASE = timedelta(minutes=2)
# A reminder claimed later than this after its time was missed (the bot was down): it becomes
# a catch-up, so the person gets one summary at a decent hour instead of a burst of stale ones.
DEFAULT_LATE_AFTER = timedelta(hours=1)
DEFAULT_WINDOW = SendingWindow()


@dataclass(frozen=True, slots=True)
class ReminderView:
    """Everything needed to word one reminder, read in the claiming transaction."""

    reminder_id: int
    kind: str
    occurrence_id: int
    person_id: int
    chat_id: int
    locale: str | None
    measure_number: str
    measure_title: str
    planned_result: str
    deadline_text: str
    due_on: date
    timezone: str
    measure_kind: str = "roadmap"  # or "request": a coordinator's request (its own wording)
    # The person the measure is given to, when this reminder goes to someone else in their
    # stead (they have not joined the chat): the reader is told whose measure it is.
    stands_in_for: str | None = None


async def claim_due(
    uow: UnitOfWork,
    now: datetime,
    *,
    limit: int = 500,
    lease: timedelta = DEFAULT_LEASE,
    window: SendingWindow = DEFAULT_WINDOW,
    late_after: timedelta = DEFAULT_LATE_AFTER,
) -> list[ReminderView]:
    """Claim what is due now. A reminder more than ``late_after`` behind its time (the bot was
    down) becomes a catch-up; catch-ups wait for the sending window and go out together, one
    summary per person (the caller groups views whose kind is a catch-up)."""
    # Two index range scans on (state, due_at) rather than one OR that defeats the index.
    columns = (Reminder.id, Reminder.occurrence_id, Reminder.person_id, Reminder.due_at)
    pending = select(*columns, Reminder.kind).where(
        Reminder.state == "pending", Reminder.due_at <= now
    )
    stale_sends = select(*columns, Reminder.kind).where(
        Reminder.state == "sending", Reminder.claimed_at <= now - lease
    )
    # Several bot processes on PostgreSQL: each claims rows no other is claiming right now
    # (SQLite renders no FOR UPDATE; its BEGIN IMMEDIATE already lets one writer in at a time).
    resent = [
        DueReminder(*row)
        for row in await uow.session.execute(
            stale_sends.limit(limit).with_for_update(skip_locked=True)
        )
    ]
    fresh = [
        DueReminder(*row)
        for row in await uow.session.execute(
            pending.order_by(Reminder.due_at)
            .limit(limit - len(resent))
            .with_for_update(skip_locked=True)
        )
    ]
    if not resent and not fresh:
        return []
    chosen, stale = latest_per_recipient(resent + fresh)
    await _set_state(uow, [r.reminder_id for r in stale], "skipped")
    await _skip_older_siblings(uow, chosen, now)
    # After downtime, a reminder long past its time is replaced by a catch-up (in the summary).
    resent_ids = {r.reminder_id for r in resent}
    late = [
        r
        for r in chosen
        if r.reminder_id not in resent_ids
        and not is_catch_up(r.kind)
        and now - r.due_at > late_after
    ]
    if late:
        await _set_state(uow, [r.reminder_id for r in late], "skipped")
        await insert_ignoring_duplicates(
            uow.session,
            Reminder.__table__,  # type: ignore[arg-type]
            [
                {
                    "occurrence_id": r.occurrence_id,
                    "person_id": r.person_id,
                    "kind": (CATCH_UP + r.kind)[:32],
                    "due_at": now,
                    "state": "pending",
                    "attempts": 0,
                }
                for r in late
            ],
        )
    late_ids = {r.reminder_id for r in late}
    regular = [
        r.reminder_id for r in chosen if not is_catch_up(r.kind) and r.reminder_id not in late_ids
    ]
    catching_up = {r.person_id for r in chosen if is_catch_up(r.kind)} | {r.person_id for r in late}
    catch_up_ids = [r.reminder_id for r in chosen if is_catch_up(r.kind)]
    catch_up_ids += await _due_catch_ups(uow, catching_up, now, exclude=set(catch_up_ids))
    wanted = regular + catch_up_ids
    sendable = [ReminderView(*row) for row in await uow.session.execute(_views(wanted, now.date()))]
    cancelled = set(wanted) - {v.reminder_id for v in sendable}
    await _set_state(uow, list(cancelled), "cancelled")  # closed, removed or unreachable
    sendable = await _hold_catch_ups_for_window(uow, sendable, now, window)
    if sendable:
        await uow.session.execute(
            update(Reminder)
            .where(Reminder.id.in_([v.reminder_id for v in sendable]))
            .values(state="sending", claimed_at=now, attempts=Reminder.attempts + 1)
        )
    return sendable


async def _skip_older_siblings(uow: UnitOfWork, chosen: list[DueReminder], now: datetime) -> None:
    """Older reminders of the same person and occurrence that did not fit in this batch. Looked
    up through the (occurrence, person, kind) index: a filter on due_at would scan every
    reminder that is due, which after a long downtime is most of them."""
    pairs = {(r.occurrence_id, r.person_id) for r in chosen}
    chosen_ids = {r.reminder_id for r in chosen}
    siblings = await uow.session.execute(
        select(Reminder.id, Reminder.occurrence_id, Reminder.person_id).where(
            Reminder.occurrence_id.in_({occurrence for occurrence, _person in pairs}),
            Reminder.state == "pending",
            Reminder.due_at <= now,
        )
    )
    await _set_state(
        uow,
        [rid for rid, occ, person in siblings if (occ, person) in pairs and rid not in chosen_ids],
        "skipped",
    )


async def _due_catch_ups(
    uow: UnitOfWork, people: set[int], now: datetime, *, exclude: set[int]
) -> list[int]:
    """Every catch-up due for these people, so each gets one summary, not one per batch."""
    if not people:
        return []
    rows = await uow.session.scalars(
        select(Reminder.id)
        .where(
            Reminder.person_id.in_(people),
            Reminder.state == "pending",
            Reminder.kind.like(CATCH_UP + "%"),
            Reminder.due_at <= now,
        )
        .with_for_update(skip_locked=True)
    )
    return [rid for rid in rows if rid not in exclude]


async def _hold_catch_ups_for_window(
    uow: UnitOfWork, views: list[ReminderView], now: datetime, window: SendingWindow
) -> list[ReminderView]:
    """Catch-ups claimed outside the sending window wait for it to open. One that goes now
    stands for the regular reminders of the same measure due later in today's window: those
    are skipped, so the person hears of it once, as early as possible."""
    held: list[ReminderView] = []
    going: dict[str, set[tuple[int, int]]] = {}  # time zone -> (occurrence, person)
    openings: dict[str, datetime] = {}
    for view in views:
        if not is_catch_up(view.kind):
            continue
        if view.timezone not in openings:
            openings[view.timezone] = window.next_opening(
                now, _calendar(now), ZoneInfo(view.timezone)
            )
        if openings[view.timezone] > now:
            held.append(view)
        else:
            going.setdefault(view.timezone, set()).add((view.occurrence_id, view.person_id))
    # One statement per time zone, not one per reminder: after an outage a batch holds hundreds.
    for zone_name, opening in openings.items():
        ids = [v.reminder_id for v in held if v.timezone == zone_name]
        if ids:
            await uow.session.execute(
                update(Reminder).where(Reminder.id.in_(ids)).values(due_at=opening)
            )
    for zone_name, pairs in going.items():
        await uow.session.execute(
            update(Reminder)
            .where(
                tuple_(Reminder.occurrence_id, Reminder.person_id).in_(sorted(pairs)),
                Reminder.state == "pending",
                Reminder.due_at > now,
                Reminder.due_at <= window.closing_of(now, ZoneInfo(zone_name)),
                Reminder.kind.not_like(CATCH_UP + "%"),
            )
            .values(state="skipped")
        )
    held_ids = {v.reminder_id for v in held}
    return [v for v in views if v.reminder_id not in held_ids]


def _calendar(now: datetime) -> WorkCalendar:
    return russian_calendar(now.year, now.year + 1)


def _views(reminder_ids: list[int], today: date) -> Select[*tuple[Any, ...]]:
    assignee = aliased(Person)
    return (
        select(
            Reminder.id,
            Reminder.kind,
            Reminder.occurrence_id,
            Reminder.person_id,
            Person.chat_address,
            Person.locale,
            Measure.number,
            Measure.title,
            Measure.result_text,
            Measure.deadline_text,
            Occurrence.due_on,
            Roadmap.timezone,
            Measure.kind,
            case((Assignment.person_id != Reminder.person_id, assignee.full_name), else_=None),
        )
        .join(Occurrence, Occurrence.id == Reminder.occurrence_id)
        .join(Measure, Measure.id == Occurrence.measure_id)
        .join(Roadmap, Roadmap.id == Measure.roadmap_id)
        .join(Person, Person.id == Reminder.person_id)
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .outerjoin(assignee, assignee.id == Assignment.person_id)
        .where(
            Reminder.id.in_(reminder_ids),
            Occurrence.status == "open",
            Person.is_active.is_(True),
            Person.chat_address.is_not(None),
            Person.unreachable_since_at.is_(None),
            reminded_condition(today),  # an archived roadmap reminds nobody
        )
    )


async def _set_state(uow: UnitOfWork, reminder_ids: list[int], state: str) -> None:
    if reminder_ids:
        await uow.session.execute(
            update(Reminder).where(Reminder.id.in_(reminder_ids)).values(state=state)
        )


async def renew_claims(uow: UnitOfWork, reminder_ids: Collection[int], now: datetime) -> None:
    """Still sending these: push their lease forward so no other replica takes them over."""
    if reminder_ids:
        await uow.session.execute(
            update(Reminder)
            .where(Reminder.id.in_(list(reminder_ids)), Reminder.state == "sending")
            .values(claimed_at=now)
        )


async def release_claims(uow: UnitOfWork, reminder_ids: Collection[int]) -> None:
    """Claimed but never tried (this process is stopping): back to pending at once, so another
    replica sends them now rather than after the lease, and the try is not counted."""
    if reminder_ids:
        await uow.session.execute(
            update(Reminder)
            .where(Reminder.id.in_(list(reminder_ids)), Reminder.state == "sending")
            .values(state="pending", claimed_at=None, attempts=Reminder.attempts - 1)
        )
