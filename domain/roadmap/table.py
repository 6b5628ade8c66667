"""Table rows -> sections and measures: section rows, split rows, repeated headers, numbering."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.roadmap.cells import clean_cell, one_line
from domain.roadmap.columns import Column, Layout
from domain.roadmap.content import MEASURE_NUMBER
from domain.roadmap.draft import ImportProblemError, ProblemCode, SourceRow

_SECTION_HEAD = re.compile(
    r"^(?:(?:раздел|подраздел|направление|цель|задача|блок|этап|модуль)\s+)?"
    r"((?:\d{1,2}|[ivxlc]{1,5})(?:\.\d{1,2}){0,2})\s*[.):]?\s+(.+)$",
    re.IGNORECASE | re.DOTALL,
)
# «Раздел I. …», «Цель 1.», «Задача 2. …»: a section however it is laid out in the row.
_NAMED_SECTION = re.compile(
    r"^(?:раздел|подраздел|направление|цель|задача|блок|этап|модуль)\s+"
    r"(?:\d{1,2}|[ivxlc]{1,5})(?:\.\d{1,2}){0,2}\b",
    re.IGNORECASE,
)
# «Задачи: …» under a section heading is its note, not another section.
_SECTION_NOTE = re.compile(r"^(?:задачи|задача|цель|цели)\b(?!\s+\d|\s+[ivxlc]+\b)", re.IGNORECASE)
MAX_TABLE_ROWS = 3000


@dataclass
class RawMeasure:
    number: str  # as written; "" when Word numbers it automatically
    auto_number: bool
    section: str | None
    cells: dict[str, str]
    responsible: list[tuple[Column, str]]
    row: tuple[str, ...] = ()  # the first row's cells, for an indicator on the measure's row


@dataclass
class RawSection:
    number: str
    title: str
    notes: list[str] = field(default_factory=list)


@dataclass
class TableReading:
    layout: Layout
    sections: list[RawSection] = field(default_factory=list)
    measures: list[RawMeasure] = field(default_factory=list)


def read_table(layout: Layout, rows: list[SourceRow]) -> TableReading:
    filled_rows = sum(1 for row in rows if any(cell.strip() for cell in row.cells))
    if filled_rows > MAX_TABLE_ROWS:  # empty rows (a sheet formatted far down) do not count
        raise ImportProblemError(ProblemCode.TOO_MANY_ROWS, str(filled_rows))
    reading = TableReading(layout)
    number_index = _number_index(layout)
    hierarchy = _Hierarchy(reading, layout.hierarchy)
    last: RawMeasure | None = None
    for position, row in enumerate(rows):
        cells = tuple(clean_cell(c) for c in row.cells) + ("",) * layout.width
        filled = [c for i, c in enumerate(cells) if c and i not in layout.hierarchy]
        if _is_header_again(cells, layout) or (filled and _is_column_numbers(filled)):
            continue
        if hierarchy.follow(cells):
            last = None
            if set(filled) <= hierarchy.texts:
                continue  # the hierarchy cell merged across the row as well
        if not filled:
            continue
        number = one_line(cells[number_index]) if number_index is not None else ""
        title = cells[layout.title]
        details = any(cells[i] for i in _detail_indices(layout))

        if heading := _section_row(cells, filled, number_index, layout):
            if heading == layout.lead and _header_follows(rows, position, layout):
                continue  # a group cell over the whole repeated header, not a section
            if _SECTION_NOTE.match(heading) and reading.sections:
                reading.sections[-1].notes.append(heading)
            else:
                hierarchy.add_row_section(_section(heading, len(reading.sections) + 1))
                last = None
            continue
        numbered = MEASURE_NUMBER.match(number) if number else None
        if number and title and not details and "." not in number.rstrip("."):
            hierarchy.add_row_section(RawSection(number.rstrip("."), one_line(title)))
            last = None
            continue
        if _starts_measure(row, title, numbered, number, last, number_index, details):
            last = RawMeasure(
                number=numbered[1] if numbered else "",
                auto_number=not numbered,
                section=hierarchy.current,
                cells=_named_cells(cells, layout),
                responsible=[(column, cells[i]) for i, column in layout.responsible],
                row=cells,
            )
            reading.measures.append(last)
        elif last is not None:
            _continue(last, cells, layout)
        elif reading.sections:
            reading.sections[-1].notes.append(" ".join(filled))
    return reading


def _header_follows(rows: list[SourceRow], position: int, layout: Layout) -> bool:
    following = rows[position + 1] if position + 1 < len(rows) else None
    return following is not None and _is_header_again(
        tuple(clean_cell(c) for c in following.cells), layout
    )


def _number_index(layout: Layout) -> int | None:
    """The number column; without one, a first column with no header at all (Word's automatic
    numbering leaves its cells empty, so they could not tell either)."""
    if layout.number is not None:
        return layout.number
    described = {use.index for use in layout.uses}
    return 0 if layout.title > 0 and 0 not in described else None


def _starts_measure(
    row: SourceRow,
    title: str,
    numbered: re.Match[str] | None,
    number: str,
    last: RawMeasure | None,
    number_index: int | None,
    details: bool,
) -> bool:
    if not title:
        return False
    if last is not None and number and number == last.number:
        return False  # the number cell merged down over a row split across pages
    if numbered or row.auto_number:
        return True
    if number_index is not None:
        # An empty or non-numeric number cell («а)», «-»): the rest of the row above, split
        # across pages, or a list inside that measure.
        return False
    # No number column at all: a row with its own details, or one starting a sentence, is a
    # measure; a lower-case start without details continues the row above.
    return details or last is None or title[:1].isupper()


class _Hierarchy:
    """Sections from hierarchy columns (direction -> task, each merged down over its rows) and
    from section rows. The measure belongs to the innermost open section."""

    def __init__(self, reading: TableReading, columns: tuple[int, ...]) -> None:
        self._reading = reading
        self._columns = columns
        self._open: list[tuple[str, str]] = []  # (text, number) per hierarchy level
        self._row_section: str | None = None
        self._counts: dict[str | None, int] = {}

    @property
    def current(self) -> str | None:
        if self._row_section is not None:
            return self._row_section
        return self._open[-1][1] if self._open else None

    def follow(self, cells: tuple[str, ...]) -> bool:
        """True when the row opens another hierarchy section."""
        opened = False
        for level, column in enumerate(self._columns):
            text = one_line(cells[column])
            if not text or (level < len(self._open) and self._open[level][0] == text):
                continue
            parent = self._open[level - 1][1] if level and len(self._open) >= level else None
            del self._open[level:]
            section = self._numbered(text, parent)
            self._reading.sections.append(section)
            self._open.append((text, section.number))
            self._row_section = None
            opened = True
        return opened

    @property
    def texts(self) -> set[str]:
        return {text for text, _number in self._open}

    def add_row_section(self, section: RawSection) -> None:
        self._reading.sections.append(section)
        self._row_section = section.number

    def _numbered(self, text: str, parent: str | None) -> RawSection:
        self._counts[parent] = self._counts.get(parent, 0) + 1
        match = _SECTION_HEAD.match(text)
        if match and not _SECTION_NOTE.match(text):
            number, title = match[1].rstrip("."), one_line(match[2])
            if parent and "." not in number:
                number = f"{parent}.{number}"
        else:
            ordinal = str(self._counts[parent])
            number, title = (f"{parent}.{ordinal}" if parent else ordinal), text
        return RawSection(number, title)


def _section_row(
    cells: tuple[str, ...], filled: list[str], number_index: int | None, layout: Layout
) -> str | None:
    """The heading of a section row in any of its forms, or None for other rows."""
    distinct = list(dict.fromkeys(filled))
    if _is_spanning(cells, filled, number_index):
        return distinct[0]
    number = one_line(cells[number_index]) if number_index is not None else ""
    rest = [c for i, c in enumerate(cells) if c and i != number_index and i not in layout.hierarchy]
    # «| 1. | heading merged over the other columns |»
    if number and MEASURE_NUMBER.match(number) and len(rest) >= 2 and len(set(rest)) == 1:
        return f"{number.rstrip('.')}. {rest[0]}"
    # «Раздел I. …» or «Задача 2. …» typed in the measure column, the others empty.
    title = cells[layout.title]
    if len(distinct) == 1 and title and _NAMED_SECTION.match(one_line(title)):
        return title
    return None


def _is_spanning(cells: tuple[str, ...], filled: list[str], number_index: int | None) -> bool:
    """A row across the whole table: merged (the same text everywhere) or one text in the
    first column. One text in another column is the rest of a row split across pages."""
    if len(set(filled)) != 1:
        return False
    return (
        len(filled) > 1
        or (number_index is not None and bool(cells[number_index]))
        or (number_index is None and bool(cells[0]))
    )


def _section(text: str, ordinal: int) -> RawSection:
    match = _SECTION_HEAD.match(text)
    if match and not _SECTION_NOTE.match(text):
        return RawSection(match[1].rstrip("."), one_line(match[2]))
    return RawSection(str(ordinal), one_line(text))


def _detail_indices(layout: Layout) -> list[int]:
    indices = [i for i, _column in layout.responsible]
    indices += [i for i in (layout.deadline, layout.result, layout.control) if i is not None]
    return indices


def _named_cells(cells: tuple[str, ...], layout: Layout) -> dict[str, str]:
    def at(index: int | None) -> str:
        return cells[index] if index is not None else ""

    return {
        "title": at(layout.title),
        "deadline": at(layout.deadline),
        "result": at(layout.result),
        "control": at(layout.control),
    }


def _continue(measure: RawMeasure, cells: tuple[str, ...], layout: Layout) -> None:
    """A row split across pages: each cell continues the same cell of the row above."""
    fresh = _named_cells(cells, layout)
    for key, value in fresh.items():
        if value and value != measure.cells[key]:
            measure.cells[key] = _join(measure.cells[key], value)
    for position, (index, column) in enumerate(layout.responsible):
        value = cells[index]
        if value and value != measure.responsible[position][1]:
            # A capital letter starts another body or person; lower case goes on mid-phrase.
            previous = measure.responsible[position][1]
            joined = (
                f"{previous}\n{value}"
                if previous and value[0].isupper()
                else _join(previous, value)
            )
            measure.responsible[position] = (column, joined)


def _join(first: str, second: str) -> str:
    return f"{first} {second}".strip() if first else second


def _is_header_again(cells: tuple[str, ...], layout: Layout) -> bool:
    """Header rows repeated on every page of a converted document or at the top of each
    continuing table."""
    row = [one_line(c).lower() for c in cells if c]
    for header_row in layout.header_rows:
        header = [one_line(c).lower() for c in header_row if c]
        if header and row[: len(header)] == header:
            return True
    return False


def _is_column_numbers(filled: list[str]) -> bool:
    """The «1 2 3 4 5» row under many headers."""
    return (
        len(filled) >= 3
        and all(c.isdigit() for c in filled)
        and [int(c) for c in filled] == list(range(int(filled[0]), int(filled[0]) + len(filled)))
    )
