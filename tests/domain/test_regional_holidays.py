"""The region's own days off (EXTRA_HOLIDAYS): Сагаалган moves a reminder as a federal holiday
does, from the setting through the running application to the planned reminder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.app import Application
from bot.settings import Settings, settings_problems
from domain.reminders.calendar import russian_calendar, set_regional_days_off
from domain.reminders.plan import plan_reminders
from domain.reminders.policy import ReminderPolicy
from standin import StandInServer
from tests.conftest import make_settings
from tests.support import MutableClock

ULAN_UDE = ZoneInfo("Asia/Irkutsk")
SAGAALGAN = "2026-02-18,2026-02-19"  # Белый месяц in Buryatia, 2026


@pytest.fixture(autouse=True)
def federal_calendar_after() -> Iterator[None]:
    yield
    set_regional_days_off(())  # the process-wide setting never leaks into other tests


def due_reminder_day() -> str:
    """The «due» reminder of a measure due on Thursday 19 February 2026."""
    planned = plan_reminders(
        date(2026, 2, 19),
        ReminderPolicy(),
        russian_calendar(2026, 2027),
        ULAN_UDE,
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    return next(p.due_at.astimezone(ULAN_UDE) for p in planned if p.kind == "due").strftime(
        "%a %d.%m"
    )


def test_the_setting_reads_a_list_of_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXTRA_HOLIDAYS", SAGAALGAN)
    assert Settings(_env_file=None).extra_holidays == (date(2026, 2, 18), date(2026, 2, 19))
    monkeypatch.setenv("EXTRA_HOLIDAYS", "18.02.2026")
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None)
    assert "EXTRA_HOLIDAYS: dates as YYYY-MM-DD" in settings_problems(refused.value)


async def test_sagaalgan_moves_the_reminder_of_the_running_bot(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> None:
    assert due_reminder_day() == "Thu 19.02"  # the federal calendar alone

    settings = make_settings(standin, db_url, tmp_path / "evidence").model_copy(
        update={"extra_holidays": Settings(_env_file=None, extra_holidays=SAGAALGAN).extra_holidays}
    )
    app = Application(settings, clock=clock, handle_signals=False)
    try:
        # Both days off: the reminder moves to the working day before them.
        assert due_reminder_day() == "Tue 17.02"
    finally:
        await app.bot.session.close()
        await app.outbox_bot.session.close()
        await app.engine.dispose()
