"""Where a document's indicators are: tables of their own, and indicator columns (a name and
targets by year) in the table of measures, where each measure's row carries its indicator."""

from __future__ import annotations

import re
from collections.abc import Sequence

from domain.indicators.draft import (
    IndicatorChoice,
    IndicatorDraft,
    IndicatorTable,
    Role,
)
from domain.indicators.header import Grid, Header, classify, find_header, header_depth, normal
from domain.indicators.rows import indicator, read_rows

_INDICATOR_WORDS = ("показател", "индикатор")
_DESCRIPTION = re.compile(r"методик|расчет|источник|определени|алгоритм|формул")


def indicator_tables(
    grids: Sequence[Grid], choice: IndicatorChoice | None = None
) -> list[tuple[IndicatorTable, list[IndicatorDraft]]]:
    """Every table that is a table of indicators, with what was read from it. A table of the
    same width right after one, with no header of its own, is its continuation (Word splits a
    long table where a page or a paragraph breaks it)."""
    found: list[tuple[IndicatorTable, list[IndicatorDraft]]] = []
    previous: tuple[Header, int] | None = None
    for index, grid in enumerate(grids):
        header = find_header(grid, choice)
        width = max((len(row) for row in grid), default=0)
        if header is not None and _describes_only(header):
            found.append((IndicatorTable(index, header.columns, describes_only=True), []))
            previous = None
        elif header is not None:
            rows = grid[header.start + header.depth :]
            found.append((IndicatorTable(index, header.columns), read_rows(header, rows)))
            previous = (header, width)
        elif previous is not None and previous[1] == width and not _names_columns(grid):
            continued = Header(0, 0, previous[0].columns)
            found.append((IndicatorTable(index, continued.columns), read_rows(continued, grid)))
        else:
            previous = None
    return found


def _describes_only(header: Header) -> bool:
    """«Наименование показателя | Единица измерения | Методика расчета | Источник данных»."""
    if header.of(Role.TARGET) or header.of(Role.TARGET_TEXT) or header.of(Role.BASE):
        return False
    return any(_DESCRIPTION.search(normal(c.label)) for c in header.of(Role.UNUSED))


def _names_columns(grid: Grid) -> bool:
    """A header of another kind of table: a first row of short words, none of them a figure."""
    first = next((row for row in grid if any(row)), ())
    words = [normal(c) for c in first if c]
    return len(words) >= 2 and all(
        len(w) <= 40 and not any(ch.isdigit() for ch in w) for w in words
    )


def measure_columns(
    grid: Grid, header_rows: Grid, title: int, table_index: int
) -> tuple[IndicatorTable, Header] | None:
    """The indicator columns of the table of measures: a column naming an indicator other than
    the measure's, and targets by year or a column of target values; None when it has none.
    The years under a group cell («Плановое значение» over «2025 | 2026») are a header row the
    measures' reader leaves out (a year reads as a deadline), so the header is measured again."""
    start = next((r for r, row in enumerate(grid) if row == header_rows[0]), None)
    if start is not None:
        depth = max(len(header_rows), header_depth(grid, start, title))
        header_rows = grid[start : start + depth]
    columns = classify(header_rows, {})
    names = [c for c in columns if c.role is Role.NAME and c.index != title]
    if not names or not any(w in normal(names[-1].label) for w in _INDICATOR_WORDS):
        return None
    kept = []
    for column in columns:
        role = column.role
        if column.index == title or (role is Role.NAME and column is not names[-1]):
            role = Role.UNUSED
        elif role is Role.TARGET_TEXT and "значени" not in normal(column.label):
            role = Role.UNUSED  # «Ожидаемый результат» of a measure is no target
        elif role in (Role.NUMBER, Role.SECTION):
            role = Role.UNUSED  # the measure's own number and section
        kept.append(type(column)(column.index, column.label, role, column.year, column.source))
    table = IndicatorTable(table_index, tuple(kept), in_measures=True)
    if not table.has_targets:
        return None
    return table, Header(0, len(header_rows), tuple(kept))


def measure_indicators(
    header: Header, rows: Sequence[tuple[str, Sequence[str], str | None]]
) -> list[IndicatorDraft]:
    """(measure number, its row's cells, its section) -> the indicator on each row that names one."""
    name = header.index(Role.NAME)
    drafts = []
    for number, cells, section in rows:
        if name is not None and name < len(cells) and cells[name].strip():
            drafts.append(indicator(cells, header, number, section, number, number_column=-1))
    return drafts
