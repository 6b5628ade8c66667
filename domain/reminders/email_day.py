"""What the day's e-mail tells someone who is in no messenger: what the reminder policy would
have sent them in the chat since their last e-mail, gathered into one e-mail a day at most."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from domain.reminders.calendar import WorkCalendar
from domain.reminders.plan import all_reminders
from domain.reminders.policy import ReminderPolicy


def in_todays_email(
    due_on: date,
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    timezone: ZoneInfo,
    *,
    today: date,
    last_email_on: date | None,
    told_before: bool,
) -> bool:
    """Whether a deadline belongs in today's e-mail.

    Told about it before: only when one of the policy's reminders fell after the last e-mail
    (14, 7, 3, 1 days before, the day, then every few working days while overdue). Never told:
    as soon as its first reminder has passed, like the catch-up in the chat for someone who
    hears of a deadline late (the roadmap imported mid-cycle, the person added later).
    """
    days = [
        planned.due_at.astimezone(timezone).date()
        for planned in all_reminders(due_on, policy, calendar, timezone)
    ]
    if not told_before or last_email_on is None:
        return any(day <= today for day in days)
    return any(last_email_on < day <= today for day in days)


def is_email_day(day: date, calendar: WorkCalendar) -> bool:
    """The day's e-mail goes on working days only, like the chat's reminders: what fell due
    over a weekend or a holiday comes in the next working day's e-mail."""
    return calendar.is_working_day(day)
