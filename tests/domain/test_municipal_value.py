"""The municipality's value of an indicator: a share is Σ numerators / Σ denominators, never
a mean of percentages; no figures is «no data»; reached by direction and by the target's own
«не менее» / «не более»; a target in words is judged by a person."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.indicators.draft import Direction
from domain.indicators.municipal import (
    Aggregate,
    Comparator,
    Reached,
    Sums,
    is_percent,
    municipal_value,
    reached,
    read_target,
    russian_number,
    target_for_year,
)


def test_a_share_is_the_sum_of_numerators_over_the_sum_of_denominators() -> None:
    # Two schools: 1 of 10 (10 %) and 90 of 100 (90 %): the mean would be 50 %, the district 82 %.
    value = municipal_value(Aggregate.RATIO, Sums(91, 110, 2), expected=2, percent=True)
    assert value.value == pytest.approx(91 / 110 * 100)
    assert not value.partial


@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.integers(1, 500)).map(lambda t: (min(t), max(t))),
        min_size=1,
        max_size=40,
    )
)
def test_any_schools_share_is_their_totals_ratio(figures: list[tuple[int, int]]) -> None:
    numerator = sum(n for n, _ in figures)
    denominator = sum(d for _, d in figures)
    value = municipal_value(
        Aggregate.RATIO, Sums(numerator, denominator, len(figures)), expected=50, percent=True
    )
    assert value.value == pytest.approx(numerator / denominator * 100)
    assert value.partial == (len(figures) < 50)


def test_no_figures_is_no_data_never_zero() -> None:
    for aggregate in (Aggregate.RATIO, Aggregate.SUM, Aggregate.MEAN):
        value = municipal_value(aggregate, None, expected=19, percent=True)
        assert value.value is None
        assert value.answered == 0
    assert reached(None, read_target("10"), Direction.UP) is Reached.NO_DATA


def test_a_zero_denominator_is_no_data() -> None:
    value = municipal_value(Aggregate.RATIO, Sums(0, 0, 3), expected=3, percent=True)
    assert value.value is None


def test_sum_mean_and_the_coordinators_own_entry() -> None:
    assert municipal_value(Aggregate.SUM, Sums(12, None, 3), expected=3, percent=False).value == 12
    assert municipal_value(Aggregate.MEAN, Sums(12, None, 3), expected=3, percent=False).value == 4
    manual = municipal_value(Aggregate.MANUAL, None, expected=0, percent=True, entered=10.3)
    assert manual.value == 10.3


@pytest.mark.parametrize(
    ("printed", "number", "comparator"),
    [
        ("10", 10, None),
        ("не менее 80 %", 80, Comparator.AT_LEAST),
        ("не более 5 %", 5, Comparator.AT_MOST),
        ("85,5", 85.5, None),
        ("1 000", 1000, None),
        (
            "10 % от общей численности педагогических работников образовательных организаций",
            10,
            None,
        ),
        ("ежегодно, не менее 3 мероприятий", 3, Comparator.AT_LEAST),
        ("в 2020 году – 5 %, далее – 10 % от общей численности", None, None),
        ("достижение показателей федерального проекта", None, None),
    ],
)
def test_a_target_is_read_as_printed(
    printed: str, number: float | None, comparator: Comparator | None
) -> None:
    target = read_target(printed)
    assert target.number == number
    assert target.comparator == comparator
    assert target.printed == printed


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (10.3, "10", Direction.UP, Reached.YES),
        (9.5, "10", Direction.UP, Reached.NO),
        (9.96, "10", Direction.UP, Reached.YES),  # printed «10 %»: reached as the reader sees it
        (4.0, "5", Direction.DOWN, Reached.YES),
        (6.0, "5", Direction.DOWN, Reached.NO),
        (5.0, "не более 5 %", None, Reached.YES),
        (81.0, "не менее 80 %", Direction.DOWN, Reached.YES),  # the text's own word wins
        (10.0, "10", None, Reached.MANUAL),  # no direction known: a person judges
        (10.0, "в 2020 году – 5 %, далее – 10 %", Direction.UP, Reached.MANUAL),
    ],
)
def test_reached_by_direction_and_comparator(
    value: float, target: str, direction: Direction | None, expected: Reached
) -> None:
    assert reached(value, read_target(target), direction) is expected


def test_the_target_of_the_year_else_the_one_without_a_year() -> None:
    targets: list[tuple[int | None, str]] = [(2025, "10"), (2026, "12"), (2030, "20")]
    assert target_for_year(targets, 2026) == "12"
    assert target_for_year(targets, 2027) is None
    assert target_for_year([(None, "не менее 80 %")], 2027) == "не менее 80 %"


def test_percent_from_the_unit_or_the_targets() -> None:
    assert is_percent("%", [])
    assert is_percent("процентов", [])
    assert is_percent("", ["не менее 80 %"])
    assert not is_percent("человек", ["120"])


def test_numbers_as_a_russian_reader_writes_them() -> None:
    assert russian_number(10.3) == "10,3"
    assert russian_number(12.5) == "12,5"
    assert russian_number(1000) == "1\u00a0000"
    assert russian_number(10.0) == "10"
    assert russian_number(1234567.25, 2) == "1\u00a0234\u00a0567,25"


def test_what_puts_an_indicator_in_the_digest() -> None:
    from datetime import date

    from domain.indicators.municipal import needs_attention

    part = municipal_value(Aggregate.RATIO, Sums(3, 40, 3), expected=4, percent=True)
    on, before, after = date(2026, 12, 20), date(2026, 12, 1), date(2026, 12, 21)
    assert needs_attention(part, Reached.NO, on, after) == (True, True)
    assert needs_attention(part, Reached.YES, on, before) == (False, False)  # not due yet
    assert needs_attention(part, Reached.YES, on, after) == (False, True)
