"""When people may be written to: working days, within local sending hours.

Regular reminders go out at the policy's hour; a catch-up (for what became due or overdue before
a person could hear of it) waits for the next moment inside this window instead of arriving at
night or on a Sunday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.reminders.calendar import WorkCalendar


@dataclass(frozen=True, slots=True)
class SendingWindow:
    start: time = time(9, 0)
    end: time = time(18, 0)
    working_days_only: bool = True  # False: weekends and holidays too (a 24/7 service desk)

    def is_open(self, now: datetime, calendar: WorkCalendar, timezone: ZoneInfo) -> bool:
        local = now.astimezone(timezone)
        return self._sends_on(local.date(), calendar) and self.start <= local.time() < self.end

    def _sends_on(self, day: date, calendar: WorkCalendar) -> bool:
        return not self.working_days_only or calendar.is_working_day(day)

    def next_opening(self, now: datetime, calendar: WorkCalendar, timezone: ZoneInfo) -> datetime:
        """``now`` if the window is open, else the start of the next one (aware UTC)."""
        if self.is_open(now, calendar, timezone):
            return now
        local = now.astimezone(timezone)
        day = local.date()
        if local.time() >= self.start:  # today's window is over (or today is a day off)
            day += timedelta(days=1)
        while not self._sends_on(day, calendar):
            day += timedelta(days=1)
        return datetime.combine(day, self.start, tzinfo=timezone).astimezone(UTC)

    def closing_of(self, moment: datetime, timezone: ZoneInfo) -> datetime:
        """The end of the window on ``moment``'s local day (aware UTC)."""
        day = moment.astimezone(timezone).date()
        return datetime.combine(day, self.end, tzinfo=timezone).astimezone(UTC)
