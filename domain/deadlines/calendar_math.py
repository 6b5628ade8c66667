"""Small date helpers: ends of months, quarters and half-years, and first occurrences."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date

from domain.deadlines.model import Period

QUARTER_END_MONTHS = (3, 6, 9, 12)
HALF_END_MONTHS = (6, 12)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def day_in_month(year: int, month: int, day: int) -> date:
    """``day`` of the month, or its last day when the month is shorter («до 31 числа»)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def first_year_from(month: int, not_before: date) -> int:
    """The year in which ``month`` first begins on or after ``not_before``."""
    return not_before.year if month >= not_before.month else not_before.year + 1


def first_date_from(month: int, day: int, not_before: date) -> date:
    candidate = day_in_month(not_before.year, month, day)
    return candidate if candidate >= not_before else day_in_month(not_before.year + 1, month, day)


def months_of(period: Period) -> Iterator[tuple[int, int]]:
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
