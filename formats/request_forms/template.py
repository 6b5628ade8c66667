"""A request's form template: its sheets, header rows, column types and the cells it fills
itself, read once from the .xlsx the department sends; and the reading of a form's workbook and
cell texts that the check of an answer shares.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from domain.roadmap.draft import ImportProblemError
from formats.safety import FileKind, check_file
from formats.sheet_measure import FORM_LIMITS, SheetTooLargeError, measure_workbook

_HEADER_SCAN = 15  # the header is within the first rows
_NUMBER_WORDS = re.compile(
    r"количеств|кол-во|числ|сумм|доля|процент|%|всего|балл|возраст|стаж|площад|объ[её]м"
)
_DATE_WORDS = re.compile(r"\bдата\b|^дата")


class ColumnKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class FormColumn:
    name: str
    kind: ColumnKind


@dataclass(frozen=True, slots=True)
class FormSheet:
    title: str
    header_row: int  # 1-based
    columns: tuple[FormColumn, ...]
    # Cells the template fills below the header (row labels like «1 класс»): kept as they are.
    fixed: tuple[tuple[int, int, str], ...]  # (row, column, text), 1-based


@dataclass(frozen=True, slots=True)
class FormTemplate:
    sheets: tuple[FormSheet, ...]

    @property
    def width(self) -> int:
        return max((len(sheet.columns) for sheet in self.sheets), default=0)


class FormTemplateError(ValueError):
    """The file cannot be a form: no sheet with a header row."""


class UnreadableFormError(FormTemplateError):
    """Not an .xlsx workbook at all: corrupt, encrypted, another kind of file."""


class FormTooLargeError(UnreadableFormError):
    """More rows, cells or XML than a form may hold (``formats.sheet_measure.FORM_LIMITS``):
    refused before openpyxl loads it, which would take minutes and gigabytes."""


def read_template(data: bytes, file_name: str = "form.xlsx") -> FormTemplate:
    """The sheets, header rows, column types and fixed cells of a form to fill."""
    workbook = open_form_workbook(data, file_name)
    sheets = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        header_row = _header_row(sheet)
        if header_row is None:
            continue
        header = [cell_text(cell.value) for cell in sheet[header_row]]
        while header and not header[-1]:
            header.pop()
        validated = _validated_kinds(sheet)
        columns = tuple(
            FormColumn(name or f"#{index}", validated.get(index) or _kind_of(name))
            for index, name in enumerate(header, start=1)
        )
        fixed = tuple(
            (cell.row, cell.column, cell_text(cell.value))
            for row in sheet.iter_rows(min_row=header_row + 1, max_col=len(columns))
            for cell in row
            if cell_text(cell.value)
        )
        sheets.append(FormSheet(sheet.title, header_row, columns, fixed[:5_000]))
    if not sheets:
        raise FormTemplateError("no sheet with a header row")
    return FormTemplate(tuple(sheets))


def open_form_workbook(data: bytes, file_name: str) -> Workbook:
    """The form's workbook opened with openpyxl, or ``UnreadableFormError`` (``FormTooLargeError``
    when it is measured too large to open)."""
    try:
        kind = check_file(file_name if file_name.lower().endswith(".xlsx") else "f.xlsx", data)
    except ImportProblemError as problem:
        raise UnreadableFormError(problem.code.value) from None
    if kind is not FileKind.XLSX:
        raise UnreadableFormError("not an .xlsx workbook")
    try:
        measure_workbook(data, FORM_LIMITS)
    except SheetTooLargeError as too_large:
        raise FormTooLargeError(too_large.what) from None
    except Exception as error:  # a damaged part: a bad CRC, a broken deflate stream
        raise UnreadableFormError(type(error).__name__) from None
    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a broken package
        raise UnreadableFormError(str(error)) from None


def _header_row(sheet: Worksheet) -> int | None:
    """The row with the most filled text cells among the first rows (two at least): a title
    line above a table has one."""
    best, best_count = None, 1
    for row in sheet.iter_rows(min_row=1, max_row=_HEADER_SCAN):
        count = sum(1 for cell in row if isinstance(cell.value, str) and cell.value.strip())
        if count > best_count:
            best, best_count = row[0].row, count
    return best


def _validated_kinds(sheet: Worksheet) -> dict[int, ColumnKind]:
    """Types the template's author set with data validation (Данные → Проверка данных)."""
    kinds: dict[int, ColumnKind] = {}
    for validation in sheet.data_validations.dataValidation:
        kind = {"whole": ColumnKind.NUMBER, "decimal": ColumnKind.NUMBER, "date": ColumnKind.DATE}
        if validation.type not in kind:
            continue
        for cells in validation.sqref.ranges:
            for column in range(cells.min_col, cells.max_col + 1):
                kinds[column] = kind[validation.type]
    return kinds


def _kind_of(name: str) -> ColumnKind:
    lowered = name.lower()
    if _DATE_WORDS.search(lowered):
        return ColumnKind.DATE
    if _NUMBER_WORDS.search(lowered):
        return ColumnKind.NUMBER
    return ColumnKind.TEXT


def cell_text(value: object) -> str:
    """A cell's value as the text a head sees in it (dates as dd.mm.yyyy, 5.0 as 5)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


__all__ = [
    "ColumnKind",
    "FormColumn",
    "FormSheet",
    "FormTemplate",
    "FormTemplateError",
    "FormTooLargeError",
    "UnreadableFormError",
    "cell_text",
    "open_form_workbook",
    "read_template",
]
