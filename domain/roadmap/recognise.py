"""Find the table of measures and say what each of its columns holds.

Headers of one, two or three rows are read as one label per column (a group cell «Мероприятия»
over «Наименование | Сроки» gives «Мероприятия / Сроки», read from the bottom up). Each column
is then judged by its header words and by its cells; a coordinator's choice overrides both.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from domain.roadmap.cells import clean_cell, one_line
from domain.roadmap.columns import (
    ROLES_NEEDED,
    Column,
    ColumnUse,
    Layout,
    Source,
    meaning,
    normal,
)
from domain.roadmap.content import MEASURE_NUMBER, ColumnProfile, profile, reads_as_deadline
from domain.roadmap.draft import ImportProblemError, ProblemCode, SourceRow

MAX_HEADER_ROWS = 3
_HEADER_SEARCH_ROWS = 200
_SAMPLE_ROWS = 150
_MIN_CONTENT_SHARE = 0.5

ColumnChoice = Mapping[Column, int]  # role -> column index (0-based)


@dataclass(frozen=True, slots=True)
class Recognition:
    """One table read as a roadmap: its header, its data rows, and what is still unknown."""

    table_index: int
    header_rows: tuple[tuple[str, ...], ...]
    labels: tuple[str, ...]
    uses: tuple[ColumnUse, ...]
    rows: tuple[SourceRow, ...] = field(repr=False)
    lead: str = ""

    @property
    def missing(self) -> tuple[Column, ...]:
        found = {use.column for use in self.uses}
        return tuple(role for role in ROLES_NEEDED if role not in found)

    @property
    def signature(self) -> str:
        return header_signature(self.labels)

    def layout(self) -> Layout:
        def first(column: Column) -> int | None:
            return next((u.index for u in self.uses if u.column is column), None)

        title = first(Column.TITLE)
        assert title is not None, "layout() of a recognition without a measure column"
        return Layout(
            number=first(Column.NUMBER),
            title=title,
            deadline=first(Column.DEADLINE),
            responsible=tuple(
                (u.index, u.column)
                for u in self.uses
                if u.column in (Column.RESPONSIBLE, Column.COORDINATION)
            ),
            result=first(Column.RESULT),
            control=first(Column.CONTROL),
            header=self.labels,
            hierarchy=tuple(u.index for u in self.uses if u.column is Column.SECTION),
            header_rows=self.header_rows,
            uses=self.uses,
            lead=self.lead,
        )


class NeedsColumnsError(ImportProblemError):
    """The table is there, but a column the import needs could not be told apart: ask."""

    def __init__(self, recognition: Recognition) -> None:
        super().__init__(ProblemCode.NEEDS_COLUMNS, ", ".join(recognition.missing))
        self.recognition = recognition


def header_signature(labels: Sequence[str]) -> str:
    """The same header in another file (another year's roadmap) gives the same signature."""
    text = "\x1f".join(normal(label) for label in labels)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def looks_like_header(cells: Sequence[str]) -> bool:
    """At least two cells whose words name a roadmap column."""
    known = {normal(c) for c in cells if c.strip() and meaning(c) is not None}
    return len(known) >= 2


def clean_grids(tables: Sequence[Sequence[SourceRow]]) -> list[list[tuple[str, ...]]]:
    return [[tuple(clean_cell(c) for c in row.cells) for row in table] for table in tables]


def locate(
    tables: Sequence[Sequence[SourceRow]],
    choice: ColumnChoice | None = None,
    skip: frozenset[int] = frozenset(),
) -> Recognition:
    """The roadmap's table (continued by later tables of the same width), or an
    ImportProblemError: NO_TABLE, NEEDS_COLUMNS (with what was found) or BAD_COLUMN. Tables
    in ``skip`` (tables of indicators) are neither the roadmap's table nor its continuation."""
    grids = clean_grids(tables)
    partial: Recognition | None = None
    widest = 0
    for index, grid in enumerate(grids):
        if index in skip:
            continue
        width = max((len(row) for row in grid), default=0)
        widest = max(widest, width)
        if choice and max(choice.values()) >= width:
            continue
        for found in _header_starts(grid):
            start, depth = _header_block(grid, found)
            recognition = _recognise(tables, grids, index, start, depth, choice, skip)
            if not recognition.missing:
                return recognition
            if partial is None or len(recognition.missing) < len(partial.missing):
                partial = recognition
    if choice and max(choice.values()) >= widest:
        raise ImportProblemError(ProblemCode.BAD_COLUMN, str(max(choice.values()) + 1))
    if partial is not None and len(partial.rows) > 0:
        raise NeedsColumnsError(partial)
    raise ImportProblemError(ProblemCode.NO_TABLE)


def _header_starts(grid: list[tuple[str, ...]]) -> list[int]:
    """Rows that name at least two known columns; else the first row of a table that has the
    shape of a roadmap (three columns or more, a few rows), for the cells to decide."""
    starts = [r for r, row in enumerate(grid[:_HEADER_SEARCH_ROWS]) if looks_like_header(row)]
    if starts:
        return starts
    for r, row in enumerate(grid[:_HEADER_SEARCH_ROWS]):
        if len({c for c in row if c}) >= 3 and len(grid) - r >= 3:
            return [r]
    return []


def _header_block(grid: list[tuple[str, ...]], found: int) -> tuple[int, int]:
    """The header rows around a row of known words: group rows above it (a cell «Реализация
    мероприятия» over «Содержание | Сроки») and sub-header rows below it, three at most."""
    start, depth = found, 1
    while depth < MAX_HEADER_ROWS and start > 0:
        above = grid[start - 1]
        if len({c for c in above if c}) < 2 or not _continues_header(above, grid[start]):
            break  # a title line merged across the sheet is not a header row
        start -= 1
        depth += 1
    while depth < MAX_HEADER_ROWS and start + depth < len(grid):
        if not _continues_header(grid[start + depth - 1], grid[start + depth]):
            break
        depth += 1
    return start, depth


def _continues_header(above: tuple[str, ...], row: tuple[str, ...]) -> bool:
    """A second header row splits a group cell of the row above or names columns itself."""
    width = min(len(above), len(row))
    filled = [c for c in row if c]
    if not filled or len(set(filled)) == 1 or MEASURE_NUMBER.match(one_line(filled[0])):
        return False
    new = [i for i in range(width) if row[i] and row[i] != above[i]]
    if any(len(row[i]) > 80 or reads_as_deadline(one_line(row[i])) for i in new):
        return False  # a header names columns; it holds neither dates nor long sentences
    splits_group = any(
        above[i]
        and row[i]
        and row[i + 1]
        and row[i] != row[i + 1]
        and (above[i] == above[i + 1] or not above[i + 1])
        for i in range(width - 1)
    )
    # Header words are short; «Направление 1. Развитие …» in a first data row is not a header.
    return splits_group or any(len(row[i]) <= 40 and meaning(row[i]) is not None for i in new)


def _recognise(
    tables: Sequence[Sequence[SourceRow]],
    grids: list[list[tuple[str, ...]]],
    index: int,
    start: int,
    depth: int,
    choice: ColumnChoice | None,
    skip: frozenset[int],
) -> Recognition:
    grid = grids[index]
    header_rows = tuple(grid[start : start + depth])
    width = max(len(row) for row in grid)
    labels = tuple(_label(header_rows, column) for column in range(width))
    rows = list(tables[index][start + depth :])
    cleaned = list(grid[start + depth :])
    for later_index in range(index + 1, len(tables)):
        later = grids[later_index]
        if later_index in skip or not later or max(len(row) for row in later) != width:
            break
        rows.extend(tables[later_index])
        cleaned.extend(later)
    data = cleaned[:_SAMPLE_ROWS]
    headers = {_key(row) for row in header_rows}
    data = [
        row + ("",) * (width - len(row))
        for row in data
        if _is_data_row(row) and _key(row) not in headers
    ]
    profiles = [profile([row[column] for row in data]) for column in range(width)]
    uses = _assign(labels, header_rows, profiles, choice or {})
    above = {c for c in grid[start - 1] if c} if start else set()
    lead = next(iter(above)) if len(above) == 1 else ""
    return Recognition(index, header_rows, labels, uses, tuple(rows), lead)


def _label(header_rows: tuple[tuple[str, ...], ...], column: int) -> str:
    parts: list[str] = []
    for row in header_rows:
        text = one_line(row[column]) if column < len(row) else ""
        if text and text not in parts:
            parts.append(text)
    return " / ".join(parts)


def _is_data_row(row: tuple[str, ...]) -> bool:
    """Rows that say something per column: not section rows («1. | heading merged»), not the
    «1 2 3 4» row."""
    texts = {c for c in row if c and not MEASURE_NUMBER.match(one_line(c))}
    return len(texts) >= 2


def _key(row: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normal(c) for c in row if c)


def _header_meaning(header_rows: tuple[tuple[str, ...], ...], column: int) -> Column | None:
    """The lowest row that names the column decides: «Мероприятия / Сроки» is a deadline. A
    group cell spanning several columns names the group, not each column under it."""
    for row in reversed(header_rows):
        if column >= len(row) or not row[column]:
            continue
        group = (column > 0 and row[column - 1] == row[column]) or (
            column + 1 < len(row) and row[column + 1] == row[column]
        )
        if group and len(header_rows) > 1:
            continue
        if (found := meaning(row[column])) is not None:
            return found
    return None


def _assign(
    labels: tuple[str, ...],
    header_rows: tuple[tuple[str, ...], ...],
    profiles: list[ColumnProfile],
    choice: ColumnChoice,
) -> tuple[ColumnUse, ...]:
    width = len(labels)
    roles: dict[int, tuple[Column, Source]] = {}
    for column in range(width):
        found = _header_meaning(header_rows, column)
        if found is not None:
            roles[column] = (found, Source.HEADER)
    for role, column in choice.items():
        for other in [i for i, (c, _s) in roles.items() if c is role]:
            del roles[other]
        roles[column] = (role, Source.CHOSEN)
    chosen = set(choice.values())

    _settle_titles(roles, profiles, chosen)
    _settle_deadlines(roles, labels, chosen)
    free = [i for i in range(width) if i not in roles and not profiles[i].empty]

    def take(role: Column, score: float, column: int | None) -> None:
        if column is not None and score >= _MIN_CONTENT_SHARE:
            roles[column] = (role, Source.CONTENT)
            free.remove(column)

    if not _has(roles, Column.DEADLINE):
        best = max(free, key=lambda i: profiles[i].deadline, default=None)
        take(Column.DEADLINE, profiles[best].deadline if best is not None else 0, best)
    if not _has(roles, Column.TITLE):
        texts = [i for i in free if profiles[i].number < 0.5]
        best = max(texts, key=lambda i: (profiles[i].long_text, -i), default=None)
        share = profiles[best].long_text if best is not None else 0
        take(Column.TITLE, 1.0 if share >= 0.3 else 0.0, best)
    if not _has(roles, Column.RESPONSIBLE) and not _has(roles, Column.COORDINATION):
        people = [i for i in free if profiles[i].long_text < 0.5]
        best = max(people, key=lambda i: profiles[i].responsible, default=None)
        take(Column.RESPONSIBLE, profiles[best].responsible if best is not None else 0, best)
    title = next((i for i, (c, _s) in roles.items() if c is Column.TITLE), None)
    if not _has(roles, Column.NUMBER) and free and title is not None and free[0] < title:
        first = free[0]
        take(Column.NUMBER, profiles[first].number + 0.1, first)
    if title is not None:
        for column in [i for i in free if i < title]:
            if profiles[column].distinct <= 0.5 and profiles[column].filled >= 3:
                take(Column.SECTION, 1.0, column)
    for column, (role, source) in list(roles.items()):
        if role is Column.SECTION and (title is None or column > title):
            roles[column] = (Column.UNUSED, source)
    return tuple(
        ColumnUse(
            i,
            labels[i],
            *(roles.get(i) or (Column.UNUSED, Source.CONTENT)),
        )
        for i in range(width)
        if labels[i] or i in roles
    )


def _settle_titles(
    roles: dict[int, tuple[Column, Source]], profiles: list[ColumnProfile], chosen: set[int]
) -> None:
    """One measure column. Title-like columns left of it whose cells are merged down over many
    rows are hierarchy (direction, task); a section column is the measure when no other is."""
    titles = sorted(i for i, (c, _s) in roles.items() if c is Column.TITLE)
    if not titles:
        sections = [
            i
            for i, (c, s) in roles.items()
            if c is Column.SECTION and s is not Source.CHOSEN and profiles[i].distinct > 0.7
        ]
        if sections:
            roles[sections[-1]] = (Column.TITLE, Source.HEADER)
        return
    fixed = [i for i in titles if i in chosen]
    if fixed:
        measure = fixed[0]
    else:
        # The leftmost title-like column whose cells differ row to row is the measure; merged
        # ones left of it are hierarchy.
        varied = [i for i in titles if profiles[i].distinct > 0.5 or profiles[i].filled < 3]
        measure = varied[0] if varied else titles[-1]
    for column in titles:
        if column < measure and profiles[column].distinct <= 0.5 and column not in chosen:
            roles[column] = (Column.SECTION, roles[column][1])
        elif column != measure:
            roles[column] = (Column.UNUSED, roles[column][1])


def _settle_deadlines(
    roles: dict[int, tuple[Column, Source]], labels: tuple[str, ...], chosen: set[int]
) -> None:
    """«Срок начала | Срок окончания»: the report is due at the end, so that one is the deadline;
    other deadline-like columns are not used."""
    deadlines = sorted(i for i, (c, _s) in roles.items() if c is Column.DEADLINE)
    if len(deadlines) < 2:
        return
    fixed = [i for i in deadlines if i in chosen]
    ends = [i for i in deadlines if re.search(r"оконч|заверш|исполнен|выполнен", normal(labels[i]))]
    keep = fixed[0] if fixed else (ends[0] if ends else deadlines[0])
    for column in deadlines:
        if column != keep:
            roles[column] = (Column.UNUSED, roles[column][1])


def _has(roles: dict[int, tuple[Column, Source]], column: Column) -> bool:
    return any(c is column for c, _s in roles.values())
