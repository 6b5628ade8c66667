"""The collection rule proposed from an indicator's wording, and a head's figures as typed."""

from __future__ import annotations

from datetime import date

import pytest

from domain.indicators.answers import (
    Figures,
    Problem,
    Refused,
    check_share,
    is_unusual,
    plain,
    read_figures,
)
from domain.indicators.collection import ReporterKind, Shape, propose_rule, questions

DIAGNOSTICS = (
    "Доля педагогических работников и управленческих кадров, прошедших диагностику "
    "профессиональных дефицитов"
)


def test_a_share_is_asked_as_two_questions_a_head_understands() -> None:
    rule = propose_rule(
        DIAGNOSTICS, "%", [2024, 2025, 2030], report_month=12, report_day=20, period=(2024, 2026)
    )
    assert rule.shape is Shape.SHARE
    assert rule.aggregate == "ratio"
    assert rule.reporters.kind is ReporterKind.ALL
    assert rule.numerator_question == (
        "Сколько педагогических работников и управленческих кадров прошли диагностику "
        "профессиональных дефицитов?"
    )
    assert rule.denominator_question == (
        "Сколько всего педагогических работников и управленческих кадров в школе?"
    )
    # the annual report day of every year of the period that has a target
    assert rule.as_of == (date(2024, 12, 20), date(2025, 12, 20))


def test_a_whole_named_in_the_wording_is_the_denominator() -> None:
    numerator, denominator = questions(
        "Удельный вес обучающихся, охваченных дополнительным образованием, в общей "
        "численности обучающихся 5–18 лет",
        share=True,
    )
    assert numerator == "Сколько обучающихся охвачены дополнительным образованием?"
    assert denominator == "Сколько всего обучающихся 5–18 лет в школе?"


def test_a_count_is_one_question_and_a_stated_day_is_kept() -> None:
    rule = propose_rule(
        "Количество педагогов, получивших грант, на 1 сентября",
        "человек",
        [None],
        report_month=12,
        report_day=31,
        period=(2025, 2026),
    )
    assert rule.shape is Shape.COUNT and rule.denominator_question is None
    assert rule.numerator_question == "Сколько педагогов получили грант, на 1 сентября?"
    assert rule.as_of == (date(2025, 9, 1), date(2026, 9, 1))
    assert rule.aggregate == "sum"


@pytest.mark.parametrize(
    "name",
    [
        "Доля общеобразовательных организаций, в которых созданы центры «Точка роста»",
        "Доля обучающихся муниципального образования, сдавших ЕГЭ",
    ],
)
def test_municipal_wording_is_reported_by_the_department(name: str) -> None:
    rule = propose_rule(name, "%", [2025], report_month=12, report_day=31, period=(2025, 2025))
    assert rule.reporters.kind is ReporterKind.DEPARTMENT
    assert rule.aggregate == "manual"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("103", Figures(103)),
        ("1 000", Figures(1000)),
        ("103 из 1000", Figures(103, 1000)),
        ("103 из 1 000", Figures(103, 1000)),
        ("103/1000", Figures(103, 1000)),
        ("сто три", Refused(Problem.NOT_A_NUMBER)),
        ("-5", Refused(Problem.NEGATIVE)),
        ("10,5", Refused(Problem.FRACTION)),
        ("10 %", Refused(Problem.PERCENT)),
        ("10 процентов", Refused(Problem.PERCENT)),
        ("", Refused(Problem.NOT_A_NUMBER)),
    ],
)
def test_figures_as_typed(text: str, expected: object) -> None:
    assert read_figures(text) == expected


def test_a_measured_value_may_have_a_decimal_part() -> None:
    assert read_figures("4,25", counts=False) == Figures(4.25)


def test_a_part_is_never_larger_than_its_whole() -> None:
    assert check_share(120, 100) is Problem.NUMERATOR_OVER_DENOMINATOR
    assert check_share(5, 0) is Problem.ZERO_DENOMINATOR
    assert check_share(100, 100) is None


def test_far_from_last_year() -> None:
    assert not is_unusual(10, 100, None, None)
    assert not is_unusual(12, 100, 10, 95)
    assert is_unusual(90, 100, 10, 100)  # the share moved by 80 points
    assert is_unusual(10, 1000, 10, 100)  # the staff grew tenfold
    assert is_unusual(300, None, 100, None)


def test_figures_are_written_as_a_russian_reader_writes_them() -> None:
    assert plain(1000) == "1 000"
    assert plain(12.5) == "12,5"
