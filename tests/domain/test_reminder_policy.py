"""The reminder policy on a fixed clock: offsets, working days, catch-up, snooze, overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from domain.reminders.calendar import WorkCalendar, russian_calendar
from domain.reminders.catch_up import DueReminder, latest_per_recipient
from domain.reminders.plan import plan_reminders, snooze_until
from domain.reminders.policy import ReminderPolicy

IRKUTSK = ZoneInfo("Asia/Irkutsk")
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
DEFAULT = ReminderPolicy()
CALENDAR = russian_calendar(2026, 2027)


def local_days(
    due_on: date, policy: ReminderPolicy = DEFAULT, not_before: datetime = LONG_AGO
) -> dict[str, str]:
    return {
        p.kind: p.due_at.astimezone(IRKUTSK).strftime("%a %d.%m %H:%M")
        for p in plan_reminders(due_on, policy, CALENDAR, IRKUTSK, not_before)
    }


def test_default_offsets_at_ten_local_time() -> None:
    assert local_days(date(2026, 4, 17)) == {
        "before:14": "Fri 03.04 10:00",
        "before:7": "Fri 10.04 10:00",
        "before:3": "Tue 14.04 10:00",
        "before:1": "Thu 16.04 10:00",
        "due": "Fri 17.04 10:00",
        "overdue:1": "Wed 22.04 10:00",
        "overdue:2": "Mon 27.04 10:00",
        "overdue:3": "Thu 30.04 10:00",
        "overdue:4": "Wed 06.05 10:00",  # 1 May is a holiday
        "overdue:5": "Tue 12.05 10:00",  # 9 and 11 May are days off
    }


def test_ten_in_irkutsk_is_two_in_utc() -> None:
    first = plan_reminders(date(2026, 4, 17), ReminderPolicy(), CALENDAR, IRKUTSK, LONG_AGO)[0]
    assert first.due_at == datetime(2026, 4, 3, 2, 0, tzinfo=UTC)


def test_may_holidays_move_reminders_back_and_merge_them() -> None:
    days = local_days(date(2026, 5, 12))
    # 3 days before is Saturday 9 May, 1 day before is Monday 11 May (day off): both Friday 8 May,
    # which gets one reminder, the nearer one.
    assert days["before:1"] == "Fri 08.05 10:00"
    assert "before:3" not in days
    assert days["overdue:1"] == "Fri 15.05 10:00"


def test_new_year_holidays() -> None:
    days = local_days(date(2027, 1, 11))
    # 7, 3 and 1 days before fall on 4, 8 and 10 January: all inside the holidays, and
    # 31 December 2026 is a day off too, so they become one reminder on 30 December.
    assert {k: v for k, v in days.items() if k.startswith(("before", "due"))} == {
        "before:14": "Mon 28.12 10:00",
        "before:1": "Wed 30.12 10:00",
        "due": "Mon 11.01 10:00",
    }


def test_deadline_on_a_weekend_is_reminded_on_friday() -> None:
    assert local_days(date(2026, 4, 18))["due"] == "Fri 17.04 10:00"


def test_working_saturday_counts() -> None:
    calendar = WorkCalendar(days_off=(), working_weekends=(date(2027, 2, 20),))
    assert calendar.is_working_day(date(2027, 2, 20))
    assert CALENDAR.is_working_day(date(2027, 2, 20))


def test_past_moments_are_not_planned() -> None:
    now = datetime(2026, 4, 15, 0, 0, tzinfo=UTC)
    assert list(local_days(date(2026, 4, 17), not_before=now)) == [
        "before:1",
        "due",
        "overdue:1",
        "overdue:2",
        "overdue:3",
        "overdue:4",
        "overdue:5",
    ]


def test_deadline_long_past_plans_nothing() -> None:
    assert local_days(date(2022, 9, 30), not_before=datetime(2026, 11, 22, tzinfo=UTC)) == {}


def test_overrides() -> None:
    policy = ReminderPolicy().overridden(
        {"before_days": [2, 0], "hour": 9, "overdue_every": 5, "overdue_max": 1, "bogus": 1}
    )
    assert local_days(date(2026, 4, 17), policy) == {
        "before:2": "Wed 15.04 09:00",
        "due": "Fri 17.04 09:00",
        "overdue:1": "Fri 24.04 09:00",
    }
    assert ReminderPolicy().overridden({"hour": 99, "before_days": "often"}) == ReminderPolicy()


def test_snooze_lands_on_the_next_working_day() -> None:
    friday_evening = datetime(2026, 4, 17, 12, 0, tzinfo=UTC)
    tomorrow = snooze_until(friday_evening, 1, ReminderPolicy(), CALENDAR, IRKUTSK)
    in_three_days = snooze_until(friday_evening, 3, ReminderPolicy(), CALENDAR, IRKUTSK)
    assert tomorrow.astimezone(IRKUTSK).strftime("%a %d.%m %H:%M") == "Mon 20.04 10:00"
    assert in_three_days.astimezone(IRKUTSK).strftime("%a %d.%m %H:%M") == "Mon 20.04 10:00"
    tuesday = datetime(2026, 4, 21, 3, 0, tzinfo=UTC)
    assert (
        snooze_until(tuesday, 3, ReminderPolicy(), CALENDAR, IRKUTSK).astimezone(IRKUTSK).day == 24
    )


def test_catch_up_sends_only_the_latest_per_person() -> None:
    at = [datetime(2026, 4, day, 2, tzinfo=UTC) for day in (3, 10, 14)]
    due = [DueReminder(i + 1, 7, 1, when) for i, when in enumerate(at)]
    due.append(DueReminder(9, 7, 2, at[0]))
    send, skip = latest_per_recipient(due)
    assert sorted(r.reminder_id for r in send) == [3, 9]
    assert sorted(r.reminder_id for r in skip) == [1, 2]
