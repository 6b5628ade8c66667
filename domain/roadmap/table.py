"""Table rows -> sections and measures: section rows, split rows, repeated headers, numbering."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.roadmap.cells import clean_cell, one_line
from domain.roadmap.columns import Column, Layout, recognise_header
from domain.roadmap.draft import SourceRow

_MEASURE_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})\.?$")
_SECTION_HEAD = re.compile(
    r"^(?:раздел\s+|направление\s+)?((?:\d{1,2}|[ivxlc]{1,5})(?:\.\d{1,2})?)\s*[.)]?\s+(.+)$",
    re.IGNORECASE | re.DOTALL,
)
_SECTION_NOTE = re.compile(r"^(?:задачи|цель|цели)\b", re.IGNORECASE)


@dataclass
class RawMeasure:
    number: str  # as written; "" when Word numbers it automatically
    auto_number: bool
    section: str | None
    cells: dict[str, str]
    responsible: list[tuple[Column, str]]


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


def find_roadmap_table(
    tables: tuple[tuple[SourceRow, ...], ...],
) -> tuple[Layout, list[SourceRow]] | None:
    """The first table with a recognisable header; later tables with the same columns (a table
    continued on the next page) are joined to it."""
    for index, table in enumerate(tables):
        for row_index, row in enumerate(table[:200]):
            layout = recognise_header(tuple(clean_cell(c) for c in row.cells))
            if layout is None:
                continue
            rows = list(table[row_index + 1 :])
            for later in tables[index + 1 :]:
                if later and len(later[0].cells) == len(layout.header):
                    rows.extend(later)
                else:
                    break
            return layout, rows
    return None


def read_table(layout: Layout, rows: list[SourceRow]) -> TableReading:
    reading = TableReading(layout)
    number_index = layout.number if layout.number is not None else (0 if layout.title else None)
    last: RawMeasure | None = None
    for row in rows:
        cells = tuple(clean_cell(c) for c in row.cells) + ("",) * len(layout.header)
        filled = [c for c in cells if c]
        if not filled or _is_header_again(cells, layout) or _is_column_numbers(filled):
            continue
        number = one_line(cells[number_index]) if number_index is not None else ""
        title = cells[layout.title]
        details = any(cells[i] for i in _detail_indices(layout))

        if _is_spanning(cells, filled, number_index):
            text = filled[0]
            if _SECTION_NOTE.match(text) and reading.sections:
                reading.sections[-1].notes.append(text)
            else:
                reading.sections.append(_section(text, len(reading.sections) + 1))
                last = None
            continue
        numbered = _MEASURE_NUMBER.match(number) if number else None
        if number and title and not details and "." not in number.rstrip("."):
            reading.sections.append(RawSection(number.rstrip("."), one_line(title)))
            last = None
            continue
        if (
            (numbered or row.auto_number)
            and title
            and not (last and number and number == last.number)
        ):
            last = RawMeasure(
                number=numbered[1] if numbered else "",
                auto_number=row.auto_number and not numbered,
                section=reading.sections[-1].number if reading.sections else None,
                cells=_named_cells(cells, layout),
                responsible=[(column, cells[i]) for i, column in layout.responsible],
            )
            reading.measures.append(last)
        elif last is not None:
            _continue(last, cells, layout)
        elif reading.sections:
            reading.sections[-1].notes.append(" ".join(filled))
    return reading


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
    """Header rows repeated on every page of a converted document."""
    header = [one_line(c).lower() for c in layout.header if c]
    row = [one_line(c).lower() for c in cells if c]
    return bool(header) and row[: len(header)] == header


def _is_column_numbers(filled: list[str]) -> bool:
    """The «1 2 3 4 5» row under many headers."""
    return (
        len(filled) >= 3
        and all(c.isdigit() for c in filled)
        and [int(c) for c in filled] == list(range(int(filled[0]), int(filled[0]) + len(filled)))
    )
