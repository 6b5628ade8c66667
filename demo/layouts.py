"""Roadmaps built programmatically in the shapes real municipalities use, in four file formats.

A ``Grid`` is a table as a person sees it: cells with text that may span columns (a group
header, a section row) or rows (a hierarchy column, a header cell over a sub-header).
``write_document`` saves paragraphs and grids as .docx, .xlsx, .odt or .ods with real merges
and real automatic numbering, so that the readers meet what Word, Excel and LibreOffice save.
``LayoutSpec``/``build_roadmap`` lay out a list of measures in one of many shapes; the tests
draw the shapes with Hypothesis and the benchmarks use it for large files.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from enum import StrEnum

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from odfdo import Document as OdfDocument
from odfdo import Element
from odfdo import Paragraph as OdfParagraph
from odfdo import Table as OdfTable


class Numbering(StrEnum):
    TYPED = "typed"  # «1.», «2.» typed in the number cell
    DOTTED = "dotted"  # «1.1», «1.2» typed, with the section's number
    AUTO = "auto"  # Word's numbering button / a LibreOffice list: the cell text is empty
    STYLE = "style"  # a paragraph style that numbers (Word's «Нумерованный список»)
    NONE = "none"  # no number column at all


class SectionForm(StrEnum):
    MERGED = "merged"  # one cell merged across the table
    NUMBER_AND_MERGED = "number_and_merged"  # «| 1. | heading merged over the rest |»
    NAMED = "named"  # «Раздел I. …» in the measure column, the rest empty
    HIERARCHY = "hierarchy"  # a column on the left merged down over its measures
    TWO_LEVELS = "two_levels"  # direction -> task columns on the left
    NONE = "none"


@dataclass
class Cell:
    text: str
    across: int = 1
    down: int = 1
    numbered: Numbering | None = None  # AUTO or STYLE: the paragraph is numbered by Word


@dataclass
class Grid:
    width: int
    rows: list[list[Cell | None]] = field(default_factory=list)  # None: covered by a span
    _covered: set[tuple[int, int]] = field(default_factory=set, repr=False)

    def add(self, cells: list[Cell]) -> None:
        """Append a row: the cells fill the columns that no span from the left or above covers."""
        index = len(self.rows)
        row: list[Cell | None] = [None] * self.width
        pending = iter(cells)
        for column in range(self.width):
            if (index, column) in self._covered:
                continue
            cell = next(pending, None) or Cell("")
            row[column] = cell
            for r in range(index, index + cell.down):
                for c in range(column, min(column + cell.across, self.width)):
                    if (r, c) != (index, column):
                        self._covered.add((r, c))
        self.rows.append(row)


def write_document(paragraphs: list[str], grids: list[Grid], file_format: str) -> bytes:
    writers = {"docx": _docx, "xlsx": _xlsx, "odt": _odt, "ods": _ods}
    return writers[file_format](paragraphs, grids)


def _docx(paragraphs: list[str], grids: list[Grid]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for grid in grids:
        table = document.add_table(rows=len(grid.rows), cols=grid.width)
        # Spans are merged before any text is set, tallest first: python-docx refuses to merge
        # next to a cell merged down earlier in some orders («span not rectangular»).
        spans = [
            (r, c, cell)
            for r, row in enumerate(grid.rows)
            for c, cell in enumerate(row)
            if cell is not None
        ]
        targets = {}
        for r, c, cell in sorted(spans, key=lambda item: -item[2].down):
            if cell.across > 1 or cell.down > 1:
                corner = table.cell(r + cell.down - 1, c + cell.across - 1)
                targets[(r, c)] = table.cell(r, c).merge(corner)
        # The other cells once every span is merged: table.cell() walks the whole table at
        # each call, seconds for a table of a thousand cells.
        cells = table._cells
        for r, c, _cell in spans:
            targets.setdefault((r, c), cells[r * grid.width + c])
        for r, c, cell in spans:
            target = targets[(r, c)]
            target.text = cell.text
            if cell.numbered is Numbering.AUTO:
                _word_numbering(target.paragraphs[0])
            elif cell.numbered is Numbering.STYLE:
                target.paragraphs[0].style = document.styles["List Number"]
        document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _word_numbering(paragraph: object) -> None:
    properties = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    numbering = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "0"), ("w:numId", "1")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        numbering.append(element)
    properties.append(numbering)


def _xlsx(paragraphs: list[str], grids: list[Grid]) -> bytes:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    for index, grid in enumerate(grids):
        sheet = first if index == 0 else workbook.create_sheet()
        sheet.title = f"Лист{index + 1}"
        offset = 0
        if index == 0:
            for text in paragraphs:
                sheet.append([text])
            offset = len(paragraphs)
        for r, row in enumerate(grid.rows, start=offset + 1):
            for c, cell in enumerate(row, start=1):
                if cell is None:
                    continue
                sheet.cell(row=r, column=c, value=cell.text or None)
                if cell.across > 1 or cell.down > 1:
                    sheet.merge_cells(
                        start_row=r,
                        start_column=c,
                        end_row=r + cell.down - 1,
                        end_column=c + cell.across - 1,
                    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _odf_table(name: str, grid: Grid) -> OdfTable:
    table = OdfTable(name, width=grid.width, height=len(grid.rows))
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if cell is None or (not cell.text and not cell.numbered):
                continue
            if cell.numbered in (Numbering.AUTO, Numbering.STYLE):
                target = table.get_cell((c, r))
                listing = Element.from_tag("text:list")
                item = Element.from_tag("text:list-item")
                item.append(OdfParagraph(cell.text))
                listing.append(item)
                target.append(listing)
                table.set_cell((c, r), target)
            else:
                table.set_value((c, r), cell.text)
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if cell is not None and (cell.across > 1 or cell.down > 1):
                table.set_span((c, r, c + cell.across - 1, r + cell.down - 1), merge=False)
    return table


def _odt(paragraphs: list[str], grids: list[Grid]) -> bytes:
    document = OdfDocument("text")
    for text in paragraphs:
        document.body.append(OdfParagraph(text))
    for index, grid in enumerate(grids):
        document.body.append(_odf_table(f"Таблица{index + 1}", grid))
        document.body.append(OdfParagraph(""))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _ods(paragraphs: list[str], grids: list[Grid]) -> bytes:
    document = OdfDocument("spreadsheet")
    document.body.clear()
    for index, grid in enumerate(grids):
        if index == 0 and paragraphs:
            lead = Grid(grid.width)
            for text in paragraphs:
                lead.add([Cell(text)])
            grid = Grid(grid.width, lead.rows + grid.rows)
        document.body.append(_odf_table(f"Лист{index + 1}", grid))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
