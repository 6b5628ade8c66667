"""Spreadsheet forms a request carries: the template read once, each school's filled copy
checked against it, and every checked answer merged into one workbook.

Checking opens the answer with openpyxl (merged cells, formulas, hidden sheets and cell types
are all there); merging reads the already-checked answers with a small streaming reader of
the sheet XML and writes with ``StreamedRows``: a thousand answers merge in a few seconds.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import iterparse

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from domain.roadmap.draft import ImportProblemError
from formats.safety import FileKind, check_file
from formats.sheet_stream import StreamedRows, Styled, Value, date_style_ids, save_streamed
from formats.sheet_stream import sheet_text as _plain

MAX_FORM_ROWS = 10_000  # data rows per sheet of one school's answer
MAX_PROBLEMS = 10  # listed to the head; the rest are counted
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


class Problem(StrEnum):
    NOT_A_SPREADSHEET = "not_a_spreadsheet"
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


class FormTemplateError(ValueError):
    """The file cannot be a form: no sheet with a header row."""


class UnreadableFormError(FormTemplateError):
    """Not an .xlsx workbook at all: corrupt, encrypted, another kind of file."""


def read_template(data: bytes, file_name: str = "form.xlsx") -> FormTemplate:
    """The sheets, header rows, column types and fixed cells of a form to fill."""
    workbook = _open(data, file_name)
    sheets = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        header_row = _header_row(sheet)
        if header_row is None:
            continue
        header = [_text(cell.value) for cell in sheet[header_row]]
        while header and not header[-1]:
            header.pop()
        validated = _validated_kinds(sheet)
        columns = tuple(
            FormColumn(name or f"#{index}", validated.get(index) or _kind_of(name))
            for index, name in enumerate(header, start=1)
        )
        fixed = tuple(
            (cell.row, cell.column, _text(cell.value))
            for row in sheet.iter_rows(min_row=header_row + 1, max_col=len(columns))
            for cell in row
            if _text(cell.value)
        )
        sheets.append(FormSheet(sheet.title, header_row, columns, fixed[:5_000]))
    if not sheets:
        raise FormTemplateError("no sheet with a header row")
    return FormTemplate(tuple(sheets))


def check_answer(template: FormTemplate, data: bytes, file_name: str) -> list[FormProblem]:
    """Everything that keeps a school's file from being merged; empty when it is fine."""
    if file_name.lower().endswith((".xlsm", ".xltm")) or _has_macros(data):
        return [FormProblem(Problem.MACROS)]
    try:
        workbook = _open(data, file_name)
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


def _check_sheet(form: FormSheet, sheet: Worksheet) -> tuple[list[FormProblem], int]:
    problems: list[FormProblem] = []
    header = [_text(sheet.cell(form.header_row, i + 1).value) for i in range(len(form.columns))]
    expected = [column.name for column in form.columns]
    if [_key(h) for h in header] != [_key(e) for e in expected]:
        found = " | ".join(h for h in header if h)
        return [FormProblem(Problem.HEADER_CHANGED, form.title, form.header_row, "", found)], 0
    for row_number, column_number, text in form.fixed:
        if _key(_text(sheet.cell(row_number, column_number).value)) != _key(text):
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
                    FormProblem(problem, form.title, cell.row, column.name, _text(cell.value))
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


def _open(data: bytes, file_name: str) -> Workbook:
    try:
        kind = check_file(file_name if file_name.lower().endswith(".xlsx") else "f.xlsx", data)
    except ImportProblemError as problem:
        raise UnreadableFormError(problem.code.value) from None
    if kind is not FileKind.XLSX:
        raise UnreadableFormError("not an .xlsx workbook")
    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a broken package
        raise UnreadableFormError(str(error)) from None


def _has_macros(data: bytes) -> bool:
    """A workbook saved with macros carries its VBA project, whatever the file is called."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return any(name.lower().endswith("vbaproject.bin") for name in package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


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


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _key(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


# --- merging -----------------------------------------------------------------------------------

ORGANISATION = "Организация"
NOT_ANSWERED = "Не ответили"


@dataclass(frozen=True, slots=True)
class Answer:
    organisation: str
    data: bytes


def merge_answers(
    template: FormTemplate,
    answers: Iterable[Answer],
    not_answered: Iterable[str],
    target: str | Path | IO[bytes],
) -> int:
    """One workbook: per form sheet, every school's rows under the template's header with the
    school first; then «Не ответили». Returns the rows merged. Values are copied as values:
    text stays text (never a formula), numbers and dates stay numbers and dates."""
    workbook = openpyxl.Workbook(write_only=True)
    streamed: list[tuple[WriteOnlyWorksheet, StreamedRows]] = []
    for form in template.sheets:
        sheet = workbook.create_sheet(form.title[:31])
        sheet.append(
            [
                _header_cell(sheet, ORGANISATION),
                *(_header_cell(sheet, c.name) for c in form.columns),
            ]
        )
        sheet.freeze_panes = "B2"
        streamed.append((sheet, StreamedRows(2, date_style_ids(sheet))))
    merged = 0
    for answer in answers:
        grids = _read_values(answer.data, {form.title for form in template.sheets})
        name = _plain(answer.organisation)
        for form, (_sheet, rows) in zip(template.sheets, streamed, strict=True):
            width = len(form.columns)
            grid = grids.get(form.title)
            if grid is None:
                continue
            for values in grid.items_below(form.header_row, width):
                rows.append([name, *values])
                merged += 1
    missing = workbook.create_sheet(NOT_ANSWERED)
    missing.append([_header_cell(missing, ORGANISATION)])
    for organisation in not_answered:
        missing.append([_text_cell(missing, organisation)])
    save_streamed(workbook, streamed, target)
    return merged


class _Grid:
    """One sheet's cells by (row, column), from the streaming reader."""

    def __init__(self) -> None:
        self.cells: dict[int, dict[int, Value]] = {}

    def items_below(self, header_row: int, width: int) -> Iterator[list[Value]]:
        for row in sorted(r for r in self.cells if r > header_row):
            values = self.cells[row]
            line = [values.get(column) for column in range(1, width + 1)]
            if any(value not in (None, "") for value in line):
                yield line


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# Built-in number formats that are dates (ECMA-376 18.8.30), and date-like custom codes.
_DATE_FORMAT_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_DATE_CODE = re.compile(r"(?<![\\\"])[dmyhs]", re.IGNORECASE)


def _read_values(data: bytes, wanted: set[str]) -> dict[str, _Grid]:
    """The wanted sheets' values, by reading the package's XML as a stream."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        shared = _shared_strings(package) if "xl/sharedStrings.xml" in names else []
        date_styles = _date_style_indexes(package) if "xl/styles.xml" in names else set()
        paths = _sheet_paths(package)
        grids = {}
        for title, path in paths.items():
            if title in wanted and path in names:
                with package.open(path) as stream:
                    grids[title] = _read_sheet(stream, shared, date_styles)
    return grids


def _read_sheet(stream: IO[bytes], shared: list[str], date_styles: set[int]) -> _Grid:
    grid = _Grid()
    for _event, element in iterparse(stream):
        if element.tag != _NS + "c":
            if element.tag == _NS + "row":
                element.clear()
            continue
        match = _CELL_REF.fullmatch(element.get("r", ""))
        if match is None:
            continue
        value = _cell_value(element, shared, date_styles)
        if value is not None:
            column = 0
            for letter in match.group(1):
                column = column * 26 + ord(letter) - 64
            grid.cells.setdefault(int(match.group(2)), {})[column] = value
    return grid


def _cell_value(element: object, shared: list[str], date_styles: set[int]) -> Value:
    kind = element.get("t", "n")  # type: ignore[attr-defined]
    if kind == "inlineStr":
        return _plain("".join(element.itertext()))  # type: ignore[attr-defined]
    raw = element.findtext(_NS + "v")  # type: ignore[attr-defined]
    if not raw:
        # A formula with no value saved (the check refuses those; be safe anyway): its text.
        formula = element.findtext(_NS + "f")  # type: ignore[attr-defined]
        return _plain("=" + formula) if formula else None
    if kind == "s":
        return _plain(shared[int(raw)])
    if kind in ("str", "e"):
        return _plain(raw)
    if kind == "b":
        return "да" if raw == "1" else "нет"
    try:
        number = float(raw)
    except ValueError:
        return _plain(raw)
    if int(element.get("s", "0")) in date_styles:  # type: ignore[attr-defined]
        moment = from_excel(number)
        return moment.date() if isinstance(moment, datetime) and not moment.time() else moment
    return int(number) if number.is_integer() else number


def _shared_strings(package: zipfile.ZipFile) -> list[str]:
    strings = []
    with package.open("xl/sharedStrings.xml") as stream:
        for _event, element in iterparse(stream):
            if element.tag == _NS + "si":
                strings.append("".join(t.text or "" for t in element.iter(_NS + "t")))
                element.clear()
    return strings


def _date_style_indexes(package: zipfile.ZipFile) -> set[int]:
    root_formats: dict[int, str] = {}
    styles: set[int] = set()
    with package.open("xl/styles.xml") as stream:
        in_cell_xfs = False
        index = 0
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "start" and element.tag == _NS + "cellXfs":
                in_cell_xfs = True
            elif event == "end" and element.tag == _NS + "cellXfs":
                in_cell_xfs = False
            elif event == "end" and element.tag == _NS + "numFmt":
                root_formats[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif event == "end" and element.tag == _NS + "xf" and in_cell_xfs:
                number_format = int(element.get("numFmtId", "0"))
                code = root_formats.get(number_format, "")
                if number_format in _DATE_FORMAT_IDS or _DATE_CODE.search(
                    re.sub(r"\[[^]]*\]|\"[^\"]*\"", "", code)
                ):
                    styles.add(index)
                index += 1
    return styles


def _sheet_paths(package: zipfile.ZipFile) -> dict[str, str]:
    targets = {}
    with package.open("xl/_rels/workbook.xml.rels") as stream:
        for _event, element in iterparse(stream):
            if element.tag.endswith("Relationship"):
                target = element.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[element.get("Id", "")] = target
    paths = {}
    with package.open("xl/workbook.xml") as stream:
        for _event, element in iterparse(stream):
            if element.tag == _NS + "sheet":
                paths[element.get("name", "")] = targets.get(element.get(_REL_NS + "id", ""), "")
    return paths


def _header_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = _text_cell(sheet, text)
    cell.font = Font(bold=True)
    return cell


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, _plain(text))
    cell.data_type = "s"  # «=…» typed by a school stays text
    return cell


__all__ = [
    "Answer",
    "ColumnKind",
    "FormColumn",
    "FormProblem",
    "FormSheet",
    "FormTemplate",
    "FormTemplateError",
    "Problem",
    "Styled",
    "UnreadableFormError",
    "check_answer",
    "merge_answers",
    "read_template",
]
