"""Working days of the Russian production calendar (weekends, holidays, moved days off), and the
region's own days off on top of it (Сагаалган in Buryatia, Шагаа in Tuva, Курбан-байрам in
Tatarstan), which the ``holidays`` package does not know: it has no Russian subdivisions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

SATURDAY = 5


class WorkCalendar:
    def __init__(self, days_off: Iterable[date], working_weekends: Iterable[date] = ()) -> None:
        self._days_off = frozenset(days_off)
        self._working_weekends = frozenset(working_weekends)

    def is_working_day(self, day: date) -> bool:
        if day in self._working_weekends:
            return True
        return day.weekday() < SATURDAY and day not in self._days_off

    def on_or_before(self, day: date) -> date:
        """Reminders that fall on a day off move to the working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day


_regional_days_off: frozenset[date] = frozenset()


def set_regional_days_off(days: Iterable[date]) -> None:
    """The region's extra non-working days (the ``EXTRA_HOLIDAYS`` setting), for every calendar
    made after this. The composition root sets them once at start, before any reminder is
    planned; one setting for the whole process, as the production calendar itself is."""
    global _regional_days_off
    _regional_days_off = frozenset(days)
    russian_calendar.cache_clear()


@lru_cache(maxsize=8)
def russian_calendar(first_year: int, last_year: int) -> WorkCalendar:
    """The production calendar as the ``holidays`` package knows it, with a year of margin,
    and the region's own days off."""
    years = range(first_year - 1, last_year + 2)
    calendar = holidays.country_holidays("RU", years=years)
    working: set[date] = getattr(calendar, "weekend_workdays", set())
    return WorkCalendar({*calendar.keys(), *_regional_days_off}, working - _regional_days_off)
