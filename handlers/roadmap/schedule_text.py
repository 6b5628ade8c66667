"""A schedule read back in words, so a wrong reading is obvious at a glance.

«ежегодно до 1 ноября, 2026–2030», «по запросу — без срока».
"""

from __future__ import annotations

import itertools
from datetime import date

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from domain.deadlines import Schedule, ScheduleKind
from domain.deadlines.calendar_math import month_end

MAX_LISTED_DATES = 4


def describe_schedule(schedule: Schedule, locale: str) -> str:
    if schedule.kind is ScheduleKind.ON_REQUEST:
        return _("on request — no deadline")
    if schedule.kind is ScheduleKind.EXTERNAL:
        return _("dates are set elsewhere — please set them")
    if schedule.kind is ScheduleKind.UNKNOWN or not schedule.due:
        return _("deadline not recognised — please set the dates")
    due = schedule.due
    years = _years(due)
    if schedule.kind is ScheduleKind.CONTINUOUS:
        return _("ongoing, with a yearly report by {day}, {years}").format(
            day=_day_month(due[0], locale), years=years
        )
    if schedule.kind is ScheduleKind.RECURRING:
        return _recurring(schedule, locale, years)
    listed = _dates(due, locale)
    if schedule.start is not None and len(due) == 1:
        return _("from {start} to {due}").format(start=_full(schedule.start, locale), due=listed)
    return _("by {dates}").format(dates=listed)


def _recurring(schedule: Schedule, locale: str, years: str) -> str:
    due = schedule.due
    if len({(d.month, d.day) for d in due}) == 1 and len({d.year for d in due}) == len(due):
        text = _("every year by {day}, {years}").format(day=_day_month(due[0], locale), years=years)
        if schedule.start is not None:
            text += " " + _("(work starts {start})").format(start=_full(schedule.start, locale))
        return text
    if _every_month(due):
        if all(d == month_end(d.year, d.month) for d in due):
            return _("every month, by the end of the month, {years}").format(years=years)
        if len({d.day for d in due}) == 1:
            return _("every month by day {day}, {years}").format(day=due[0].day, years=years)
    if _only_month_ends(due, (3, 6, 9, 12)):
        return _("every quarter, by the end of the quarter, {years}").format(years=years)
    if _only_month_ends(due, (6, 12)):
        return _("every half-year, by 30 June and 31 December, {years}").format(years=years)
    return _("{count} deadlines: {dates}").format(count=len(due), dates=_dates(due, locale))


def _every_month(due: tuple[date, ...]) -> bool:
    months = [d.year * 12 + d.month for d in due]
    return len(due) > 1 and all(b - a == 1 for a, b in itertools.pairwise(months))


def _only_month_ends(due: tuple[date, ...], months: tuple[int, ...]) -> bool:
    return len(due) > 1 and all(d.month in months and d == month_end(d.year, d.month) for d in due)


def _years(due: tuple[date, ...]) -> str:
    first, last = due[0].year, due[-1].year
    return str(first) if first == last else f"{first}–{last}"


def _day_month(day: date, locale: str) -> str:
    return str(format_date(day, "d MMMM", locale=locale))


def _full(day: date, locale: str) -> str:
    return str(format_date(day, "d MMMM y", locale=locale))


def _dates(due: tuple[date, ...], locale: str) -> str:
    shown = ", ".join(_full(d, locale) for d in due[:MAX_LISTED_DATES])
    return shown + (" …" if len(due) > MAX_LISTED_DATES else "")
