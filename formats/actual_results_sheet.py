"""The coordinator's «Фактический результат» of every measure as a spreadsheet to fill in and
read back (``roadmap-bot actual-results export|import``): one row per measure, the schools'
accepted answers beside it as a draft, and the version each text had when the file was written,
so reading it back never overwrites what someone changed in the meantime."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill, Protection

from domain.progress.columns import ACTUAL, MEASURE, NUMBER
from formats.fitting import fitted_height
from formats.sheet_stream import sheet_text

SHEET = "Фактический результат"
DRAFT = "Черновик из принятых ответов школ"
VERSION = "Версия (не менять)"
HEADER = (NUMBER, MEASURE, DRAFT, ACTUAL, VERSION)
WIDTHS = (8, 50, 60, 60, 10)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TO_FILL = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True, slots=True)
class ResultRow:
    number: str
    title: str
    draft: str
    text: str
    version: int


class SheetError(ValueError):
    """The file is not this sheet (another workbook, a renamed sheet, a changed header)."""


def write_sheet(rows: Iterable[ResultRow]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    for index, (name, width) in enumerate(zip(HEADER, WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.font = Font(bold=True)
        cell.alignment = _WRAP
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = width
    sheet.row_dimensions[1].height = fitted_height(HEADER, WIDTHS)
    row_number = 1
    for row_number, row in enumerate(rows, start=2):
        values = (row.number, row.title, row.draft, row.text)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column, value=sheet_text(value))
            cell.data_type = "s"  # «=…» stays text, never a formula
            cell.alignment = _WRAP
        sheet.cell(row=row_number, column=4).fill = _TO_FILL
        sheet.cell(row=row_number, column=4).protection = Protection(locked=False)
        sheet.cell(row=row_number, column=5, value=row.version)
        sheet.row_dimensions[row_number].height = fitted_height(values, WIDTHS)
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:E{row_number}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_sheet(data: bytes) -> list[tuple[str, str, int | None]]:
    """(measure number, text, version written) for each row, as the coordinator filled it."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        if SHEET not in book.sheetnames:
            raise SheetError(f"no sheet «{SHEET}»")
        rows = book[SHEET].iter_rows(values_only=True)
        header = tuple(str(v or "").strip() for v in next(rows, ())[: len(HEADER)])
        if header[:2] != HEADER[:2] or header[3:4] != HEADER[3:4]:
            raise SheetError("the header row was changed")
        found = []
        for values in rows:
            cells = list(values) + [None] * (len(HEADER) - len(values))
            number = str(cells[0] or "").strip()
            if not number:
                continue
            version = cells[4]
            found.append(
                (
                    number,
                    str(cells[3] if cells[3] is not None else "").strip(),
                    int(version) if isinstance(version, int | float) else None,
                )
            )
        return found
    finally:
        book.close()
