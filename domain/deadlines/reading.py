"""``read_deadline``: a deadline text, the roadmap's period and report date -> a schedule.

The meaning is fixed by specs/deadlines.md. In short, the kind is decided in this order:
on request > dates set elsewhere (unless the text states dates itself) > monthly, quarterly or
half-yearly repetition > ongoing work > yearly repetition > stated dates > unknown.
"""

from __future__ import annotations

from datetime import date

from domain.deadlines import text as markers
from domain.deadlines.calendar_math import (
    HALF_END_MONTHS,
    QUARTER_END_MONTHS,
    day_in_month,
    first_date_from,
    first_year_from,
    month_end,
    months_of,
)
from domain.deadlines.groups import DateRef, Reading, Window, group
from domain.deadlines.model import DECEMBER_31, MonthDay, Period, Schedule, ScheduleKind
from domain.deadlines.tokens import tokenize

MAX_TEXT_LENGTH = 2_000  # a deadline is a phrase; anything longer is read by its beginning


def read_deadline(text: str, period: Period, annual_due: MonthDay = DECEMBER_31) -> Schedule:
    """Never raises on any text: what cannot be read is ``unknown``."""
    cleaned = markers.normalise(text[:MAX_TEXT_LENGTH])
    if not cleaned:
        return Schedule(ScheduleKind.UNKNOWN)
    if markers.has(markers.ON_REQUEST, cleaned):
        return Schedule(ScheduleKind.ON_REQUEST)
    reading = group(tokenize(cleaned))
    states_dates = bool(reading.windows or reading.dates or reading.quarters or reading.halves)
    if markers.has(markers.EXTERNAL, cleaned) and not states_dates:
        return Schedule(ScheduleKind.EXTERNAL)

    if sub_annual := _sub_annual(cleaned, reading, period):
        return sub_annual
    if markers.has(markers.CONTINUOUS, cleaned):
        return _continuous(reading, period, annual_due)
    if markers.has(markers.ANNUAL, cleaned) or _repeats_over_years(reading):
        return _annual(reading, period, annual_due)
    if states_dates or reading.years:
        return _once(reading, period)
    return Schedule(ScheduleKind.UNKNOWN)


# --- repetition within a year --------------------------------------------------------------


def _sub_annual(cleaned: str, reading: Reading, period: Period) -> Schedule | None:
    if markers.has(markers.MONTHLY, cleaned) or (
        reading.day_of_month is not None and not reading.windows and not reading.dates
    ):
        months = [(y, m) for y, m in months_of(period)]
        dates = [
            day_in_month(y, m, reading.day_of_month) if reading.day_of_month else month_end(y, m)
            for y, m in months
        ]
        return _recurring(dates, period, reading)
    if markers.has(markers.QUARTERLY, cleaned):
        return _recurring(_ends_in(period, QUARTER_END_MONTHS), period, reading)
    if markers.has(markers.HALF_YEARLY, cleaned):
        return _recurring(_ends_in(period, HALF_END_MONTHS), period, reading)
    return None


def _ends_in(period: Period, months: tuple[int, ...]) -> list[date]:
    return [month_end(y, m) for y, m in months_of(period) if m in months]


def _recurring(dates: list[date], period: Period, reading: Reading) -> Schedule:
    years = reading.stated_years
    kept = [d for d in dates if d in period and (not years or d.year in years)]
    return Schedule(ScheduleKind.RECURRING, tuple(sorted(set(kept))))


# --- ongoing work and yearly repetition ----------------------------------------------------


def _yearly(period: Period, day: MonthDay, years: set[int] | None = None) -> list[date]:
    dates = [day.in_year(y) for y in period.years]
    return [d for d in dates if d in period and (not years or d.year in years)]


def _continuous(reading: Reading, period: Period, annual_due: MonthDay) -> Schedule:
    dates = _yearly(period, annual_due, reading.stated_years)
    return Schedule(ScheduleKind.CONTINUOUS, tuple(dates))


def _repeats_over_years(reading: Reading) -> bool:
    """«Август 2022-2024», «2024-2025 гг.»: a span of years with no «ежегодно» still repeats."""
    return any(w.years for w in reading.windows) or (
        bool(reading.year_ranges) and not reading.dates and not reading.windows
    )


def _annual(reading: Reading, period: Period, annual_due: MonthDay) -> Schedule:
    first_year, last_year = _annual_span(reading, period)
    if reading.dates:
        anchors = [a for a in (_anchor(d) for d in reading.dates) if a is not None]
        stated = [date(d.year, d.month, d.day) for d in reading.dates if d.year and _valid(d)]
        dates = stated + [a.in_year(y) for a in anchors for y in range(first_year, last_year + 1)]
        return _annual_schedule(dates, stated, period)
    if reading.windows:
        dates, stated, start = [], [], None
        for window in reading.windows:
            for year in range(first_year, last_year + 1):
                opens, due = _window_dates(window, year)
                dates.append(due)
                if window.first.year == year or window.last.year == year:
                    stated.append(due)
                if start is None and len(reading.windows) == 1 and _is_range(window):
                    start = opens
        return _annual_schedule(dates, stated, period, start)
    if reading.quarters or reading.halves:
        ends = [QUARTER_END_MONTHS[q - 1] for q, _ in reading.quarters if 1 <= q <= 4]
        ends += [HALF_END_MONTHS[h - 1] for h, _ in reading.halves if 1 <= h <= 2]
        dates = [month_end(y, m) for m in ends for y in range(first_year, last_year + 1)]
        return _annual_schedule(dates, [], period)
    dates = _yearly(period, annual_due, set(range(first_year, last_year + 1)))
    return Schedule(ScheduleKind.RECURRING, tuple(dates))


def _annual_span(reading: Reading, period: Period) -> tuple[int, int]:
    """From the first stated year («Январь 2027 г., далее ежегодно») to the period's end."""
    for window in reading.windows:
        if window.years:
            return window.years
    if reading.year_ranges:
        return reading.year_ranges[0]
    stated: list[int | None] = [w.first.year or w.last.year for w in reading.windows]
    stated += [d.year for d in reading.dates]
    stated += reading.years
    first = min((y for y in stated if y), default=period.start.year)
    return first, period.end.year


def _annual_schedule(
    dates: list[date], stated: list[date], period: Period, start: date | None = None
) -> Schedule:
    # Stated dates stay even outside the period; generated repetitions stay inside it.
    kept = {d for d in dates if d in period} | set(stated)
    if not kept:
        return Schedule(ScheduleKind.UNKNOWN)
    return Schedule(ScheduleKind.RECURRING, tuple(sorted(kept)), start)


# --- stated dates ----------------------------------------------------------------------------


def _once(reading: Reading, period: Period) -> Schedule:
    windows = [_resolve_window(w, period) for w in reading.windows]
    window_start = windows[0][0] if windows else None
    if reading.dates:
        not_before = window_start or period.start
        dates = [_resolve_date(d, not_before) for d in reading.dates if _valid(d)]
        if not dates:
            return Schedule(ScheduleKind.UNKNOWN)
        start = window_start if len(dates) == 1 else None
        return Schedule(ScheduleKind.ONCE, tuple(sorted(set(dates))), start)
    dues = [due for _opens, due in windows]
    dues += [
        _quarter_end(q, y, period, QUARTER_END_MONTHS) for q, y in reading.quarters if 1 <= q <= 4
    ]
    dues += [_quarter_end(h, y, period, HALF_END_MONTHS) for h, y in reading.halves if 1 <= h <= 2]
    if not dues:
        dues = [date(y, 12, 31) for y in reading.years]
    if not dues:
        return Schedule(ScheduleKind.UNKNOWN)
    start = None
    if len(dues) == 1 and len(reading.windows) == 1 and _is_range(reading.windows[0]):
        start = window_start
    return Schedule(ScheduleKind.ONCE, tuple(sorted(set(dues))), start)


def _is_range(window: Window) -> bool:
    return (window.first.month, window.first.year) != (window.last.month, window.last.year)


def _resolve_window(window: Window, period: Period) -> tuple[date, date]:
    """The first and last day of a window, its years filled in from the text or the period."""
    first, last = window.first, window.last
    if first.year is None and last.year is not None:
        first_year = last.year if first.month <= last.month else last.year - 1
    elif first.year is not None:
        first_year = first.year
    else:
        first_year = first_year_from(first.month, period.start)
    return _window_dates(window, first_year)


def _window_dates(window: Window, first_year: int) -> tuple[date, date]:
    first, last = window.first, window.last
    if first.year is not None and last.year is not None and first.year != last.year:
        last_year = first_year + (last.year - first.year)
    else:
        last_year = first_year if last.month >= first.month else first_year + 1
    return date(first_year, first.month, 1), month_end(last_year, last.month)


def _quarter_end(number: int, year: int | None, period: Period, ends: tuple[int, ...]) -> date:
    month = ends[number - 1]
    if year is None:
        start_month = month - (12 // len(ends)) + 1
        year = first_year_from(start_month, period.start)
    return month_end(year, month)


def _anchor(ref: DateRef) -> MonthDay | None:
    try:
        return MonthDay(ref.month, ref.day)
    except ValueError:  # «31 апреля»: not a day of any year
        return None


def _valid(ref: DateRef) -> bool:
    try:
        day_in_month(ref.year or 2000, ref.month, 1)
        return ref.day <= 31 and (ref.year is None or ref.day <= month_end(ref.year, ref.month).day)
    except ValueError:
        return False


def _resolve_date(ref: DateRef, not_before: date) -> date:
    if ref.year is not None:
        return date(ref.year, ref.month, ref.day)
    return first_date_from(ref.month, ref.day, not_before)
