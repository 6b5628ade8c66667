"""Reading free-text deadlines («Апрель 2026 г., далее ежегодно») into dated schedules."""

from domain.deadlines.model import MonthDay, Period, Schedule, ScheduleKind
from domain.deadlines.reading import read_deadline

__all__ = ["MonthDay", "Period", "Schedule", "ScheduleKind", "read_deadline"]
