"""The dated words of a deadline: explicit dates, months, quarters, half-years and years."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_MONTH_STEMS = (
    r"январ[ьяею]?",
    r"феврал[ьяею]?",
    r"март[аеу]?",
    r"апрел[ьяею]?",
    r"ма[йяюе]",
    r"июн[ьяею]?",
    r"июл[ьяею]?",
    r"август[аеу]?",
    r"сентябр[ьяею]?",
    r"октябр[ьяею]?",
    r"ноябр[ьяею]?",
    r"декабр[ьяею]?",
)
_MONTH = (
    r"(?<![а-я])(?:"
    + "|".join(f"(?P<m{i + 1}>{stem})" for i, stem in enumerate(_MONTH_STEMS))
    + r")(?![а-я])"
)
_ANY_MONTH = r"(?<![а-я])(?:" + "|".join(_MONTH_STEMS) + r")(?![а-я])"
_YEAR = r"(?:19|20)\d{2}"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_TOKEN = re.compile(
    "|".join(
        (
            r"(?P<iso>(?<!\d)(?P<iso_y>" + _YEAR + r")-(?P<iso_m>\d{2})-(?P<iso_d>\d{2})(?!\d))",
            r"(?P<numeric>(?<![\d.])(?P<num_d>\d{1,2})\.(?P<num_m>\d{1,2})"
            r"(?:\.(?P<num_y>\d{4}|\d{2}))?(?![\d]))",
            r"(?P<day_month>(?<![\d.])(?P<dm_d>\d{1,2})\s*(?:-?го\s*)?(?=" + _ANY_MONTH + r"))",
            r"(?P<day_of_month>(?<![\d.])(?P<dom>\d{1,2})\s*(?:-?го\s*)?числ)",
            r"(?P<quarter>(?<![а-я\d])(?P<q>iv|iii|ii|i|[1-4])\s*(?:-?[йгом]{1,2}\s*)?(?:квартал|кв\.))",
            r"(?P<half>(?<![а-я\d])(?P<h>ii|i|[12])\s*(?:-?[еогм]{1,2}\s*)?полугод)",
            r"(?P<month>" + _MONTH + ")",
            r"(?P<year_range>(?<!\d)(?P<yr_a>" + _YEAR + r")\s*-\s*(?P<yr_b>" + _YEAR + r")(?!\d))",
            r"(?P<year>(?<!\d)(?P<y>" + _YEAR + r")(?!\d))",
            r"(?P<dash>-)",
            r"(?P<sep>[,;(]|(?<![а-я])и(?![а-я]))",
        )
    )
)


_MONTH_ONLY = re.compile(_MONTH)
_YEAR_AFTER = re.compile(r"\s*(" + _YEAR + r")(?!\d)")


class TokenKind(StrEnum):
    DATE = "date"  # day and month, maybe a year
    DAY_OF_MONTH = "day_of_month"  # «до 25 числа»
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    YEAR_RANGE = "year_range"
    DASH = "dash"
    SEP = "sep"


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    number: int = 0  # month, quarter, half or year; the day for DAY_OF_MONTH
    month: int = 0  # for DATE
    year: int | None = None  # for DATE; the last year for YEAR_RANGE


def tokenize(text: str) -> list[Token]:
    """Dated tokens of a normalised text, in order; words in between are dropped."""
    tokens: list[Token] = []
    position = 0
    while True:
        match = _TOKEN.search(text, position)
        if match is None:
            return tokens
        token, position = _token(match, text)
        if token is not None:
            tokens.append(token)


def _token(match: re.Match[str], text: str) -> tuple[Token | None, int]:
    group = match.lastgroup
    end = match.end()
    if match["iso"]:
        return _date(int(match["iso_d"]), int(match["iso_m"]), int(match["iso_y"])), end
    if match["numeric"]:
        year = match["num_y"]
        full_year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
        return _date(int(match["num_d"]), int(match["num_m"]), full_year), end
    if match["day_month"]:
        month_match = _MONTH_ONLY.match(text, end)
        assert month_match is not None  # guaranteed by the look-ahead
        year_match = _YEAR_AFTER.match(text, month_match.end())
        year = int(year_match[1]) if year_match else None
        end = year_match.end() if year_match else month_match.end()
        return _date(int(match["dm_d"]), _month_number(month_match), year), end
    if match["day_of_month"]:
        day = int(match["dom"])
        return (Token(TokenKind.DAY_OF_MONTH, day) if 1 <= day <= 31 else None), end
    if match["quarter"]:
        return Token(TokenKind.QUARTER, _number(match["q"])), end
    if match["half"]:
        return Token(TokenKind.HALF, _number(match["h"])), end
    if match["month"]:
        return Token(TokenKind.MONTH, _month_number(match)), end
    if match["year_range"]:
        first, last = int(match["yr_a"]), int(match["yr_b"])
        if last < first:
            return None, end
        return Token(TokenKind.YEAR_RANGE, first, year=last), end
    if match["year"]:
        return Token(TokenKind.YEAR, int(match["y"])), end
    kind = TokenKind.DASH if group == "dash" else TokenKind.SEP
    return Token(kind), end


def _date(day: int, month: int, year: int | None) -> Token | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return Token(TokenKind.DATE, day, month=month, year=year)


def _month_number(match: re.Match[str]) -> int:
    for number in range(1, 13):
        if match[f"m{number}"]:
            return number
    raise AssertionError("a month group matched without a month")


def _number(text: str) -> int:
    return _ROMAN.get(text) or int(text)
