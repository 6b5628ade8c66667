"""The municipality's value of an indicator, made of its reporters' figures, and whether it
reached its target.

A share is the sum of the numerators over the sum of the denominators: a mean of the schools'
percentages would weigh a school of 12 teachers as much as one of 120. A value made of part of
the reporters says so, and no figures is «no data», never a zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.indicators.draft import Direction
from domain.indicators.values import AT_LEAST, AT_MOST, one_line


class Aggregate(StrEnum):
    RATIO = "ratio"  # Σ numerators / Σ denominators
    SUM = "sum"
    MEAN = "mean"  # of the reporters' counts
    MANUAL = "manual"  # the coordinator enters the municipal value herself


class Comparator(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Reached(StrEnum):
    YES = "yes"
    NO = "no"
    MANUAL = "manual"  # the target is words, or no direction is known: a person judges
    NO_DATA = "no_data"


@dataclass(frozen=True, slots=True)
class Target:
    printed: str  # exactly as the document prints it
    number: float | None  # None: not one number, «оценить вручную»
    comparator: Comparator | None  # from «не менее» / «не более» in the text itself


@dataclass(frozen=True, slots=True)
class Sums:
    """What the reporters' current figures add up to, for one indicator and one date."""

    numerator: float
    denominator: float | None  # None for counts
    reporters: int


@dataclass(frozen=True, slots=True)
class MunicipalValue:
    value: float | None  # None: no data (or a zero denominator)
    sums: Sums | None
    expected: int  # reporters asked; 0 when the department enters the value itself
    aggregate: Aggregate

    @property
    def answered(self) -> int:
        return self.sums.reporters if self.sums else 0

    @property
    def partial(self) -> bool:
        """Made of part of the reporters: printed with how many answered."""
        return self.value is not None and 0 < self.answered < self.expected


# A number as printed: «1 000», «85,5», «10.3»; a year in «в 2020 году» is no target.
_NUMBER = re.compile(
    r"(?<![\d,.])\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?|(?<![\d,.])\d+(?:[.,]\d+)?"
)
_YEAR_WORD = re.compile(r"^\s*(?:г\.|год|году|года|гг\.)", re.IGNORECASE)


def read_target(printed: str) -> Target:
    """«не менее 80 %» → 80, at least; «10 % от общей численности …» → 10; «в 2020 году – 5 %,
    далее – 10 %» → no single number: a person judges it."""
    text = one_line(printed)
    numbers = [
        m
        for m in _NUMBER.finditer(text)
        if not (len(m[0]) == 4 and _YEAR_WORD.match(text[m.end() :]))
    ]
    number = _as_float(numbers[0][0]) if len(numbers) == 1 else None
    comparator = (
        Comparator.AT_MOST
        if AT_MOST.search(text)
        else Comparator.AT_LEAST
        if AT_LEAST.search(text)
        else None
    )
    return Target(printed=text, number=number, comparator=comparator)


def _as_float(text: str) -> float:
    return float(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))


def target_for_year(targets: list[tuple[int | None, str]], year: int) -> str | None:
    """The target printed for the year; else the one target printed without a year."""
    for target_year, value in targets:
        if target_year == year:
            return value
    yearless = [value for target_year, value in targets if target_year is None]
    return yearless[0] if len(yearless) == 1 else None


def municipal_value(
    aggregate: Aggregate,
    sums: Sums | None,
    *,
    expected: int,
    percent: bool,
    entered: float | None = None,
) -> MunicipalValue:
    """``entered``: the coordinator's own figure, the value when the aggregate is MANUAL."""
    if aggregate is Aggregate.MANUAL:
        return MunicipalValue(entered, sums, expected, aggregate)
    if sums is None or sums.reporters == 0:
        return MunicipalValue(None, None, expected, aggregate)
    value: float | None
    if aggregate is Aggregate.RATIO:
        if not sums.denominator:
            value = None
        else:
            value = sums.numerator / sums.denominator * (100 if percent else 1)
    elif aggregate is Aggregate.SUM:
        value = sums.numerator
    else:
        value = sums.numerator / sums.reporters
    return MunicipalValue(value, sums, expected, aggregate)


# The value is compared as the report prints it: «10,0 %» against a target of 10 is reached,
# even when the unrounded share is 9.96.
PRINTED_DECIMALS = 1


def reached(value: float | None, target: Target | None, direction: Direction | None) -> Reached:
    if value is None:
        return Reached.NO_DATA
    if target is None or target.number is None:
        return Reached.MANUAL
    comparator = target.comparator or (
        Comparator.AT_MOST
        if direction is Direction.DOWN
        else Comparator.AT_LEAST
        if direction is Direction.UP
        else None
    )
    if comparator is None:
        return Reached.MANUAL
    shown = round(value, PRINTED_DECIMALS)
    ok = shown >= target.number if comparator is Comparator.AT_LEAST else shown <= target.number
    return Reached.YES if ok else Reached.NO


def is_percent(unit: str, target_texts: list[str]) -> bool:
    """A share printed in per cent: the unit says so, or the targets carry a «%»."""
    unit = unit.strip().lower()
    if unit.startswith("%") or unit.startswith("процент"):
        return True
    return any(re.search(r"\d\s*%", text) for text in target_texts)


def russian_number(value: float, decimals: int = PRINTED_DECIMALS) -> str:
    """«1 000», «10,3», «12,5»: a decimal comma, a thin gap between thousands (no-break, so a
    number never splits over two lines), no trailing «,0» on a whole number."""
    rounded = round(value, decimals)
    if rounded == int(rounded):
        whole = f"{int(rounded):,}".replace(",", "\u00a0")
        return whole
    text = f"{rounded:,.{decimals}f}".rstrip("0")
    integer, _, fraction = text.partition(".")
    return integer.replace(",", "\u00a0") + "," + fraction


def needs_attention(
    value: MunicipalValue, reached_: Reached, as_of: date, today: date
) -> tuple[bool, bool]:
    """(behind its target, figures missing after their date): what puts an indicator in the
    coordinator's weekly digest."""
    behind = reached_ is Reached.NO
    missing = as_of <= today and value.answered < value.expected
    return behind, missing
