"""The reminders one occurrence should get, as instants; and snoozes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.reminders.calendar import WorkCalendar
from domain.reminders.policy import ReminderPolicy


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    kind: str  # "before:14" ... "before:1", "due", "overdue:1" ..., "catchup:<kind>"
    due_at: datetime  # aware UTC


CATCH_UP = "catchup:"


def is_catch_up(kind: str) -> bool:
    return kind.startswith(CATCH_UP)


def plan_reminders(
    due_on: date,
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    timezone: ZoneInfo,
    not_before: datetime,
) -> list[PlannedReminder]:
    """Every reminder for a due date that is still ahead of ``not_before``."""
    return [p for p in all_reminders(due_on, policy, calendar, timezone) if p.due_at >= not_before]


def plan_with_catch_up(
    due_on: date,
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    timezone: ZoneInfo,
    now: datetime,
) -> tuple[list[PlannedReminder], PlannedReminder | None]:
    """The reminders still ahead, and the catch-up owed to someone who hears of this deadline
    only now: a stand-in for the latest slot that has already passed (so it is owed only when
    the deadline is within its first reminder or overdue), due at once; the outbox holds it
    until the sending window opens. After it, the policy goes on with the slots ahead."""
    every = all_reminders(due_on, policy, calendar, timezone)
    ahead = [p for p in every if p.due_at >= now]
    passed = [p for p in every if p.due_at < now]
    if not passed:
        return ahead, None
    return ahead, PlannedReminder(CATCH_UP + passed[-1].kind, now)


def all_reminders(
    due_on: date, policy: ReminderPolicy, calendar: WorkCalendar, timezone: ZoneInfo
) -> list[PlannedReminder]:
    """Every reminder for a due date, in time order.

    Before the date: each offset, moved back to a working day; two offsets that land on the same
    day give one reminder (the nearer to the deadline). After it: every ``overdue_every``
    working days, at most ``overdue_max`` times. All at the policy's local hour.
    """
    by_day: dict[date, str] = {}
    for days in sorted(policy.before_days, reverse=True):
        day = calendar.on_or_before(due_on - timedelta(days=days))
        by_day[day] = "due" if days == 0 else f"before:{days}"
    planned = [_at(kind, day, policy, timezone) for day, kind in by_day.items()]
    day = due_on
    for number in range(1, policy.overdue_max + 1):
        day = calendar.add_working_days(day, policy.overdue_every)
        planned.append(_at(f"overdue:{number}", day, policy, timezone))
    return sorted(planned, key=lambda p: p.due_at)


def snooze_until(
    now: datetime, days: int, policy: ReminderPolicy, calendar: WorkCalendar, timezone: ZoneInfo
) -> datetime:
    """«Напомнить завтра» / «через 3 дня»: that day, or the next working day, at the usual hour."""
    local_day = now.astimezone(timezone).date() + timedelta(days=days)
    return _at("snooze", calendar.on_or_after(local_day), policy, timezone).due_at


def _at(kind: str, day: date, policy: ReminderPolicy, timezone: ZoneInfo) -> PlannedReminder:
    local = datetime.combine(day, time(policy.hour, policy.minute), tzinfo=timezone)
    return PlannedReminder(kind, local.astimezone(UTC))
