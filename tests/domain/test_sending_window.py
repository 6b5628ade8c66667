"""The sending window: working days of the production calendar, within local hours."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from domain.reminders.calendar import russian_calendar
from domain.reminders.window import SendingWindow

IRKUTSK = ZoneInfo("Asia/Irkutsk")
CALENDAR = russian_calendar(2026, 2027)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=IRKUTSK).astimezone(UTC)


@pytest.mark.parametrize(
    ("now", "opening"),
    [
        ("2026-12-02T16:00", "2026-12-02T16:00"),  # a working afternoon: at once
        ("2026-12-02T08:59", "2026-12-02T09:00"),  # before the window
        ("2026-12-02T18:00", "2026-12-03T09:00"),  # the window has just closed
        ("2026-12-04T19:00", "2026-12-07T09:00"),  # Friday evening: Monday
        ("2026-12-30T20:00", "2027-01-11T09:00"),  # the New Year holidays
    ],
)
def test_next_opening(now: str, opening: str) -> None:
    assert SendingWindow().next_opening(at(now), CALENDAR, IRKUTSK) == at(opening)


def test_every_day_when_asked() -> None:
    window = SendingWindow(time(0, 0), time(23, 59), working_days_only=False)
    assert window.is_open(at("2026-12-05T03:00"), CALENDAR, IRKUTSK)  # a Saturday night
