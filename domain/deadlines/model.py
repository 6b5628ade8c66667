"""What a deadline means: a kind, the dates reports are due, and when the work window opens."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ScheduleKind(StrEnum):
    ONCE = "once"
    RECURRING = "recurring"
    CONTINUOUS = "continuous"
    ON_REQUEST = "on_request"
    EXTERNAL = "external"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Schedule:
    kind: ScheduleKind
    due: tuple[date, ...] = ()
    start: date | None = None

    @property
    def needs_dates(self) -> bool:
        """External and unknown deadlines wait for the coordinator to set dates."""
        return self.kind in (ScheduleKind.EXTERNAL, ScheduleKind.UNKNOWN)


@dataclass(frozen=True, slots=True, order=True)
class MonthDay:
    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.day <= 31:
            raise ValueError(f"not a day of the year: {self.month:02d}-{self.day:02d}")
        if self.day > _max_day(self.month):
            raise ValueError(f"not a day of the year: {self.month:02d}-{self.day:02d}")

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """``MM-DD``, e.g. ``11-01`` for 1 November."""
        match = re.fullmatch(r"\s*(\d{1,2})-(\d{1,2})\s*", text)
        if not match:
            raise ValueError(f"expected MM-DD, got {text!r}")
        return cls(int(match[1]), int(match[2]))

    def in_year(self, year: int) -> date:
        # 29 February becomes 28 February in common years.
        return date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))


def _max_day(month: int) -> int:
    return 29 if month == 2 else calendar.monthrange(2001, month)[1]


DECEMBER_31 = MonthDay(12, 31)


@dataclass(frozen=True, slots=True)
class Period:
    """The span a roadmap covers: calendar years, or a school year (1 Sep - 31 Aug)."""

    start: date
    end: date

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-2030``, ``2025`` or ``2025/2026`` (a school year)."""
        cleaned = text.strip()
        if match := re.fullmatch(r"(\d{4})\s*/\s*(\d{4})", cleaned):
            first, second = int(match[1]), int(match[2])
            if second != first + 1:
                raise ValueError(f"a school year spans two consecutive years, got {text!r}")
            return cls(date(first, 9, 1), date(second, 8, 31))
        if match := re.fullmatch(r"(\d{4})\s*[-–—]\s*(\d{4})", cleaned):
            first, last = int(match[1]), int(match[2])
            if last < first:
                raise ValueError(f"the period ends before it starts: {text!r}")
            return cls(date(first, 1, 1), date(last, 12, 31))
        if match := re.fullmatch(r"(\d{4})", cleaned):
            year = int(match[1])
            return cls(date(year, 1, 1), date(year, 12, 31))
        raise ValueError(f"expected a period like 2026-2030, 2025 or 2025/2026, got {text!r}")

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def label(self) -> str:
        if self.start.month == 9 and self.start.day == 1 and self.end.year == self.start.year + 1:
            return f"{self.start.year}/{self.end.year}"
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}-{self.end.year}"
