"""«Таблица 1» of the implementation report (the target indicators, planned and actual), in the
.docx, and the «Показатели» sheet of the .xlsx (the municipal values and every school's figures
as numbers, for a reader who checks the sums).

The words are given already in the reader's language; figures in the sheet are numbers, never
text, so that a spreadsheet can add them up again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import docx.document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from formats.sheet_stream import sheet_text

# №, indicator, planned value, actual value, reached: widths in cm on landscape A4 (27.7 cm)
TABLE1_WIDTHS = (1.3, 10.2, 5.6, 6.6, 4.0)
SHEET_WIDTHS = (8, 60, 12, 14, 24, 14, 14, 12, 12, 20)
FIGURES_WIDTHS = (8, 60, 14, 14, 14, 16)


@dataclass(frozen=True, slots=True)
class Table1Row:
    number: str
    name: str  # with its unit: «Доля педагогов, …, %»
    planned: str  # as printed in the document
    actual: str  # «10,3 % (103 из 1 000), ответили 17 из 20 школ», or «нет данных»
    reached: str  # «достигнуто», «не достигнуто», «оценить вручную», «—»


@dataclass(frozen=True, slots=True)
class Table1:
    heading: str  # «Целевые показатели»
    caption: str  # «Таблица 1»
    columns: Sequence[str]  # five headers, the actual value's with its date
    rows: Sequence[Table1Row]


def add_table1(document: docx.document.Document, table1: Table1) -> None:
    """Appends the heading, the caption and the table."""
    heading = document.add_paragraph()
    heading.add_run(table1.heading).bold = True
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    caption.add_run(table1.caption)
    table = document.add_table(rows=2, cols=len(table1.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (cell, text) in enumerate(zip(table.rows[0].cells, table1.columns, strict=True)):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        table.rows[1].cells[index].text = str(index + 1)
    for row in table.rows[:2]:
        _repeat_as_header(row._tr)
    for line in table1.rows:
        values = (line.number, line.name, line.planned, line.actual, line.reached)
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    table.autofit = False
    for column, width in zip(table.columns, TABLE1_WIDTHS, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    document.add_paragraph()


def _repeat_as_header(tr: object) -> None:
    properties = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


@dataclass(frozen=True, slots=True)
class SheetValue:
    """One indicator's municipal value on one date, as numbers."""

    number: str
    name: str
    unit: str
    as_of: date
    target: str  # as printed
    value: float | None
    numerator: float | None
    denominator: float | None
    answered: str  # «17 из 20»
    reached: str


@dataclass(frozen=True, slots=True)
class SheetFigure:
    number: str
    school: str
    as_of: date
    numerator: float
    denominator: float | None
    review: str


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)
VALUES_HEADER = (
    "№ п/п",
    "Наименование показателя",
    "Ед. изм.",
    "На дату",
    "Плановое значение",
    "Фактическое значение",
    "Сумма числителей",
    "Сумма знаменателей",
    "Ответили",
    "Отметка о достижении",
)
FIGURES_HEADER = ("№ п/п", "Организация", "На дату", "Числитель", "Знаменатель", "Проверка")


def write_indicator_sheet(
    sheet: WriteOnlyWorksheet, values: Iterable[SheetValue], figures: Iterable[SheetFigure]
) -> None:
    """The municipal values first, then every school's figures under a header of their own."""
    for index, width in enumerate(SHEET_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, text, bold=True) for text in VALUES_HEADER])
    for value in values:
        sheet.append(
            [
                _cell(sheet, value.number),
                _cell(sheet, value.name),
                _cell(sheet, value.unit),
                _cell(sheet, value.as_of, date_format=True),
                _cell(sheet, value.target),
                _cell(sheet, value.value, number_format="0.0"),
                _cell(sheet, value.numerator),
                _cell(sheet, value.denominator),
                _cell(sheet, value.answered),
                _cell(sheet, value.reached),
            ]
        )
    sheet.append([])
    sheet.append([_cell(sheet, text, bold=True) for text in FIGURES_HEADER])
    for figure in figures:
        sheet.append(
            [
                _cell(sheet, figure.number),
                _cell(sheet, figure.school),
                _cell(sheet, figure.as_of, date_format=True),
                _cell(sheet, figure.numerator),
                _cell(sheet, figure.denominator),
                _cell(sheet, figure.review),
            ]
        )


def _cell(
    sheet: WriteOnlyWorksheet,
    value: str | float | date | None,
    *,
    bold: bool = False,
    date_format: bool = False,
    number_format: str | None = None,
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=sheet_text(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"  # a name typed «=…» stays text, never a formula
    cell.border = _BORDER
    cell.alignment = _WRAP
    if bold:
        cell.font = _BOLD
    if date_format:
        cell.number_format = "DD.MM.YYYY"
    elif number_format and value is not None:
        cell.number_format = number_format
    return cell
