"""The indicators' words in the reader's language: «10,3 % (103 из 1 000), ответили 17 из 20
школ», «нет данных», «достигнуто», for «Таблица 1», the «Показатели» sheet, the digest and the
command line's table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.indicators.municipal import Aggregate, Reached, russian_number, target_for_year
from formats.indicator_table import SheetFigure, SheetValue, Table1, Table1Row
from storage.usecases.indicator_table import IndicatorLine, IndicatorYear, SchoolFigure


def reached_word(reached: Reached) -> str:
    return {
        Reached.YES: _("reached"),
        Reached.NO: _("not reached"),
        Reached.MANUAL: _("to be judged by hand"),
        Reached.NO_DATA: "—",
    }[reached]


def name_with_unit(line: IndicatorLine) -> str:
    return f"{line.name}, {line.unit}" if line.unit else line.name


def value_text(line: IndicatorLine, year: IndicatorYear | None) -> str:
    """«10,3 % (103 из 1 000), ответили 17 из 20 школ»; «нет данных» is never a zero."""
    if year is None or year.value.value is None:
        if year is not None and year.value.expected:
            return _("no data: {answered}").format(answered=_answered(year))
        return _("no data")
    value = year.value
    shown = russian_number(value.value or 0.0) + (" %" if line.percent else "")
    if value.aggregate is Aggregate.MANUAL:
        return shown
    sums = value.sums
    if value.aggregate is Aggregate.RATIO and sums is not None and sums.denominator is not None:
        shown += " " + _("({numerator} of {denominator})").format(
            numerator=russian_number(sums.numerator), denominator=russian_number(sums.denominator)
        )
    elif value.aggregate is Aggregate.MEAN:
        shown += " " + _("(mean)")
    return f"{shown}, {_answered(year)}" if value.expected else shown


def _answered(year: IndicatorYear) -> str:
    answered, expected = year.value.answered, year.value.expected
    return (
        ngettext("{n} answered", "{n} answered", answered).format(n=answered)
        + " "
        + ngettext("of {n} school", "of {n} schools", expected).format(n=expected)
    )


def table1(lines: Sequence[IndicatorLine], as_of: date) -> Table1:
    day = f"{as_of:%d.%m.%Y}"
    rows = []
    for line in lines:
        year = line.on(as_of)
        planned = target_for_year(list(line.targets), as_of.year) or (
            year.target if year is not None and year.target else "—"
        )
        rows.append(
            Table1Row(
                number=line.number,
                name=name_with_unit(line),
                planned=planned,
                actual=value_text(line, year),
                reached=reached_word(year.reached) if year is not None else "—",
            )
        )
    return Table1(
        heading=_("Target indicators"),
        caption=_("Table 1"),
        columns=(
            "№ п/п",
            _("Result (indicator)"),
            _("Planned value"),
            _("Actual value (as of {date})").format(date=day),
            _("Reached or not"),
        ),
        rows=rows,
    )


def sheet_values(lines: Sequence[IndicatorLine]) -> list[SheetValue]:
    values = []
    for line in lines:
        for year in line.years:
            sums = year.value.sums
            values.append(
                SheetValue(
                    number=line.number,
                    name=line.name,
                    unit=line.unit,
                    as_of=year.as_of,
                    target=year.target or "",
                    value=year.value.value,
                    numerator=sums.numerator if sums else None,
                    denominator=sums.denominator if sums else None,
                    answered=(
                        f"{year.value.answered} / {year.value.expected}"
                        if year.value.expected
                        else ""
                    ),
                    reached=reached_word(year.reached),
                )
            )
    return values


def sheet_figures(figures: Sequence[SchoolFigure]) -> list[SheetFigure]:
    reviews = {"accepted": _("accepted"), "pending": _("awaiting review")}
    return [
        SheetFigure(
            number=f.indicator_number,
            school=f.organisation,
            as_of=f.as_of,
            numerator=f.numerator,
            denominator=f.denominator,
            review=reviews.get(f.review or "", ""),
        )
        for f in figures
    ]
