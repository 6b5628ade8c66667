"""Tokens grouped into what a person meant: windows of months, quarters, dates and years."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.deadlines.tokens import Token, TokenKind


@dataclass
class MonthRef:
    month: int
    year: int | None = None


@dataclass
class Window:
    """One month, or a range «май-июнь 2024», possibly repeated over «2022-2024»."""

    first: MonthRef
    last: MonthRef
    years: tuple[int, int] | None = None  # «Август 2022-2024»: every year of this range


@dataclass
class DateRef:
    day: int
    month: int
    year: int | None


@dataclass
class Reading:
    windows: list[Window] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    quarters: list[tuple[int, int | None]] = field(default_factory=list)
    halves: list[tuple[int, int | None]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)  # stated on their own («2026 г.»)
    year_ranges: list[tuple[int, int]] = field(default_factory=list)
    day_of_month: int | None = None

    @property
    def stated_years(self) -> set[int]:
        found = set(self.years)
        for first, last in self.year_ranges:
            found.update(range(first, last + 1))
        return found


def group(tokens: list[Token]) -> Reading:
    reading = Reading()
    index = 0
    joinable = False  # the last window may still take a range end («ноябрь-2021 январь 2022»)
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.kind is TokenKind.DASH:
            continue  # a dash between months and adjacency mean the same: a range
        if token.kind is TokenKind.SEP:
            joinable = False
            continue
        if token.kind is TokenKind.MONTH:
            ref = MonthRef(token.number)
            years, index = _attached_year(tokens, index, ref)
            if joinable and reading.windows:
                window = reading.windows[-1]
                window.last = ref
                window.years = window.years or years
                joinable = False
            else:
                reading.windows.append(Window(ref, ref, years))
                joinable = True
            continue
        joinable = False
        if token.kind is TokenKind.DATE:
            reading.dates.append(DateRef(token.number, token.month, token.year))
        elif token.kind in (TokenKind.QUARTER, TokenKind.HALF):
            year, index = _following_year(tokens, index)
            target = reading.quarters if token.kind is TokenKind.QUARTER else reading.halves
            target.append((token.number, year))
        elif token.kind is TokenKind.DAY_OF_MONTH:
            reading.day_of_month = token.number
        elif token.kind is TokenKind.YEAR:
            reading.years.append(token.number)
        elif token.kind is TokenKind.YEAR_RANGE:
            assert token.year is not None
            reading.year_ranges.append((token.number, token.year))
    return reading


def _attached_year(
    tokens: list[Token], index: int, ref: MonthRef
) -> tuple[tuple[int, int] | None, int]:
    """A year right after a month («апрель 2026», «январь-2025») belongs to it."""
    look = index
    if look < len(tokens) and tokens[look].kind is TokenKind.DASH:
        look += 1
        if look >= len(tokens) or tokens[look].kind is not TokenKind.YEAR:
            return None, index
    if look < len(tokens) and tokens[look].kind is TokenKind.YEAR:
        ref.year = tokens[look].number
        return None, look + 1
    if look < len(tokens) and tokens[look].kind is TokenKind.YEAR_RANGE:
        last = tokens[look].year
        assert last is not None
        ref.year = tokens[look].number
        return (tokens[look].number, last), look + 1
    return None, index


def _following_year(tokens: list[Token], index: int) -> tuple[int | None, int]:
    if index < len(tokens) and tokens[index].kind is TokenKind.YEAR:
        return tokens[index].number, index + 1
    return None, index
