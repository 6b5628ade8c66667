"""A school's filled copy of a form checked against the template: every problem that keeps it
from being merged (macros, hidden or missing sheets, a changed header or label, formulas,
merged cells, too many rows, a number or date column holding something else).

Checking opens the answer with openpyxl: merged cells, formulas, hidden sheets and cell types
are all there. It is measured first (``formats.sheet_measure``): what is too large to open is
refused unopened.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from openpyxl.worksheet.worksheet import Worksheet

from formats.request_forms.template import (
    ColumnKind,
    FormColumn,
    FormSheet,
    FormTemplate,
    FormTemplateError,
    FormTooLargeError,
    cell_text,
    open_form_workbook,
    read_template,
)
from formats.sheet_measure import FORM_LIMITS, SheetTooLargeError, measure_workbook

MAX_FORM_ROWS = 10_000  # data rows per sheet of one school's answer
MAX_PROBLEMS = 10  # listed to the head; the rest are counted


class Problem(StrEnum):
    NOT_A_SPREADSHEET = "not_a_spreadsheet"
    TOO_LARGE = "too_large"  # beyond formats.sheet_measure.FORM_LIMITS, measured unopened
    MACROS = "macros"
    HIDDEN_SHEET = "hidden_sheet"
    MISSING_SHEET = "missing_sheet"
    HEADER_CHANGED = "header_changed"
    FIXED_CHANGED = "fixed_changed"
    FORMULA = "formula"
    MERGED = "merged"
    TOO_MANY_ROWS = "too_many_rows"
    NEEDS_NUMBER = "needs_number"
    NEEDS_DATE = "needs_date"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class FormProblem:
    problem: Problem
    sheet: str = ""
    row: int = 0
    column: str = ""  # the column's header, as the head sees it
    found: str = ""  # what the cell holds (or the expected text of a fixed cell)


def check_answer(template: FormTemplate, data: bytes, file_name: str) -> list[FormProblem]:
    """Everything that keeps a school's file from being merged; empty when it is fine."""
    if file_name.lower().endswith((".xlsm", ".xltm")) or _has_macros(data):
        return [FormProblem(Problem.MACROS)]
    try:
        workbook = open_form_workbook(data, file_name)
    except FormTooLargeError:
        return [FormProblem(Problem.TOO_LARGE)]
    except FormTemplateError:
        return [FormProblem(Problem.NOT_A_SPREADSHEET)]
    problems: list[FormProblem] = []
    hidden = [s.title for s in workbook.worksheets if s.sheet_state != "visible"]
    problems += [FormProblem(Problem.HIDDEN_SHEET, title) for title in hidden]
    filled = 0
    for form in template.sheets:
        if form.title not in workbook.sheetnames:
            problems.append(FormProblem(Problem.MISSING_SHEET, form.title))
            continue
        sheet_problems, rows = _check_sheet(form, workbook[form.title])
        problems += sheet_problems
        filled += rows
    if not problems and filled == 0:
        problems.append(FormProblem(Problem.EMPTY))
    return problems


def check_against(template_data: bytes, data: bytes, file_name: str) -> list[FormProblem]:
    """``check_answer`` with the template read from its file: a task for a worker process."""
    return check_answer(read_template(template_data), data, file_name)


def too_large(data: bytes) -> bool:
    """Measured too large to open as a form (``formats.sheet_measure.FORM_LIMITS``): a check
    cheap enough to run before a worker is asked to open it."""
    try:
        measure_workbook(data, FORM_LIMITS)
    except SheetTooLargeError:
        return True
    except Exception:  # not a workbook at all: the check itself says what it is
        return False
    return False


def _check_sheet(form: FormSheet, sheet: Worksheet) -> tuple[list[FormProblem], int]:
    problems: list[FormProblem] = []
    header = [cell_text(sheet.cell(form.header_row, i + 1).value) for i in range(len(form.columns))]
    expected = [column.name for column in form.columns]
    if [_key(h) for h in header] != [_key(e) for e in expected]:
        found = " | ".join(h for h in header if h)
        return [FormProblem(Problem.HEADER_CHANGED, form.title, form.header_row, "", found)], 0
    for row_number, column_number, text in form.fixed:
        if _key(cell_text(sheet.cell(row_number, column_number).value)) != _key(text):
            name = form.columns[column_number - 1].name
            problems.append(FormProblem(Problem.FIXED_CHANGED, form.title, row_number, name, text))
    for merged in sheet.merged_cells.ranges:
        if merged.max_row > form.header_row and merged.min_col <= len(form.columns):
            problems.append(
                FormProblem(Problem.MERGED, form.title, merged.min_row, "", merged.coord)
            )
    last = sheet.max_row
    if last - form.header_row > MAX_FORM_ROWS:
        problems.append(FormProblem(Problem.TOO_MANY_ROWS, form.title, last, "", str(last)))
        return problems, 0
    filled = 0
    labels = {(row, column) for row, column, _text in form.fixed}
    for row in sheet.iter_rows(min_row=form.header_row + 1, max_col=len(form.columns)):
        if all(cell.value in (None, "") for cell in row):
            continue
        # A row with nothing but the template's own labels is not filled in.
        filled += any(
            cell.value not in (None, "") and (cell.row, cell.column) not in labels for cell in row
        )
        for cell, column in zip(row, form.columns, strict=False):
            problem = _cell_problem(cell.value, cell.data_type, column)
            if problem is not None:
                problems.append(
                    FormProblem(problem, form.title, cell.row, column.name, cell_text(cell.value))
                )
        if len(problems) > 5 * MAX_PROBLEMS:
            break
    return problems, filled


def _cell_problem(value: object, data_type: str, column: FormColumn) -> Problem | None:
    if value is None or value == "":
        return None
    if data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        return Problem.FORMULA
    if column.kind is ColumnKind.NUMBER and not _is_number(value):
        return Problem.NEEDS_NUMBER
    if column.kind is ColumnKind.DATE and not _is_date(value):
        return Problem.NEEDS_DATE
    return None


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        float(text.rstrip("%"))
    except ValueError:
        return False
    return True


def _is_date(value: object) -> bool:
    if isinstance(value, date | datetime):
        return True
    return bool(re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2}", str(value).strip()))


def _has_macros(data: bytes) -> bool:
    """A workbook saved with macros carries its VBA project, whatever the file is called."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return any(name.lower().endswith("vbaproject.bin") for name in package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _key(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


__all__ = [
    "MAX_FORM_ROWS",
    "MAX_PROBLEMS",
    "FormProblem",
    "Problem",
    "check_against",
    "check_answer",
    "too_large",
]
