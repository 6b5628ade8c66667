"""A request's deadline as the coordinator types it, and its addressees kept as JSON."""

from __future__ import annotations

from datetime import date

import pytest

from domain.requests import AddresseeKind, Addressees, DueProblem, DueReading, read_request_due

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("до 10.12", date(2026, 12, 10)),
        ("18 декабря", date(2026, 12, 18)),
        ("в срок до 18.12.2026", date(2026, 12, 18)),
        ("2026-12-02", TODAY),  # today is still in time
        ("15.01", date(2027, 1, 15)),  # January typed in December: next year's
    ],
)
def test_one_date_from_today_on(text: str, due: date) -> None:
    assert read_request_due(text, TODAY) == DueReading(due, None)


def test_dates_that_have_gone_or_are_not_one_date() -> None:
    assert read_request_due("10.11", TODAY) == DueReading(date(2026, 11, 10), DueProblem.PAST)
    assert read_request_due("01.12.2026", TODAY).problem is DueProblem.PAST
    assert read_request_due("в течение недели", TODAY).problem is DueProblem.UNREADABLE
    assert read_request_due("ежегодно до 1 ноября", TODAY).problem is DueProblem.SEVERAL


def test_addressees_survive_the_conversation_state() -> None:
    chosen = Addressees(AddresseeKind.ORGANISATIONS, None, (3, 5))
    assert Addressees.from_json(chosen.as_json()) == chosen
    tagged = Addressees(AddresseeKind.TAG, "ШНОР")
    assert Addressees.from_json(tagged.as_json()) == tagged
