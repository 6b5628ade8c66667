"""A head's figures as typed in the chat: one number a message, or both at once («103 из 1000»,
«103/1000»); what is wrong with an answer, named so the chat can say what is asked; and whether
the figures are far from the school's own a year before."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Problem(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    FRACTION = "fraction"  # a count with a decimal part
    PERCENT = "percent"  # «10 %» where counts are asked
    TOO_BIG = "too_big"
    NUMERATOR_OVER_DENOMINATOR = "numerator_over_denominator"
    ZERO_DENOMINATOR = "zero_denominator"


@dataclass(frozen=True, slots=True)
class Figures:
    first: float
    second: float | None = None  # given in the same line: «103 из 1000»


@dataclass(frozen=True, slots=True)
class Refused:
    problem: Problem


# Far beyond any school's count of anything; a typo of a phone number, not a figure.
LIMIT = 10_000_000
_NUMBER = r"[+-]?\s*\d[\d \u00a0\u202f]*(?:[.,]\d+)?"
_ONE = re.compile(rf"^(?P<n>{_NUMBER})$")
_PAIR = re.compile(rf"^(?P<n>{_NUMBER})\s*(?:из|/|of)\s*(?P<d>{_NUMBER})$", re.IGNORECASE)
_PERCENT = re.compile(r"\d\s*(?:%|процент)", re.IGNORECASE)


def read_figures(text: str, *, counts: bool = True) -> Figures | Refused:
    """One number, or a numerator and a denominator in one line. ``counts``: people, schools,
    events — whole numbers; else a value such as a mean score may have a decimal part."""
    line = " ".join(text.split()).rstrip(".")
    if _PERCENT.search(line):
        return Refused(Problem.PERCENT)
    pair = _PAIR.match(line)
    if pair:
        first, second = _number(pair["n"]), _number(pair["d"])
        for value in (first, second):
            if (problem := _check(value, counts)) is not None:
                return Refused(problem)
        return Figures(first, second)
    one = _ONE.match(line)
    if not one:
        return Refused(Problem.NOT_A_NUMBER)
    value = _number(one["n"])
    if (problem := _check(value, counts)) is not None:
        return Refused(problem)
    return Figures(value)


def check_share(numerator: float, denominator: float) -> Problem | None:
    if denominator == 0:
        return Problem.ZERO_DENOMINATOR
    if numerator > denominator:
        return Problem.NUMERATOR_OVER_DENOMINATOR
    return None


def is_unusual(
    numerator: float,
    denominator: float | None,
    last_numerator: float | None,
    last_denominator: float | None,
) -> bool:
    """Far from the school's own figures a year before: a share that moved by more than 30
    percentage points, or a count (or a denominator) that more than doubled or halved."""
    if last_numerator is None:
        return False
    if denominator is not None and last_denominator:
        if denominator and abs(numerator / denominator - last_numerator / last_denominator) > 0.3:
            return True
        return _far(denominator, last_denominator)
    return _far(numerator, last_numerator)


def _far(value: float, last: float) -> bool:
    if last == 0:
        return value > 10
    return value > 2 * last or value < last / 2


def plain(value: float) -> str:
    """«1 000», «12,5»: as a Russian reader writes a figure."""
    if value == int(value):
        return f"{int(value):,}".replace(",", " ")
    whole, fraction = f"{value:.2f}".rstrip("0").split(".")
    return f"{int(whole):,}".replace(",", " ") + "," + fraction


def _number(text: str) -> float:
    compact = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    return float(compact)


def _check(value: float, counts: bool) -> Problem | None:
    if value < 0:
        return Problem.NEGATIVE
    if counts and value != int(value):
        return Problem.FRACTION
    if value > LIMIT:
        return Problem.TOO_BIG
    return None
