"""E-mail addresses as typed in a spreadsheet, and which deadlines the day's e-mail carries."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.email_address import normalise, read_address
from domain.reminders.calendar import russian_calendar
from domain.reminders.email_day import in_todays_email
from domain.reminders.policy import ReminderPolicy


@pytest.mark.parametrize(
    ("cell", "address"),
    [
        ("director@school1.ru", "director@school1.ru"),
        ("  Director@School1.RU ", "Director@school1.ru"),  # the domain is case-blind
        ("mailto:sosh2@mail.ru", "sosh2@mail.ru"),
        ("<sosh3@yandex.ru>", "sosh3@yandex.ru"),
        ("sosh4@mail.ru; zam@mail.ru", "sosh4@mail.ru"),  # several: the first
        ("sosh5@mail.ru, zam@mail.ru", "sosh5@mail.ru"),
        ("школа@mail.ru director@школа.рф", "director@xn--80atdl2c.xn--p1ai"),
        ("first.last+roadmap@edu.irkutsk.ru", "first.last+roadmap@edu.irkutsk.ru"),
    ],
)
def test_addresses_people_type_are_read(cell: str, address: str) -> None:
    reading = read_address(cell)
    assert (reading.address, reading.problem) == (address, None)


@pytest.mark.parametrize(
    "cell",
    [
        "director@school",  # no domain
        "director.school.ru",
        "директор@школа.рф",  # a Cyrillic mailbox: no school address book has one
        "a..b@mail.ru",
        "@mail.ru",
        "director@-school.ru",
        "нет",
        "director@mail.123",
    ],
)
def test_what_is_not_an_address_is_reported_not_kept(cell: str) -> None:
    reading = read_address(cell)
    assert reading.address is None
    assert reading.problem == cell


def test_an_empty_cell_is_no_problem() -> None:
    assert read_address("   ") == read_address("")
    assert read_address("").address is None and read_address("").problem is None


def test_normalise_refuses_what_cannot_be_sent_to() -> None:
    assert normalise("x" * 65 + "@mail.ru") is None
    assert normalise("a@" + "b" * 64 + ".ru") is None
    assert normalise("a@mail.ru") == "a@mail.ru"


IRKUTSK = ZoneInfo("Asia/Irkutsk")
CALENDAR = russian_calendar(2026, 2027)
POLICY = ReminderPolicy()  # 14, 7, 3, 1 days before, the day, then every 3 working days
DUE = date(2026, 4, 17)  # a Friday


def included(today: date, last: date | None, told: bool, due: date = DUE) -> bool:
    return in_todays_email(
        due, POLICY, CALENDAR, IRKUTSK, today=today, last_email_on=last, told_before=told
    )


def test_told_before_only_on_the_days_a_chat_reminder_would_come() -> None:
    assert included(date(2026, 4, 3), date(2026, 4, 2), True)  # 14 days before
    assert not included(date(2026, 4, 6), date(2026, 4, 3), True)  # nothing since the 3rd
    assert included(date(2026, 4, 10), date(2026, 4, 6), True)  # 7 days before
    assert included(date(2026, 4, 17), date(2026, 4, 16), True)  # the day itself
    assert included(date(2026, 4, 22), date(2026, 4, 21), True)  # 3 working days late


def test_days_without_an_e_mail_are_gathered_into_the_next() -> None:
    # The server was down from the 9th to the 13th: the 10th's reminder comes on the 13th.
    assert included(date(2026, 4, 13), date(2026, 4, 8), True)


def test_never_told_it_comes_as_soon_as_its_first_reminder_has_passed() -> None:
    assert not included(date(2026, 3, 30), None, False)  # more than 14 days ahead
    assert included(date(2026, 4, 6), date(2026, 4, 5), False)  # imported mid-cycle
    assert included(date(2026, 6, 1), date(2026, 5, 29), False)  # long overdue, never told


def test_after_the_last_overdue_reminder_the_policy_is_silent() -> None:
    last_overdue = date(2026, 5, 15)
    assert not included(last_overdue + timedelta(days=10), last_overdue, True)


def test_the_days_e_mail_goes_on_working_days_only() -> None:
    from domain.reminders.email_day import is_email_day

    assert is_email_day(date(2026, 4, 20), CALENDAR)  # a Monday
    assert not is_email_day(date(2026, 4, 18), CALENDAR)  # a Saturday
    assert not is_email_day(date(2026, 5, 1), CALENDAR)  # a holiday
