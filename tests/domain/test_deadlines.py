"""Deadline texts read exactly as specs/deadlines.md defines, on every labelled example."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.deadlines import MonthDay, Period, Schedule, ScheduleKind, read_deadline

# A copy of ../shared/specs, so a clone of this repository tests on its own.
EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "specs" / "deadline_examples.tsv"


def labelled_examples() -> list[tuple[str, str, str, str, str]]:
    rows = []
    with EXAMPLES.open(encoding="utf-8") as file:
        for row in csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or row[0].startswith("#"):
                continue
            period, text, kind, due = row[:4]
            start = row[4] if len(row) > 4 else ""
            rows.append((period, text, kind, due, start))
    return rows


def period_of(label: str) -> Period:
    first, _, last = label.partition("-")
    return Period.parse(first if first == last else label)


def test_the_examples_file_is_there() -> None:
    assert len(labelled_examples()) >= 70


@pytest.mark.parametrize(
    ("period", "text", "kind", "due", "start"), labelled_examples(), ids=lambda v: str(v)[:40]
)
def test_every_labelled_example(period: str, text: str, kind: str, due: str, start: str) -> None:
    schedule = read_deadline(text, period_of(period))
    assert schedule.kind.value == kind
    assert ",".join(d.isoformat() for d in schedule.due) == due
    assert (schedule.start.isoformat() if schedule.start else "") == start


def dates(*isos: str) -> tuple[date, ...]:
    return tuple(date.fromisoformat(iso) for iso in isos)


P2026 = Period.parse("2026-2030")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IV квартал", Schedule(ScheduleKind.ONCE, dates("2026-12-31"))),
        ("1 полугодие 2027 года", Schedule(ScheduleKind.ONCE, dates("2027-06-30"))),
        ("17.04.2026", Schedule(ScheduleKind.ONCE, dates("2026-04-17"))),
        ("до 20.04.26 г.", Schedule(ScheduleKind.ONCE, dates("2026-04-20"))),
        ("не позднее 1 сентября 2026 года", Schedule(ScheduleKind.ONCE, dates("2026-09-01"))),
        ("2026-04-17", Schedule(ScheduleKind.ONCE, dates("2026-04-17"))),
        ("2026 г.", Schedule(ScheduleKind.ONCE, dates("2026-12-31"))),
        (
            "Март – апрель 2027 г.",
            Schedule(ScheduleKind.ONCE, dates("2027-04-30"), date(2027, 3, 1)),
        ),
        ("май, сентябрь 2026 года", Schedule(ScheduleKind.ONCE, dates("2026-05-31", "2026-09-30"))),
        ("в течение 2027 года", Schedule(ScheduleKind.CONTINUOUS, dates("2027-12-31"))),
        ("2027-2028 гг.", Schedule(ScheduleKind.RECURRING, dates("2027-12-31", "2028-12-31"))),
        ("в сроки, установленные министерством", Schedule(ScheduleKind.EXTERNAL)),
        ("по мере необходимости", Schedule(ScheduleKind.ON_REQUEST)),
        ("По мере поступления", Schedule(ScheduleKind.ON_REQUEST)),
        ("по мере возникновения потребности", Schedule(ScheduleKind.ON_REQUEST)),
        ("", Schedule(ScheduleKind.UNKNOWN)),
        ("непонятно что", Schedule(ScheduleKind.UNKNOWN)),
        ("31.02.2026", Schedule(ScheduleKind.UNKNOWN)),
    ],
)
def test_other_wordings(text: str, expected: Schedule) -> None:
    assert read_deadline(text, P2026) == expected


@pytest.mark.parametrize(
    ("text", "first", "count"),
    [
        ("до 25 числа каждого месяца", "2026-01-25", 60),
        ("1 раз в месяц", "2026-01-31", 60),
        ("ежеквартально", "2026-03-31", 20),
        ("раз в полугодие", "2026-06-30", 10),
        ("ежегодно, IV квартал", "2026-12-31", 5),
        ("Далее – ежегодно", "2026-12-31", 5),
        ("ежего дно", "2026-12-31", 5),  # a word split by a stray space
        ("август 2026-2030 гг.", "2026-08-31", 5),
        ("сентябрь-октябрь ежегодно", "2026-10-31", 5),
        ("в течение всего периода", "2026-12-31", 5),
    ],
)
def test_repetitions(text: str, first: str, count: int) -> None:
    schedule = read_deadline(text, P2026)
    assert schedule.due[0] == date.fromisoformat(first)
    assert len(schedule.due) == count
    assert all(day in P2026 for day in schedule.due)


def test_annual_report_date_drives_yearly_and_ongoing_work() -> None:
    november = MonthDay(11, 1)
    assert read_deadline("Ежегодно", P2026, november).due[0] == date(2026, 11, 1)
    assert read_deadline("постоянно", P2026, november).due[-1] == date(2030, 11, 1)


def test_school_year_periods() -> None:
    school_year = Period.parse("2025/2026")
    assert read_deadline("февраль", school_year).due == dates("2026-02-28")
    assert read_deadline("Сентябрь-май", school_year) == Schedule(
        ScheduleKind.ONCE, dates("2026-05-31"), date(2025, 9, 1)
    )


@pytest.mark.parametrize("text", ["2030-2026", "25", "2025/2027", "весь срок", ""])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"period|school year|ends before"):
        Period.parse(text)


@pytest.mark.parametrize("text", ["13-01", "02-30", "1101", ""])
def test_bad_annual_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"MM-DD|not a day"):
        MonthDay.parse(text)


russian_words = st.sampled_from(
    [
        "январь",
        "мая",
        "2026",
        "2021-2024",
        "-",
        "–",
        ",",
        "ежегодно",
        "до",
        "31",
        "числа",
        "IV",
        "квартал",
        "полугодие",
        "29.02",
        "31.04",
        "по",
        "запросу",
        "(",
        ")",
        "г.",
        "далее",
        "00.13",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    schedule = read_deadline(text, P2026)
    assert schedule.due == tuple(sorted(set(schedule.due)))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(russian_words, max_size=12).map(" ".join),
    st.sampled_from(["2025", "2024/2025", "2022-2024"]),
)
def test_never_raises_on_deadline_like_text(text: str, period: str) -> None:
    schedule = read_deadline(text, Period.parse(period), MonthDay(2, 29))
    assert schedule.kind in ScheduleKind
    if schedule.kind in (ScheduleKind.ON_REQUEST, ScheduleKind.EXTERNAL, ScheduleKind.UNKNOWN):
        assert schedule.due == ()
